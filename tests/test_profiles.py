"""Profiles (document types), explain-once rules and the strengths balance."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sba_lint.analysis import strengths
from sba_lint.analysis.text import TextIndex
from sba_lint.cli import main
from sba_lint.config import Config
from sba_lint.errors import ConfigError, RulePackError
from sba_lint.linter import Linter
from sba_lint.rules.profiles import available

LETTER = (
    "We are writing to let you know that the meeting which was arranged for next Tuesday "
    "at the family centre has had to be moved to another day because the room is not free. "
    "Prior to the meeting we will ring you."
)


def rules_of(result):
    return [f.rule for f in result.findings]


def test_bundled_profiles_are_the_four_document_types():
    names = {p.name for p in available()}
    assert names == {"case-note", "assessment", "court-report", "letter"}
    assert all(p.description for p in available())


def test_letter_profile_checks_reading_level_and_sentence_length():
    plain = Linter(Config())
    letter = Linter(Config(profile="letter"))
    assert "readability.long-sentence" not in rules_of(plain.check_text(LETTER))
    got = letter.check_text(LETTER)
    long = [f for f in got.findings if f.rule == "readability.long-sentence"]
    assert len(long) == 1 and "(the aim is 25 or fewer)" in long[0].message
    assert str(long[0].severity) == "warning"
    prior = [f for f in got.findings if f.rule == "plain.prior-to"]
    assert prior and str(prior[0].severity) == "warning"
    rule = letter.ruleset.by_id["readability.grade"]
    assert rule.spec["max"] == 6


def test_letter_grade_target_flags_dense_prose():
    dense = ("Notwithstanding considerable organisational complexities, the multidisciplinary "
             "professional network subsequently determined comprehensive therapeutic "
             "interventions were unequivocally necessitated.")
    got = Linter(Config(profile="letter")).check_text(dense)
    assert "readability.grade" in rules_of(got)


def test_legal_terms_are_right_in_case_notes_and_court_reports_and_explained_once_for_families():
    text = ("The local authority applied for an interim care order. The interim care order "
            "was made on 3 May. Amy is accommodated under section 20.")
    for quiet in (Config(), Config(profile="case-note"), Config(profile="court-report")):
        assert not [f for f in Linter(quiet).check_text(text).findings if f.rule.startswith("legal.")]
    assessment = Linter(Config(profile="assessment")).check_text(text)
    legal = [f for f in assessment.findings if f.rule.startswith("legal.")]
    assert [f.match.lower() for f in legal] == ["interim care order", "is accommodated", "under section 20"]
    assert all(str(f.severity) == "info" for f in legal)
    letter = Linter(Config(profile="letter")).check_text(text)
    orders = [f for f in letter.findings if f.rule == "legal.care-order"]
    assert len(orders) == 1 and str(orders[0].severity) == "warning"


def test_plain_english_is_asked_once_as_information_and_left_out_of_court_reports():
    text = "Prior to the meeting I rang Nan. Prior to that I wrote to her."
    prior = [f for f in Linter(Config()).check_text(text).findings if f.rule == "plain.prior-to"]
    assert len(prior) == 1 and str(prior[0].severity) == "info" and prior[0].suggestions[0] == "Before"
    letter = [f for f in Linter(Config(profile="letter")).check_text(text).findings
              if f.rule == "plain.prior-to"]
    assert len(letter) == 1 and str(letter[0].severity) == "warning"
    assert not Linter(Config(profile="court-report")).check_text(text).findings


def test_user_configuration_applies_on_top_of_the_profile():
    linter = Linter(Config(profile="letter", ignore=("readability",), severity=(("plain", "info"),)))
    got = linter.check_text(LETTER)
    assert not any(r.startswith("readability.") for r in rules_of(got))
    assert all(str(f.severity) == "info" for f in got.findings if f.rule.startswith("plain."))


def test_unknown_profile_is_a_config_error_listing_the_choices():
    with pytest.raises(ConfigError, match="no profile called 'memo'.*court-report"):
        Linter(Config(profile="memo"))


def test_profile_from_config_file_and_cli(tmp_path):
    (tmp_path / "sba-lint.toml").write_text('profile = "letter"\n')
    doc = tmp_path / "letter.txt"
    doc.write_text(LETTER)
    r = CliRunner().invoke(main, ["check", "--format", "json", str(doc)])
    assert "readability.long-sentence" in r.output
    r = CliRunner().invoke(main, ["check", "--profile", "case-note", "--format", "json", str(doc)])
    assert "readability.long-sentence" not in r.output
    r = CliRunner().invoke(main, ["check", "--profile", "nope", str(doc)])
    assert r.exit_code == 2 and "no profile called 'nope'" in r.output


def test_a_style_folder_can_bring_its_own_profile(tmp_path):
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "memo.yml").write_text(
        "profile: memo\nname: Memo\ndescription: internal memos\nignore: [plain]\n")
    got = Linter(Config(profile="memo", rules=(tmp_path,))).check_text("Prior to the visit.")
    assert not got.findings
    (tmp_path / "profiles" / "memo.yml").write_text(
        "profile: memo\nname: Memo\ndescription: x\noptions:\n  nothing.here: {once: true}\n")
    with pytest.raises(RulePackError, match="options name no rule 'nothing.here'"):
        Linter(Config(profile="memo", rules=(tmp_path,)))


def test_acronyms_are_asked_to_be_explained_once():
    got = Linter(Config()).check_text("The CIN plan is working. At the CIN meeting Mum spoke first.")
    assert [f.match for f in got.findings if f.rule == "acronyms.undefined"] == ["CIN"]


@pytest.mark.parametrize(
    "sentence, counted",
    [
        ("Amy enjoys drama club.", True),
        ("Dad has kept every appointment since May.", True),
        ("Mum was able to settle the baby quickly.", True),
        ("Mum was not able to settle the baby.", False),
        ("Dad is unable to cook.", False),
        ('She said "I am proud of nothing."', False),
        ("The house was untidy.", False),
    ],
)
def test_strengths_statements(sentence, counted):
    assert strengths.count(TextIndex(sentence)) == int(counted)


def test_a_sentence_counts_once():
    assert strengths.count(TextIndex("Amy enjoys school, is proud of her reading and is able to swim.")) == 1


def test_balance_in_stats_and_at_the_end_of_the_text_report(tmp_path):
    doc = tmp_path / "note.txt"
    doc.write_text("Mum failed to engage. Dad was aggressive.\nAmy enjoys school.\n")
    r = CliRunner().invoke(main, ["check", "--format", "json", str(doc)])
    st = json.loads(r.output)["files"][0]["stats"]
    assert (st["strengths"], st["deficit"]) == (1, 2)
    r = CliRunner().invoke(main, ["check", str(doc)])
    last = r.output.rstrip().splitlines()[-1]
    assert last.startswith("Strengths balance: 1 strengths statement, 2 deficit findings.")
    assert "what is working" in last


def test_jargon_is_not_a_deficit_finding(linter):
    got = linter.check_text("Lola has contact with Mum on Fridays.")
    assert got.findings and got.stats["deficit"] == 0


def test_a_heading_or_form_line_in_plain_text_ends_its_sentence():
    """"Health: asthma" and "PLAN" lines end where they end; hard-wrapped prose runs on."""
    text = ("PLAN FOR RESPITE\nHealth: suffers with asthma\nMum said that she would ring\n"
            "the school on Monday. We visited the family at\nTheir new flat on Friday and\n"
            "Dad was there.\n")
    spans = [text[s:e] for s, e in TextIndex(text).sentences()]
    assert spans == ["PLAN FOR RESPITE", "Health: suffers with asthma",
                     "Mum said that she would ring\nthe school on Monday.",
                     "We visited the family at\nTheir new flat on Friday and\nDad was there."]
