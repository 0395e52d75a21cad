from __future__ import annotations

import pytest

from sba_lint.analysis import morph
from sba_lint.rewrite.render import Slot, render


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


def _braced(template, text, match, tag, start_of_sentence=False):
    s = text.index(match)
    r = render(template, Slot(text, s, s + len(match), tag, sentence_start=start_of_sentence))
    return r.apply(text)


def test_braced_words_take_the_matched_form():
    assert _braced("{choose} not to", "Sam refused to go.", "refused", "VBD") == "Sam chose not to to go."
    assert _braced("{choose} not", "Refuses to go.", "Refuses", "VBZ", True) == "Chooses not to go."
    assert _braced("not braced", "Sam refused it.", "refused", "VBD") == "Sam not braced it."
    assert _braced("{home|homes}", "Two placements.", "placements", "NNS") == "Two homes."
