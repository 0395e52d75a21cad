"""Context is the point: the conditions the engine issue requires, one test each."""

from __future__ import annotations

import pytest


def rules_for(found, match):
    return [rule for rule, m in found if m == match]


# part of speech -----------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "Lola will have contact on Wednesdays.",
    "There was no contact over Christmas.",
])
def test_contact_as_a_noun_is_flagged(find, text):
    assert "jargon.contact" in rules_for(find(text), "contact")


@pytest.mark.parametrize("text", [
    "I will contact the school.",
    "Contact the duty team if you are worried.",
    "Please contact the office if your plans change.",
    "Dad has given me his new contact number.",
])
def test_contact_as_a_verb_or_compound_is_not(find, text):
    assert not [r for r, _ in find(text) if r.startswith("jargon.contact")]


# subject is a person ------------------------------------------------------------------
@pytest.mark.parametrize("text, match", [
    ("Mum refused to sign.", "refused to"),
    ("Dad failed to attend.", "failed to attend"),
    ("Harvey kicked off in the car.", "kicked off"),
])
def test_blaming_verbs_with_a_person_subject_are_flagged(find, text, match):
    assert rules_for(find(text), match)


@pytest.mark.parametrize("text", [
    "The court refused the application.",
    "The boiler failed to start.",
    "The judge refused the request for an adjournment.",
    "Dad was refused entry to the building.",
])
def test_blaming_verbs_with_other_subjects_are_not(find, text):
    assert find(text) == []


# word sense ----------------------------------------------------------------------------
def test_care_placement_is_flagged_but_work_and_student_placements_are_not(find):
    assert rules_for(find("Tyler has settled well in his placement."), "placement")
    assert find("Jade is doing a work placement at the garage.") == []
    assert find("Sam's student placement starts in September.") == []


def test_dna_as_did_not_attend_is_flagged_but_dna_testing_is_not(find):
    assert rules_for(find("Dad DNA'd the appointment."), "DNA'd")
    assert rules_for(find("Mum continues to DNA appointments."), "DNA")
    assert find("DNA testing showed that Mr Lee is the father.") == []
    assert find("DNA results are expected within two weeks.") == []


# quotation and mention -------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    'Ellie said, "I don\'t want contact with him."',
    "Ellie said, “I don't want contact with him.”",
    "Ellie said, ‘I don’t want contact with him.’",
    "Ellie said 'I don't want contact with him' and left.",
    'Callum wrote that he "hates being a LAC" in his letter.',
])
def test_quoted_speech_is_not_flagged(find, text):
    assert find(text) == []


@pytest.mark.parametrize("text", [
    "We now say 'family time' instead of 'contact'.",
    "We no longer use the word contact in letters.",
    "Avoid terms such as placement when writing to children.",
])
def test_a_word_mentioned_as_a_word_is_not_flagged(find, text):
    assert find(text) == []


def test_quotes_do_not_hide_words_outside_them(find):
    assert rules_for(find('Mum said "hello" and then refused to sign.'), "refused to")


# acronyms ------------------------------------------------------------------------------
def test_acronym_defined_in_the_document_is_not_flagged_after_its_definition(find):
    text = "The ICPC is on Monday. The Initial Child Protection Conference (ICPC) decides. The ICPC met."
    found = [m for r, m in find(text) if r == "acronyms.undefined"]
    assert found == ["ICPC"]  # only the one before the definition


def test_acronym_defined_by_expansion_after_it(find):
    assert find("CIN (Child in Need) meetings are monthly. The CIN plan is agreed.") == []


@pytest.mark.parametrize("word", ["NHS", "GP", "UK", "MOT", "TV", "CCTV"])
def test_common_acronyms_are_never_flagged(find, word):
    assert find(f"The {word} was mentioned twice.") == []


def test_undefined_acronym_message_gives_the_expansion(linter):
    [f] = linter.check_text("The RCPC will take place next month.").findings
    assert "review child protection conference" in f.message
    assert f.suggestions == ("review child protection conference",)  # used once: no brackets
    [f] = linter.check_text("The RCPC is next month. Mum will go to the RCPC.").findings
    assert f.suggestions[0] == "review child protection conference (RCPC)"


def test_section_numbers_in_either_case(find):
    assert rules_for(find("A s47 was completed."), "s47") == ["acronyms.explain"]
    assert rules_for(find("A S47 was completed."), "S47") == ["acronyms.explain"]


# suggestions fit the sentence ------------------------------------------------------------
@pytest.mark.parametrize("text, match, first", [
    ("Dad refused to talk.", "refused to", "decided not to"),
    ("Dad refuses to talk.", "refuses to", "does not want to"),
    ("Dad is refusing to talk.", "is refusing to", "does not want to"),
    ("All three placements were with family.", "placements", "homes"),
    ("Tyler likes his placement.", "placement", "home"),
    ("Respite is offered every other weekend.", "Respite", "Short-break care"),
    ("Prior to the meeting I rang Nan.", "Prior to", "Before"),
    ("Ben absconded from school at lunchtime.", "absconded", "ran away"),
    ("His uncle committed suicide.", "committed suicide", "died by suicide"),
    ("We support 40 care leavers.", "care leavers", "care-experienced young people"),
])
def test_suggestions_are_inflected_and_cased(linter, text, match, first):
    findings = [f for f in linter.check_text(text).findings if f.match == match]
    assert findings, f"nothing flagged on {match!r}"
    assert findings[0].suggestions[0] == first


def test_longer_phrase_wins_over_the_word_inside_it(find):
    found = find("The LAC review is on Monday.")
    assert found == [("jargon.lac-review", "LAC review")]


def test_disabled_people_is_accepted(find):
    assert find("The group is run by disabled people for disabled people.") == []


def test_addresses_are_not_checked(find):
    assert find("See https://example.org/contact-placement or write to contact@example.org.") == []
    # each kind alone, in capitals too (the index looks for "@", "://" and "www." first)
    assert find("See WWW.EXAMPLE.ORG/contact-placement today.") == []
    assert find("See HTTP://EXAMPLE.ORG/contact-placement today.") == []
    assert find("Write to contact@example.org today.") == []
    assert find("Write about contact today.") != []


@pytest.mark.parametrize("text", [
    "The traffic was chaotic on the way to school.",
    "The baby was born early and has immature lungs.",
    "There are feral cats living in the garden shed.",
    "The roadworks have been disruptive for everyone on the street.",
    "The weather looked threatening so we stayed inside.",
    "The dog became agitated when the doorbell rang.",
    "We did not attend the conference because of the snow.",
    "Nan is having aggressive treatment for her cancer.",
    "The Home Office's hostile environment policy affected Dad's status.",
    "Leo is learning to manipulate small objects in occupational therapy.",
    "Mum laughed hysterically at the film.",
    "Mum said she felt like a burden to her sister.",
])
def test_labels_need_a_person_to_describe(linter, text):
    assert not linter.check_text(text).findings


@pytest.mark.parametrize("text, match", [
    ("The home is chaotic and the children have no routine.", "chaotic"),
    ("They live a chaotic lifestyle.", "chaotic lifestyle"),
    ("Sam was agitated all morning.", "agitated"),
    ("The twins are badly behaved at school.", "badly behaved"),
    ("Leo did not attend his dental appointment.", "did not attend"),
    ("Her mood is volatile.", "volatile"),
])
def test_labels_of_a_person_or_their_life_are_flagged(linter, text, match):
    assert match in [f.match for f in linter.check_text(text).findings]
