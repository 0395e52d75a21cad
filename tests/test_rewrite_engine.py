"""The rewrite machinery: suggestions rendered into the slot, cased, and checked by reading
the sentence again; overlaps resolved whatever is switched off.  (The rewording each rule
offers is tested by its examples and by tests/test_rewrites.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sba_lint.analysis import nlp
from sba_lint.cli import main
from sba_lint.config import Config
from sba_lint.linter import Linter
from sba_lint.rewrite import agreement, casing
from sba_lint.rewrite.render import Slot, render, wants_an
from sba_lint.rules.loader import load_pack


def _render(template: str, text: str, match: str) -> str | None:
    start = text.index(match)
    sent = nlp.parse([text])[0]
    r = render(template, Slot(text, start, start + len(match), sentence=sent,
                              sentence_start=start == 0))
    return None if r is None else r.apply(text)


@pytest.mark.parametrize("text, match, template, want", [
    ("Jess is placed with her aunt.", "placed with", "<live> with", "Jess lives with her aunt."),
    ("The boys are placed with their uncle.", "placed with", "<live> with",
     "The boys live with their uncle."),
    ("By May the girls had been placed with Nan for a year.", "placed with", "<live> with",
     "By May the girls had lived with Nan for a year."),
    ("The twins are being placed with adopters next week.", "placed with", "<live> with",
     "The twins are going to live with adopters next week."),
    ("The twins will be placed with Nan.", "placed with", "<live> with", "The twins will live with Nan."),
    ("Jess is currently placed with her aunt.", "placed with", "<live> with",
     "Jess currently lives with her aunt."),
    ("Mum failed to attend the review.", "failed to attend", "<not attend>",
     "Mum did not attend the review."),
    ("The parents have failed to attend two reviews.", "failed to attend", "<not attend>",
     "The parents have not attended two reviews."),
    ("Dad fails to attend most weeks.", "fails to attend", "<not attend>",
     "Dad does not attend most weeks."),
    ("Mum is failing to attend.", "failing to attend", "<not attend>", "Mum is not attending."),
    ("Dad may fail to attend.", "fail to attend", "<not attend>", "Dad may not attend."),
    ("Dad has been non-compliant with his tablets.", "non-compliant with", "<not be> taking",
     "Dad has not been taking his tablets."),
    ("Dad is non-compliant with his tablets.", "non-compliant with", "<not be> taking",
     "Dad is not taking his tablets."),
    ("Dan is wheelchair-bound.", "wheelchair-bound", "<use> a wheelchair", "Dan uses a wheelchair."),
    ("Mum suffers from depression.", "suffers from", "<have>", "Mum has depression."),
    ("Mum is suffering from depression.", "suffering from", "<have>", "Mum has depression."),
    ("Mum suffered from anxiety as a child.", "suffered from", "<have>",
     "Mum had anxiety as a child."),
    ("Tom has absconded twice.", "absconded", "<run> away", "Tom has run away twice."),
    ("Tom absconded on Friday.", "absconded", "<run> away", "Tom ran away on Friday."),
    ("Amy, 15, is selling sex.", "selling sex", "<be> sexually exploited",
     "Amy, 15, is being sexually exploited."),
    ("Amy has been selling sex.", "selling sex", "<be> sexually exploited",
     "Amy has been sexually exploited."),
    ("The girls were selling sex.", "selling sex", "<be> sexually exploited",
     "The girls were being sexually exploited."),
])
def test_verbs_are_conjugated_into_the_verb_group(text, match, template, want):
    assert _render(template, text, match) == want


def test_a_verb_template_does_not_fit_a_noun():
    assert _render("<live> with", "The placement ended in May.", "placement") is None


@pytest.mark.parametrize("text, match, template, want", [
    ("RESPITE: alternate weekends", "RESPITE", "{short break|short breaks}",
     "SHORT BREAK: alternate weekends"),
    ("Contact Arrangements: weekly", "Contact Arrangements", "family time arrangements",
     "Family Time Arrangements: weekly"),
    ("Contact is weekly.", "Contact", "family time", "Family time is weekly."),
    ("We spoke about contact.", "contact", "family time", "We spoke about family time."),
    ("Three contacts were missed.", "contacts", "{family time|family time sessions}",
     "Three family time sessions were missed."),
    ("The care leavers' forum meets.", "care leavers", "care-experienced young people",
     "The care-experienced young people's forum meets."),
    ("Dad asked for a respite-care package.", "respite-care", "short break",
     "Dad asked for a short-break package."),
    ("He is an alcoholic.", "alcoholic", "person who is dependent on alcohol",
     "He is a person who is dependent on alcohol."),
    ("It was a unit.", "unit", "children's home", "It was a children's home."),
    # inside a Title Case heading a small first word stays small
    ("Plan for Respite Care", "for Respite Care", "for a short break", "Plan for a Short Break"),
    # a heading that is a phrase already takes wording with a phrase of its own
    ("Support Group for Dementia Sufferers", "Dementia Sufferers",
     "{person with dementia|people with dementia}", "Support Group for People with Dementia"),
])
def test_casing_articles_possessives_and_hyphens(text, match, template, want):
    start = text.index(match)
    tag = "NNS" if match.endswith("s") and template.startswith("{") else None
    r = render(template, Slot(text, start, start + len(match), tag, sentence_start=start == 0))
    assert r.apply(text) == want


def test_casing_styles():
    assert [casing.style(s) for s in ("contact", "Contact", "CONTACT ARRANGEMENTS",
                                      "Contact Arrangements", "Plan for Contact")] == \
        ["lower", "capital", "upper", "title", "title"]
    assert casing.apply("time with [name]", "upper") == "TIME WITH [name]"


def test_an_before_vowel_sounds():
    assert [wants_an(w) for w in ("apple", "hour", "unit", "one", "MP", "GP", "8", "user")] == \
        [True, True, False, False, True, False, True, False]


@pytest.mark.parametrize("bad", [
    "Mum did not the conference.", "Jess live with her aunt.", "Tom has ran away.",
    "There has been has not yet taken up support.", "We met two care-experienced young person.",
    "A brothers and sisters of three went home.", "Lewis grew up with an person who drinks.",
    "I talked to with him.", "Dad will lives there.", "The parents attends the meeting.",
])
def test_agreement_problems_are_seen(bad):
    assert agreement.problems(nlp.parse([bad])[0])


@pytest.mark.parametrize("good", [
    "Mum did not attend the conference.", "Jess lives with her aunt.", "Tom has run away.",
    "The twins are going to live with adopters.", "Staff had had enough.",
    "Many children have been let down.", "Dad has a long history of substance use.",
    "She was having a seizure when the ambulance arrived.", "It was a one-off.",
])
def test_good_sentences_have_no_agreement_problems(good):
    assert not agreement.problems(nlp.parse([good])[0])


PACK = """
pack: probe
category: test
rules:
  - id: fail-to
    kind: phrase
    inflect: verb
    phrases:
      - fail to attend: ["{do} not", "<not attend>"]
      - fail to engage: []
    fix: unsafe
    advice: Say what was offered and what got in the way.
    message: '"{match}" blames.'
    examples:
      flag: ["Mum [[failed to attend]] the review."]
