"""Whose words, which sense, about whom: the context decisions, each with sentences of our own.

Every case names the rule (or pack) and the words; ``flag`` cases must give a warning
finding on exactly those words, ``note`` cases an information note, ``skip`` cases none.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sba_lint import Linter
from sba_lint.analysis.quotes import quotations
from sba_lint.cli import main


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter()


def _on(linter: Linter, text: str, words: str) -> list:
    result = linter.check_text(text)
    start = text.index(words)
    end = start + len(words)
    return [f for f in result.findings if f.start < end and start < f.end]


# -- whose words: quotations ----------------------------------------------------------
QUOTED = [
    'Kai told the officer "you are a liar and\na thief" before he left.',
    "Her text read: ‘I am not having supervised\ncontact in that place again’.",
    "Dad wrote: \u201cThe school say I am aggressive.\n\n\u201cI am not aggressive, I am worried.\u201d",
    "In his words, 'Mum has been manipulative\nsince the split', which upset Amy.",
]


@pytest.mark.parametrize("text", QUOTED)
def test_quotations_across_line_breaks_are_the_speakers_words(linter: Linter, text: str) -> None:
    assert linter.check_text(text).findings == []


def test_quotation_scanner_keeps_apostrophes_out() -> None:
    text = "The children's room and the parents' kitchen were 'spotless', Dad said. Don't worry."
    spans = [text[s:e] for s, e in quotations(text)]
    assert spans == ["'spotless'"]


def test_an_unclosed_quotation_runs_to_the_end_of_its_paragraph_only() -> None:
    text = "She shouted \u201cyou are useless\n\nNext day Mum was aggressive."
    spans = [text[s:e] for s, e in quotations(text)]
    assert spans == ["\u201cyou are useless"]


# -- whose words: mentions, definitions, citations -------------------------------------
MENTIONED = [
    ("Non-engagement and non-compliance are terms that put the problem on the family.", "Non-engagement"),
    ("Non-engagement and non-compliance are terms that put the problem on the family.", "non-compliance"),
    ("Avoid words such as chaotic, manipulative and hard to reach in the record.", "manipulative"),
    ("Avoid words such as chaotic, manipulative and hard to reach in the record.", "hard to reach"),
    ("This is what is sometimes called disguised compliance by practitioners.", "disguised compliance"),
    ("The so-called toxic trio was the model the review questioned.", "toxic trio"),
    ("Contact should be called family time in every plan we write.", "Contact"),
    ("We say family time rather than contact when we write to children.", "contact"),
    ("The phrase failed to engage says nothing about what was offered.", "failed to engage"),
    ("In Re K (Children: Failure to Protect) the court set out the test.", "Failure to Protect"),
]


@pytest.mark.parametrize("text,words", MENTIONED)
def test_terms_named_as_terms_are_not_flagged(linter: Linter, text: str, words: str) -> None:
    assert _on(linter, text, words) == []


USED = [
    ("Mum has been manipulative and chaotic since the summer.", "manipulative"),
    ("The word from school is that Dad failed to engage again.", "failed to engage"),
    ("Contact should be on Saturdays, at the family centre.", "Contact"),
]


@pytest.mark.parametrize("text,words", USED)
def test_terms_used_about_people_are_still_flagged(linter: Linter, text: str, words: str) -> None:
    assert [f.severity.name for f in _on(linter, text, words)] == ["WARNING"]


# -- whose words: reported speech --------------------------------------------------------
REPORTED = [
    ("Gran says Theo is beyond control at bedtime.", "beyond control", "Gran"),
    ("The referrer called them a dysfunctional family.", "dysfunctional family", "the referrer"),
    ("According to the nursery, Ruby is aggressive with other children.", "aggressive", "the nursery"),
    ("The neighbour described Dad as aggressive and threatening.", "aggressive", "The neighbour"),
]


@pytest.mark.parametrize("text,words,who", REPORTED)
def test_reported_speech_is_a_gentle_note_naming_the_speaker(linter: Linter, text: str, words: str,
                                                              who: str) -> None:
    found = _on(linter, text, words)
    assert found and all(f.severity.name == "INFO" and f.suggestions == () for f in found)
    assert all(f.reported.lower() == who.lower() and who.lower() in f.message.lower() for f in found)
    assert linter.check_text(text).stats["deficit"] == 0


WRITERS_OWN = [
    ("I told Mum that I thought Dad was aggressive on the phone.", "aggressive"),
    ("Mum phoned the police after Dad became aggressive.", "aggressive"),
    ("It was felt that the home was chaotic.", "chaotic"),
    ("I find that the mother failed to engage with the assessment.", "failed to engage"),
]


@pytest.mark.parametrize("text,words", WRITERS_OWN)
def test_the_writers_own_words_stay_warnings(linter: Linter, text: str, words: str) -> None:
    assert [f.severity.name for f in _on(linter, text, words)] == ["WARNING"]


def test_jargon_in_reported_speech_is_still_the_writers_word(linter: Linter) -> None:
    found = _on(linter, "Dad said that supervised contact went well.", "supervised contact")
    assert [f.severity.name for f in found] == ["WARNING"]


def test_both_and_neither_are_the_people_named_before(linter: Linter) -> None:
    assert _on(linter, "The parents met at college and both suffer from asthma.", "suffer from")
    assert not _on(linter, "The two flats are damp and both suffer from mould.", "suffer from")


def test_both_and_each_with_nobody_named_are_not_people(linter: Linter) -> None:
    assert not _on(linter, "There are two dogs in the garden; both are aggressive.", "aggressive")
    assert not _on(linter, "Each of the dogs was aggressive.", "aggressive")


def test_a_passive_and_the_active_verb_sharing_its_subject(linter: Linter) -> None:
    found = _on(linter, "Jo was asked about home and said Dad is aggressive.", "aggressive")
    assert [f.reported for f in found] == ["Jo"]


def test_reasons_keep_a_name_with_an_apostrophe_out_of_redacted_output(tmp_path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("Dr O'Brien's report describes Ms Lane as ‘hostile’.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--explain", "--format", "json", "--redact", str(p)])
    assert "Brien" not in r.output and "Lane" not in r.output and "hostile”" not in r.output
    assert "a label quoted from" in r.output


def test_how_a_thing_was_done_is_not_a_label(linter: Linter) -> None:
    assert not _on(linter, "The infection spread aggressively over the weekend.", "aggressively")
    assert _on(linter, "Dad shouted aggressively at the receptionist.", "aggressively")


def test_who_is_talked_about_in_a_passive_is_not_the_speaker(linter: Linter) -> None:
    found = _on(linter, "Amira was described by the night staff as aggressive.", "aggressive")
    assert [f.reported for f in found] == ["the night staff"]
    found = _on(linter, "Amira was described as aggressive at school.", "aggressive")
    assert [f.reported for f in found] == [""] and "Amira" not in found[0].message


# -- whose words: a label quoted from a record ---------------------------------------------
QUOTED_LABELS = [
    ("The hospital discharge letter calls her ‘non-compliant’ with her insulin.", "non-compliant",
     "The hospital discharge letter"),
    ("The duty log describes Jordan as ‘aggressive’ on arrival.", "aggressive", "The duty log"),
    ("At the 2019 review Mrs Okoro was recorded as ‘chaotic’.", "chaotic", ""),
    ("Dr Patel's letter states that Ben ‘failed to engage’ with the clinic.", "failed to engage",
     "Dr Patel's letter"),
    ("Her keyworker described her as a ‘needy’ young woman.", "needy", "Her keyworker"),
    ("He was refusing meals and was labelled ‘non-compliant’ by the ward.", "non-compliant",
     "the ward"),
    ("Ms Bell was recorded on the triage form as ‘aggressive’.", "aggressive", ""),
]


@pytest.mark.parametrize("text,words,who", QUOTED_LABELS)
def test_a_label_quoted_from_a_record_is_a_note_naming_the_record(linter: Linter, text: str,
                                                                  words: str, who: str) -> None:
    found = _on(linter, text, words)
    assert [f.severity.name for f in found] == ["INFO"]
    assert found[0].reported.lower() == who.lower() and found[0].suggestions == ()
    assert "quoted" in found[0].message and "exact words" in found[0].message


QUOTED_OWN_WORDS = [
    "Mum told me, ‘he kicks off every single night’.",  # a parent's own words
    "Jordan said the staff ‘treat me like I'm aggressive’.",  # a child's own words
    "Nan called him ‘a little liar’ in front of me.",  # a relative's words: evidence, kept
    "The review found the description of her as ‘chaotic’ was not borne out.",  # a noun, not naming
    "The log wrongly described Jordan as ‘aggressive’ on arrival.",  # the writer disputes it
    "She was described as ‘non-compliant’ when in fact the pharmacy had no stock.",
    "The word ‘aggressive’ appears eleven times in the chronology.",  # named as a word
    "‘Chaotic’ was written on the front of the file.",  # no verb of naming a person
    "Mia asked not to be called a ‘care leaver’ in the plan.",  # her wish, not a record
    "The school did not describe Jordan as ‘aggressive’.",  # not said
    "Kofi said: ‘My teacher calls me a liar.’",  # the naming is inside his own words
    "Dad told me: “The report calls me ‘aggressive’.”",
    "Nia was called ‘a liar’ in the playground.",  # anyone may call; no record
    "Leo hates being called ‘naughty’.",
    "Mum's statement describes Dad as ‘aggressive’.",  # a parent's own document
    "Her diary entry describes her brother as ‘manipulative’.",
]


@pytest.mark.parametrize("text", QUOTED_OWN_WORDS)
def test_other_quoted_words_stay_the_speakers_own(linter: Linter, text: str) -> None:
    assert [f for f in linter.check_text(text).findings if f.category != "jargon"] == []


def test_a_quoted_label_in_redacted_output_keeps_its_words_out(linter: Linter) -> None:
    result = linter.check_text("Dr Okafor's notes describe Ms Lane as ‘manipulative’.")
    shown = [f.to_dict(redact=True) for f in result.findings]
    assert [f["rule"] for f in shown] == ["labels.manipulative"]
    out = json.dumps([{k: v for k, v in f.items() if k != "rule"} for f in shown])
    assert "quoted" in out and "Okafor" not in out and "manipulative" not in out


# -- explain -----------------------------------------------------------------------------
def test_explain_shows_every_candidate_kept_or_skipped() -> None:
    text = "Please contact me. Mum failed to engage. The court refused. He said 'you liar'."
    r = CliRunner().invoke(main, ["explain", text])
    assert r.exit_code == 0, r.output
    assert "jargon.contact  \"contact\": skipped, after 'please'" in r.output
    assert "blame.failed-to-engage  \"failed to engage\": kept" in r.output
    assert "\"refused\": skipped, subject 'court' is not a person" in r.output
    assert "\"liar\": skipped, inside a quotation" in r.output


def test_explain_in_json_and_redacted(tmp_path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("Mum failed to engage. I will contact Ms Patel.\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--explain", "--format", "json", "--redact", str(p)])
    doc = json.loads(r.output)
    decisions = doc["files"][0]["explain"]
    assert {d["decision"] for d in decisions} == {"kept", "skipped"}
    assert all(d["match"] is None for d in decisions)
    assert "Patel" not in r.output and "Mum" not in r.output
    plain = CliRunner().invoke(main, ["check", "--format", "json", str(p)])
    assert "explain" not in json.loads(plain.output)["files"][0]


def test_initials_that_name_people_and_law_reports_are_not_acronyms(linter: Linter) -> None:
    """Judgments and reviews name the family by initials ("ES, who was born", "JC's
    mother", "v SB, DM and BL") and cite law reports ("[2015] 1 FLR 349")."""
    text = ("The local authority v SB, DM and BL concerns three children. The child is ES, who "
            "was born in 2019; ES lives with her aunt. JC's mother attended. See [2015] 1 FLR 349. "
            "HH Judge Cole heard it. Staff at the QZR were told.")
    found = [f.match for f in linter.check_text(text).findings if f.rule == "acronyms.unknown"]
    assert found == ["QZR"]
