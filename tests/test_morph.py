from __future__ import annotations

import pytest

from sba_lint.analysis import morph
from sba_lint.rules.engine import render_suggestion


@pytest.mark.parametrize("verb, forms", [
    ("refuse", ("refuses", "refused", "refused", "refusing")),
    ("engage", ("engages", "engaged", "engaged", "engaging")),
    ("stop", ("stops", "stopped", "stopped", "stopping")),
    ("commit", ("commits", "committed", "committed", "committing")),
    ("visit", ("visits", "visited", "visited", "visiting")),
    ("travel", ("travels", "travelled", "travelled", "travelling")),
    ("try", ("tries", "tried", "tried", "trying")),
    ("go", ("goes", "went", "gone", "going")),
    ("choose", ("chooses", "chose", "chosen", "choosing")),
    ("do", ("does", "did", "done", "doing")),
    ("be", ("is", "was", "been", "being")),
    ("die", ("dies", "died", "died", "dying")),
    ("panic", ("panics", "panicked", "panicked", "panicking")),
    ("abscond", ("absconds", "absconded", "absconded", "absconding")),
    ("reside", ("resides", "resided", "resided", "residing")),
])
def test_verb_forms(verb, forms):
    f = morph.verb_forms(verb)
    assert (f["VBZ"], f["VBD"], f["VBN"], f["VBG"]) == forms


@pytest.mark.parametrize("noun, plural", [
    ("placement", "placements"), ("family", "families"), ("child", "children"),
    ("person", "people"), ("box", "boxes"), ("grandchild", "grandchildren"), ("day", "days"),
])
def test_plurals(noun, plural):
    assert morph.plural(noun) == plural


def test_case_follows_the_model():
    assert morph.match_case("declines", "Refuses") == "Declines"
    assert morph.match_case("declines", "REFUSES") == "DECLINES"


def test_braced_words_take_the_matched_form(linter):
    rule = linter.ruleset.by_id["blame.refuses"]
    assert render_suggestion("{choose} not to", rule, "refused", "VBD", None, False) == "chose not to"
    assert render_suggestion("{choose} not to", rule, "Refuses", "VBZ", None, True) == "Chooses not to"
    assert render_suggestion("not braced", rule, "refused", "VBD", None, False) == "not braced"