"""


def test_a_suggestion_that_breaks_agreement_is_dropped_and_its_fix_with_it(tmp_path: Path):
    pack = tmp_path / "probe.yml"
    pack.write_text(PACK, encoding="utf-8")
    linter = Linter(rules=load_pack(pack), explain=True)
    result = linter.check_text("Mum failed to attend the review. Dad failed to engage.")
    first, second = result.findings
    # "did not the review" is dropped; the conjugated one stays, but no fix: the rule's
    # first wording did not survive
    assert first.match == "failed to attend" and first.suggestions == ("did not attend",)
    assert first.fix is None
    assert second.suggestions == () and second.advice.startswith("Say what was offered")
    kept = [d for d in result.decisions if d.kept and d.start == first.start]
    assert "dropped (do-not: 'did not the')" in kept[0].reason


def test_ignoring_the_winner_does_not_let_another_rule_flag_the_same_words():
    plain = Linter(Config())
    text = "Mum failed to engage with the plan."
    rules = {f.rule for f in plain.check_text(text).findings}
    assert rules == {"blame.failed-to-engage"}
    ignoring = Linter(Config(ignore=("blame.failed-to-engage",)))
    assert ignoring.check_text(text).findings == []


def test_allowed_words_silence_everything_inside_them():
    linter = Linter(Config(allow=("family contact",)))
    found = [f.match for f in linter.check_text("Family contact is weekly. Contact is weekly.").findings]
    assert found == ["Contact"]


def test_json_carries_advice_and_redacts_suggestions(tmp_path: Path):
    p = tmp_path / "n.txt"
    p.write_text("Mum failed to engage with Dr Okafor. Contact with Ruby is weekly.\n", encoding="utf-8")
    out = json.loads(CliRunner().invoke(main, ["check", "--format", "json", "--redact", str(p)]).output)
    findings = out["files"][0]["findings"]
    assert all("advice" in f for f in findings)
    dumped = json.dumps(out)
    for word in ("Okafor", "Ruby"):
        assert word not in dumped


CONTEXT_PACK = """
pack: probe2
category: test
rules:
  - id: non-compliant
    kind: phrase
    phrases:
      - non-compliant with:
          - {text: "<not be> taking", after: [medication, tablets]}
          - "<not keep> to"
    message: '"{match}" is a label.'
    advice: Say what was agreed and what happened.
    examples:
      flag: ["Dad is [[non-compliant with]] his tablets."]
