"""Rewording that fits: probe sentences of our own, each with the sentence a colleague
would write once the first suggestion is in place (or ``null``: no honest drop-in, only
advice).  One file per pack in ``tests/data/rewrites/``; every line is its own test.

A probe line: ``{"text": ..., "rule": "pack.rule", "rewrite": "..." | null, "note": ...}``.
The rule is switched on for the probe even where its pack is off by default.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sba_lint.config import Config
from sba_lint.linter import Linter

HERE = Path(__file__).parent / "data" / "rewrites"
PROBES = [
    (path.stem, n, json.loads(line))
    for path in sorted(HERE.glob("*.jsonl"))
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
    if line.strip()
]
_linters: dict[str, Linter] = {}


def _linter(rule: str) -> Linter:
    pack = rule.split(".", 1)[0]
    if pack not in _linters:
        _linters[pack] = Linter(Config(extend_select=(pack,)), with_stats=False)
    return _linters[pack]


@pytest.mark.parametrize("probe", [p[2] for p in PROBES],
                         ids=[f"{p[0]}:{p[1]}" for p in PROBES])
def test_first_suggestion_gives_the_sentence_a_colleague_would_write(probe):
    text, rule, want = probe["text"], probe["rule"], probe["rewrite"]
    result = _linter(rule).check_text(text)
    found = [f for f in result.findings if f.rule == rule]
    assert found, f"{rule} did not flag {text!r}: {[(f.rule, f.match) for f in result.findings]}"
    f = found[0]
    if want is None:
        assert f.suggestions == () and f.advice, f"expected advice only, got {f.suggestions}"
        assert f.fix is None
        return
    assert f.suggestions, f"no suggestion for {f.match!r} ({f.advice})"
    got = text[:f.start] + f.suggestions[0] + text[f.end:]
    assert got == want
    if f.fix is not None:  # the fix writes exactly the first suggestion
        assert text[:f.start] + f.fix.replacement + text[f.end:] == want


def test_the_probe_set_is_broad():
    rules = {p[2]["rule"] for p in PROBES}
    assert len(PROBES) >= 300 and len(rules) >= 150, (len(PROBES), len(rules))
