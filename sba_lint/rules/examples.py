"""Run each rule's own examples, as LanguageTool does: text it must flag, text it must not."""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import Finding
from ..source.document import Document
from .engine import Engine
from .kinds import RuleSet
from .model import Example, Rule


@dataclass
class Outcome:
    rule: Rule
    example: Example
    should_flag: bool
    passed: bool
    found: list[Finding]
    reason: str = ""

    def describe(self) -> str:
        what = "flags" if self.should_flag else "passes"
        text = f"{what} {self.example.text!r}"
        return f"{text}: {self.reason}" if self.reason else text


def check_example(rule: Rule, engine: Engine, example: Example, should_flag: bool) -> Outcome:
    doc = Document(path="<example>", format="txt", text=example.text)
    found = [f for f in engine.run(doc) if f.rule == rule.id]
    if not should_flag:
        if found:
            spans = ", ".join(repr(f.match) for f in found)
            return Outcome(rule, example, False, False, found, f"but it flagged {spans}")
        return Outcome(rule, example, False, True, found)
    if not found:
        return Outcome(rule, example, True, False, found, "but nothing was flagged")
    if example.span:
        s, e = example.span
        exact = [f for f in found if (f.start, f.end) == (s, e)]
        if not exact:
            got = ", ".join(repr(f.match) for f in found)
            return Outcome(rule, example, True, False, found,
                           f"expected {example.text[s:e]!r}, flagged {got}")
        found = exact
    if example.suggest:
        want = example.suggest.lower()
        if not any(want in s.lower() for f in found for s in f.suggestions):
            got = "; ".join(s for f in found for s in f.suggestions)
            return Outcome(rule, example, True, False, found,
                           f"expected a suggestion with {example.suggest!r}, got {got!r}")
    if example.advice_only:
        given = [s for f in found for s in f.suggestions]
        if given or not any(f.advice for f in found):
            return Outcome(rule, example, True, False, found,
                           f"expected advice and no drop-in, got {given!r}")
    if example.rewrite is not None:
        first = found[0]
        if not first.suggestions:
            return Outcome(rule, example, True, False, found,
                           f"expected the rewrite {example.rewrite!r}, got no suggestion")
        got = example.text[:first.start] + first.suggestions[0] + example.text[first.end:]
        if got != example.rewrite:
            return Outcome(rule, example, True, False, found,
                           f"expected the rewrite {example.rewrite!r}, got {got!r}")
    return Outcome(rule, example, True, True, found)


def run_examples(rules: list[Rule]) -> list[Outcome]:
    """Every example of every rule, each rule checked on its own."""
    outcomes = []
    for rule in rules:
        engine = Engine(RuleSet([rule]))
        for ex in rule.flag:
            outcomes.append(check_example(rule, engine, ex, True))
        for ex in rule.ok:
            outcomes.append(check_example(rule, engine, ex, False))
    return outcomes
