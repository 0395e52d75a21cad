"""The bundled packs against the public guidance they are built from (docs/guidance/):
every D/D* row of pairs.tsv is covered by a rule (with a probe sentence that rule flags) or
excluded with a reason; every acronym of acronyms.tsv is expanded; the packs meet the
standard LanguageTool sets for rules (examples that must and must not be flagged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sba_lint.config import Config
from sba_lint.linter import Linter
from sba_lint.resources import wordlist_rows
from sba_lint.rules import discover, load_rules

GUIDANCE = Path(__file__).resolve().parent.parent / "docs" / "guidance"
RULES = load_rules(discover(entry_points=False))
IDS = {r.id for r in RULES}


def tsv(name: str) -> list[list[str]]:
    lines = (GUIDANCE / name).read_text(encoding="utf-8").splitlines()
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return rows[1:]  # header


PAIRS = tsv("pairs.tsv")
COVERAGE = {row[0]: row for row in tsv("coverage.tsv")}
EXCLUSIONS = {row[0]: row for row in tsv("exclusions.tsv")}
DEMONSTRATED = [row[0] for row in PAIRS if row[3] in ("D", "D*")]


def test_every_demonstrated_pair_is_covered_or_excluded_with_a_reason():
    missing = [p for p in DEMONSTRATED if p not in COVERAGE and p not in EXCLUSIONS]
    assert not missing, f"pairs.tsv rows neither covered nor excluded: {missing}"
    assert not set(COVERAGE) & set(EXCLUSIONS)
    known = {row[0] for row in PAIRS}
    assert set(COVERAGE) | set(EXCLUSIONS) <= known, "a coverage row names no pairs.tsv phrase"
    for phrase, row in EXCLUSIONS.items():
        assert len(row) == 2 and len(row[1]) > 20, f"exclusion without a reason: {phrase}"


@pytest.fixture(scope="module")
def everything():
    return Linter(Config(select=("ALL",)))


@pytest.mark.parametrize("phrase", sorted(COVERAGE))
def test_coverage_probe_is_flagged_by_a_named_rule(phrase, everything):
    _, rules, probe = COVERAGE[phrase]
    named = rules.split(",")
    assert set(named) <= IDS, f"unknown rule in coverage.tsv: {set(named) - IDS}"
    got = {f.rule for f in everything.check_text(probe).findings}
    assert got & set(named), f"{probe!r} flagged by {sorted(got)}, expected one of {named}"


def test_every_listed_acronym_is_expanded():
    table = {row[0]: row[1] for row in wordlist_rows("care-acronyms")}
    for row in tsv("acronyms.tsv"):
        for key in (k.strip() for k in row[0].split("/")):
            assert table.get(key), f"acronyms.tsv entry {key} has no expansion in care-acronyms.tsv"
    assert len(table) >= 80


def test_breadth_of_the_bundled_packs():
    assert len(RULES) >= 250
    packs = {r.pack for r in RULES}
    assert {"blame", "labels", "jargon", "acronyms", "victim", "person-first", "plain"} <= packs


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_carries_its_evidence(rule):
    assert rule.message.strip()
    if rule.kind in ("phrase", "pattern"):  # what to write instead: drop-ins, or advice
        own = rule.spec.get("phrase_suggestions", {})
        assert rule.advice, "advice: what to write instead"
        assert rule.suggestions or any(own.values()) or rule.advice
        assert any(e.rewrite is not None or e.advice_only for e in rule.flag), \
            "an example with its rewrite (or advice: true)"
    else:
        assert rule.suggestions or rule.advice, "a suggestion or advice"
    assert rule.source and all(s.strip() for s in rule.source), "a named public source"
    assert len(rule.flag) >= 2, "at least two examples that must be flagged"
    assert len(rule.ok) >= 1, "at least one near-miss that must not be flagged"


def test_disabled_people_is_not_flagged(everything):
    text = "Disabled people and disabled children have the right to the same services."
    assert not everything.check_text(text).findings


def test_docs_rules_md_is_current():
    from sba_lint.rules.reference import bundled

    checked_in = (GUIDANCE.parent / "rules.md").read_text(encoding="utf-8")
    assert checked_in == bundled(), "docs/rules.md is stale: run 'sba-lint rules docs -o docs/rules.md'"


def test_rules_docs_check_command(tmp_path):
    from click.testing import CliRunner

    from sba_lint.cli import main

    stale = tmp_path / "rules.md"
    stale.write_text("# old\n")
    r = CliRunner().invoke(main, ["rules", "docs", "-o", str(stale), "--check"])
    assert r.exit_code == 1 and "out of date" in r.output
    r = CliRunner().invoke(main, ["rules", "docs", "-o", str(stale)])
    assert r.exit_code == 0
    r = CliRunner().invoke(main, ["rules", "docs", "-o", str(stale), "--check"])
    assert r.exit_code == 0 and "up to date" in r.output
    text = stale.read_text()
    for rule in RULES:
        assert f"### `{rule.id}`" in text


def test_readme_counts_the_rules_it_ships():
    import re

    readme = (GUIDANCE.parent.parent / "README.md").read_text(encoding="utf-8")
    stated = int(re.search(r"(\d+) rules in all", readme).group(1))
    assert stated == len(RULES), "update the rule count in README.md"
