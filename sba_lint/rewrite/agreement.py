"""Read a sentence again after a rewrite: does it still agree?

The checks look for what a careless substitution breaks, and only count a problem the
original sentence did not already have:

- an article before a word that takes the other one ("an person", "a apartment");
- a determiner or number and a noun of the other number ("a brothers", "three contact",
  "two care-experienced young person");
- an auxiliary and the wrong verb form ("has ran", "did not the conference", "is live",
  "will lives", "been has");
- a subject and verb of different number ("Mia live", "the parents attends");
- the same word twice, or two prepositions, where the rewrite meets the sentence
  ("talked to with").

Placeholders are read as an ordinary word ("[name]" as a name, others as "something")
so that a suggestion with one is judged by its grammar.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..analysis import morph
from .casing import PLACEHOLDER
from .render import wants_an
from .verbs import PLURAL_NOUNS as _PLURAL_NOUNS

_SINGULAR_DETS = frozenset("a an one each every another this that".split())
_PLURAL_DETS = frozenset(
    "two three four five six seven eight nine ten eleven twelve several many these those "
    "both few various numerous".split())
#: "a few parents", "a lot of", "a number of": "a" belongs to the quantifier, not the noun
_QUANTIFIERS = frozenset("few lot number couple dozen hundred thousand handful great good "
                         "small large little bit range variety series".split())
_DO = frozenset("do does did".split())
_BE_FINITE = frozenset("am is are was were".split())
_HAVE = frozenset("has have had having".split())
_FINITE_AFTER = frozenset("has have is are was does did".split())
#: two prepositions that may meet: "in to", "on to", "in for", "from about"
_FINE_PAIRS = frozenset({("in", "to"), ("on", "to"), ("in", "for"), ("on", "for"), ("from", "about")})
#: prepositions that must have their object straight after them ("to with" is broken)
_NEEDS_OBJECT = frozenset("to with of for from by into onto".split())
_PREPOSITIONS = frozenset("to with of for from in on at by about into onto".split())
#: nouns that stay singular after a number ("two pence", "ten times" aside)
_MASS = frozenset("information advice support help staff police people children".split())


def readable(text: str) -> str:
    """Placeholders replaced by ordinary words of the same length class."""
    def word(m: re.Match[str]) -> str:
        inner = m.group()[1:-1].lower()
        return "Alex" if inner.startswith(("name", "first name", "child")) else "something"

    return PLACEHOLDER.sub(word, text)


def problems(doc: Any) -> Counter[tuple[str, str]]:
    """The agreement problems of one parsed sentence, as (check, words) pairs."""
    out: Counter[tuple[str, str]] = Counter()
    toks = [t for t in doc if not t.is_space]
    # "who she lives with." strands a preposition; so may any relative clause or question
    relative = any(t.tag_ in ("WP", "WDT", "WRB") or t.dep_ == "relcl" for t in toks)
    for i, t in enumerate(toks):
        low = t.lower_
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        # articles
        if low in ("a", "an") and nxt is not None and nxt.is_alpha and t.dep_ == "det":
            if (low == "an") != wants_an(nxt.text):
                out[("article", f"{low} {nxt.lower_}")] += 1
        # determiners and numbers against the noun's number
        if t.dep_ in ("det", "nummod") and t.head.i > t.i and t.head.pos_ in ("NOUN", "PROPN"):
            noun = t.head
            quantifier = (nxt is not None and nxt.lower_ in _QUANTIFIERS) or any(
                c.tag_ == "POS" for c in noun.children)  # "a children's home"
            if low in _SINGULAR_DETS and noun.tag_ in ("NNS", "NNPS") and low not in ("this", "that") \
                    and not quantifier:
                out[("number", f"{low} {noun.lower_}")] += 1
            elif (low in _PLURAL_DETS or (t.like_num and low not in ("one", "1") and low.isalpha())) \
                    and noun.tag_ == "NN" and noun.lower_ not in _MASS and not noun.lower_.endswith("s") \
                    and not _plural_further_on(doc, noun):
                out[("number", f"{low} {noun.lower_}")] += 1
        after_next = toks[i + 2] if i + 2 < len(toks) else None
        if low in _NEEDS_OBJECT and t.tag_ in ("IN", "TO") and t.dep_ != "prt" and not relative and (
                nxt is None or nxt.text in (".", "!", "?")
                or (nxt.tag_ in ("RB", "RBR") and (after_next is None or after_next.is_punct))):
            out[("no-object", f"{low} {nxt.text if nxt is not None else ''}".strip())] += 1
        if nxt is None:
            continue
        # auxiliaries and the verb form that follows them
        after = _skip_adverbs(toks, i + 1)
        if after is not None:
            a = after.lower_
            if low in _HAVE and t.dep_ == "aux":
                participle = morph.past(after.lemma_.lower(), participle=True)
                simple = morph.past(after.lemma_.lower())
                if a == simple != participle or after.tag_ in ("VBZ", "VBP") or \
                        (after.tag_ == "VB" and after.lower_ != participle):
                    out[("participle", f"{low} {a}")] += 1
            if low in _DO and t.dep_ in ("aux", "ROOT") and nxt.lower_ in ("not", "n't"):
                if after.tag_ not in ("VB", "VBP") and after is not nxt and \
                        not (after.tag_.startswith("VB") and a == after.lemma_.lower()):
                    out[("do-not", f"{low} not {a}")] += 1
            if t.tag_ == "MD" and after.tag_ in ("VBZ", "VBD", "VBN") and a not in ("been",):
                out[("modal", f"{low} {a}")] += 1
            if low in _BE_FINITE | {"been", "be", "being"} and after.tag_ in ("VBZ", "VBD", "VBP") \
                    and after.lemma_ not in ("be", "have") and after.dep_ != "nsubj":
                out[("be-form", f"{low} {a}")] += 1
            if low in _BE_FINITE | {"been"} and a in _FINITE_AFTER:
                out[("two-verbs", f"{low} {a}")] += 1
        # "there is" and the noun that follows
        if t.dep_ == "expl" and t.head.lower_ in ("is", "was") and any(
                c.dep_ in ("attr", "nsubj") and c.tag_ in ("NNS", "NNPS") and c.i > t.i
                and not any(g.dep_ == "cc" for g in c.children) for c in t.head.children):
            out[("there-is", f"there {t.head.lower_}")] += 1
        # subject and verb
        if t.dep_ in ("nsubj",) and t.head.tag_ in ("VBZ", "VBP") and t.head.i > t.i:
            verb = t.head
            finite = next((c for c in verb.children if c.dep_ == "aux" and c.i < verb.i), verb)
            plural = t.tag_ in ("NNS", "NNPS") or t.lower_ in _PLURAL_NOUNS or (
                any(c.dep_ == "conj" for c in t.children)
                and any(c.lower_ == "and" for c in t.children))  # "brother or sister lives"
            if t.lower_ in ("i", "you", "we", "they") or t.tag_ in ("PRP", "EX", "WDT", "WP"):
                pass
            elif finite.tag_ == "VBZ" and plural and finite.lower_ not in ("'s",):
                out[("subject-verb", f"{t.lower_} {finite.lower_}")] += 1
            elif finite.tag_ == "VBP" and not plural and t.tag_ in ("NN", "NNP") and \
                    finite.lower_ not in ("'re",):
                out[("subject-verb", f"{t.lower_} {finite.lower_}")] += 1
        if low in ("not", "n't") and nxt.lower_ == "not":
            out[("not-twice", f"{low} not")] += 1
        # the seam: a word twice, two prepositions
        if low == nxt.lower_ and t.is_alpha and low not in ("that", "had"):
            out[("repeated", f"{low} {low}")] += 1
        pair = (low, nxt.lower_)
        # a verb's own particle ("cared for in bed", "looked after at home") is not a
        # preposition waiting for its object
        particle = low in ("for", "after") and t.i > 0 and t.doc[t.i - 1].tag_ in ("VB", "VBD", "VBG", "VBN")
        if low in _NEEDS_OBJECT and nxt.lower_ in _PREPOSITIONS and low != nxt.lower_ and not particle and \
                t.tag_ in ("IN", "TO") and nxt.tag_ in ("IN", "TO") and pair not in _FINE_PAIRS:
            out[("prepositions", f"{low} {nxt.lower_}")] += 1
    return out


def _plural_further_on(doc: Any, noun: Any) -> bool:
    """Whether the noun phrase goes on to a plural noun ("four speech and language
    sessions", "two day care places"), which the parser may misattach the number to."""
    for t in doc[noun.i + 1: noun.i + 6]:
        if t.tag_ in ("NNS", "NNPS"):
            return True
        if t.tag_ not in ("NN", "NNP", "CC", "JJ", "HYPH", "VBG"):
            return False
    return False


def _skip_adverbs(toks: list[Any], i: int) -> Any:
    while i < len(toks) and (toks[i].tag_ in ("RB", "RBR", "RBS") or toks[i].lower_ in ("not", "n't")):
        if toks[i].lower_ in ("not", "n't") and i + 1 < len(toks):
            i += 1
            continue
        i += 1
    return toks[i] if i < len(toks) else None


def new_problems(before: Any, after: Any) -> list[str]:
    """Problems the rewritten sentence has that the original did not."""
    extra = problems(after) - problems(before)
    return [f"{kind}: '{words}'" for (kind, words) in extra]
