"""Every example of every bundled rule, as LanguageTool does: each is its own test."""

from __future__ import annotations

import pytest

from sba_lint.rules import discover, load_rules
from sba_lint.rules.engine import Engine
from sba_lint.rules.examples import check_example
from sba_lint.rules.kinds import RuleSet

RULES = load_rules(discover(entry_points=False))
CASES = [
    pytest.param(rule, ex, should_flag, id=f"{rule.id}:{'flag' if should_flag else 'pass'}:{i}")
    for rule in RULES
    for should_flag, examples in ((True, rule.flag), (False, rule.ok))
    for i, ex in enumerate(examples)
]
_engines: dict[str, Engine] = {}


@pytest.mark.parametrize("rule, example, should_flag", CASES)
def test_rule_example(rule, example, should_flag):
    engine = _engines.setdefault(rule.id, Engine(RuleSet([rule])))
    outcome = check_example(rule, engine, example, should_flag)
    assert outcome.passed, outcome.describe()


def test_bundled_packs_cover_every_category_the_engine_promises():
    categories = {r.category for r in RULES}
    assert {"blaming", "labelling", "jargon", "acronym", "victim-blaming", "person-first",
            "plain-english", "readability"} <= categories
    assert {r.kind for r in RULES} == {"phrase", "pattern", "acronym", "metric"}