"""


def test_a_suggestion_may_fit_only_some_sentences(tmp_path: Path):
    pack = tmp_path / "probe2.yml"
    pack.write_text(CONTEXT_PACK, encoding="utf-8")
    linter = Linter(rules=load_pack(pack))
    tablets, agreement_ = (linter.check_text(t).findings[0] for t in (
        "Dad has been non-compliant with his tablets.",
        "Dad was non-compliant with the written agreement."))
    assert tablets.suggestions == ("not been taking", "not kept to")
    assert agreement_.suggestions == ("did not keep to",)


@pytest.mark.parametrize("text, match, template, want", [
    ("Dad is a heroin addict.", "a heroin addict", "<use> heroin", "Dad uses heroin."),
    ("His brother is mentally handicapped.", "mentally handicapped", "<have> a learning disability",
     "His brother has a learning disability."),
])
def test_be_with_a_noun_gives_a_simple_verb(text, match, template, want):
    assert _render(template, text, match) == want


def _new_problems_after_fixing(result, text: str) -> list[str]:
    from sba_lint.analysis.text import TextIndex
    from sba_lint.fixes import plan
    from sba_lint.fixes.text import apply

    fixed = apply(text, result, plan(result, unsafe=True))
    before = [text[s:e] for s, e in TextIndex(text).sentences()]
    after = [fixed[s:e] for s, e in TextIndex(fixed).sentences()]
    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if a != b]
    docs = nlp.parse([x for pair in changed for x in pair])
    out = []
    for k, (b, a) in enumerate(changed):
        extra = agreement.problems(docs[2 * k + 1]) - agreement.problems(docs[2 * k])
        if extra:
            out.append(f"{b!r} -> {a!r}: {dict(extra)}")
    return out


def test_fixing_the_realistic_case_note_breaks_no_agreement(tmp_path: Path):
    from docx_builder import realistic_case_note

    linter = Linter()
    result = linter.check_file(realistic_case_note(tmp_path / "case-note.docx"))
    assert any(f.fix for f in result.findings)
    assert _new_problems_after_fixing(result, result.document.text) == []


def test_fixing_every_probe_breaks_no_agreement():
    probes = [json.loads(line) for p in sorted((Path(__file__).parent / "data" / "rewrites").glob("*.jsonl"))
              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
    linter = Linter(Config(extend_select=("ALL",)))
    text = "\n\n".join(p["text"] for p in probes)
    result = linter.check_text(text)
    assert _new_problems_after_fixing(result, text) == []


@pytest.mark.parametrize("text, match, template, want", [
    # the sentence's own "not" stays, and is not doubled
    ("Jade doesn't kick off at home.", "kick off", "<become> upset", "Jade doesn't become upset at home."),
    # a negated template on a negated verb: the two "not"s cancel
    ("Dad will not refuse to sign.", "refuse to", "<not want> to", "Dad will want to sign."),
    ("Mum does not fail to attend.", "fail to attend", "<not attend>", "Mum attends."),
    ("Sam hasn't accessed the community.", "accessed the community", "<go> out",
     "Sam hasn't gone out."),
    # a gerund stays a gerund
    ("Accessing the community helps Leon.", "Accessing the community", "<go> out",
     "Going out helps Leon."),
    ("Leon enjoys accessing the community.", "accessing the community", "<go> out",
     "Leon enjoys going out."),
    # a collective noun with a plural verb
    ("Staff toilet him at night.", "toilet him", "<help> him to the toilet",
     "Staff help him to the toilet at night."),
])
def test_negation_gerunds_and_collective_subjects(text, match, template, want):
    assert _render(template, text, match) == want


def test_a_possessive_cannot_follow_a_post_modified_phrase():
    text = "The vulnerable adults' team took it."
    start = text.index("vulnerable adults")
    assert render("adults at risk", Slot(text, start, start + len("vulnerable adults"))) is None


def test_an_acronym_plural_is_not_a_capital():
    text = "He needs help with ADLs."
    start = text.index("ADLs")
    assert render("everyday tasks", Slot(text, start, start + 4)).apply(text) == \
        "He needs help with everyday tasks."


@pytest.mark.parametrize("text", [
    "The new plan ameliorated the worries about night-time.",
    "Jo ceased to be looked after in May.",
    "Nan moved into assisted living last year.",
    "He spoke about assisted dying.",
    "Sam has an assistance dog.",
    "Mum was assisted by her sister at the meeting.",
    "The responsibility resides with the local authority.",
    "The hearing was expedited.",
    "We regarding him as a risk is wrong.",
    "Staff kept the parents apprised of the plan.",
])
def test_a_safe_fix_never_changes_the_meaning(text):
    """Safe fixes are applied without review: none may touch words whose meaning the
    replacement would change (each of these was once a wrong 'safe' fix, or nearly)."""
    result = Linter(Config(extend_select=("ALL",))).check_text(text)
    assert not [f for f in result.findings if f.fix is not None and f.fix.safe], \
        [(f.rule, f.match, f.fix) for f in result.findings if f.fix]


def test_every_safe_fix_is_a_single_meaning_preserving_word_swap():
    """The safe fixes that remain, listed: a new one is a decision, not an accident."""
    from sba_lint.rules import discover, load_rules

    safe = sorted(r.id for r in load_rules(discover(entry_points=False)) if r.fix == "safe")
    assert safe == sorted(SAFE_FIXES)


SAFE_FIXES = [
    "plain.utilise", "plain.utilisation", "plain.prior-to", "plain.whilst", "plain.numerous",
    "plain.in-lieu-of", "plain.remuneration", "plain.approximately", "plain.commence",
    "plain.endeavour", "plain.in-the-near-future", "person-first.committed-suicide",
]


def test_a_phrase_is_found_before_a_singular_possessive():
    """"the care leaver's plan": the phrase is read without its "'s", which stays put;
    the contractions of pronouns ("it's", "that's") are not possessives."""
    linter = Linter(Config())
    found = linter.check_text("The care leaver's pathway plan is ready. It's the LAC's review.").findings
    leaver = next(f for f in found if f.rule == "jargon.care-leaver")
    assert leaver.match == "care leaver"
    assert leaver.suggestions[0] == "care-experienced young person"
    assert {f.match for f in found if f.rule == "jargon.lac"} == {"LAC"}
    assert not linter.check_text("Mum said it's fine and that's that.").findings


@pytest.mark.parametrize("text, match, template, want", [
    # a phrase of its own cannot sit before the noun the match modifies
    ("SERVICE USER NAME: Arthur Bell", "SERVICE USER", "person we support", None),
    ("The respite carer rang.", "respite", "time with family", None),
    # a single word or a plain compound can
    ("The respite carer rang.", "respite", "short-break", "The short-break carer rang."),
    # and without a noun after it the phrase fits
    ("The service user said no.", "service user", "person we support",
     "The person we support said no."),
])
def test_a_modifier_cannot_end_in_a_phrase_of_its_own(text, match, template, want):
    assert _render(template, text, match) == want


@pytest.mark.parametrize("text, match, template, want", [
    ("Sibling Contact: monthly, at the park", "Sibling Contact",
     "family time with brothers and sisters", None),
    ("PLAN GOING FORWARD", "GOING FORWARD", "in future", None),
    ("Frequency of contact: weekly", "contact", "family time", "Frequency of family time: weekly"),
    ("Sibling contact is arranged for the holidays.", "Sibling contact",
     "family time with brothers and sisters",
     "Family time with brothers and sisters is arranged for the holidays."),
])
def test_a_label_keeps_its_shape(text, match, template, want):
    """A heading or a field name takes a word for a word, not a phrase of its own."""
    assert _render(template, text, match) == want


@pytest.mark.parametrize("text, first, meaning", [
    # an acronym with two meanings: the service's where it names the kind of what follows
    ("The CP plan ends in June.", "child protection", "child protection."),
    ("The CG meeting is on Friday.", "core group", "core group."),
    # otherwise only the writer knows: both meanings in the message, no drop-in
    ("Noah has CP and uses a walking frame.", None, "child protection or cerebral palsy."),
    ("The CG gave evidence on the second day.", None, "core group or Children's Guardian."),
    ("Your PA will help you with your housing application.", None,
     "personal adviser, personal assistant or paternal aunt."),
])
def test_an_acronym_with_two_meanings_is_written_out_only_where_it_can_be_told(text, first, meaning):
    found = [f for f in Linter(Config()).check_text(text).findings if f.rule == "acronyms.undefined"]
    assert len(found) == 1
    assert (found[0].suggestions[0] if found[0].suggestions else None) == first
    assert found[0].message.endswith(meaning)


def test_an_adverb_of_repetition_keeps_its_place_after_be():
    text = "Jayden (6) regularly misses his physiotherapy sessions."
    found = [f for f in Linter(Config()).check_text(text).findings if f.rule == "blame.child-missed"]
    assert [(f.match, f.suggestions[0]) for f in found] == [
        ("regularly misses", "is regularly not brought to")]


def test_sentences_for_conditions_and_for_rewording_are_parsed_in_one_batch(monkeypatch):
    # "manipulative" needs the parse to decide (who is described); "is placed with" needs
    # it to conjugate its suggestion: both sentences go to the parser together, and the
    # rewording read again around the finding is the only other request
    import sba_lint.rules.engine as engine

    calls: list[list[str]] = []
    real = nlp.parse

    def spy(texts):
        texts = list(texts)
        calls.append(texts)
        return real(texts)

    monkeypatch.setattr(engine.nlp, "parse", spy)
    text = "Jess is placed with her aunt. Mum was manipulative when we met."
    result = Linter(Config()).check_text(text)
    assert [(f.rule, f.suggestions[:1]) for f in result.findings] == [
        ("jargon.to-be-placed", ("lives",)), ("labels.manipulative", ())]
    assert calls == [["Jess is placed with her aunt.", "Mum was manipulative when we met."],
                     ["Jess lives with her aunt."]]
