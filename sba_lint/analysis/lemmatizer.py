"""spaCy's rule lemmatizer with the same results, and the part of its work that depends
only on a token's part of speech and morphology done once.

For every token without a lemma, spaCy's ``Lemmatizer`` in rule mode first looks in its
cache (keyed by the word, its part of speech and its morphology); on a miss it decides
from the part of speech and morphology alone that the word is its own lemma (a noun in
the singular, a verb's base form, an adjective's plain degree: ``is_base_form``) or that
the part of speech has no rules, and returns the word as it is or in lower case *without
caching that*, so most tokens of every sentence go through those tests again.  Here that
decision is remembered per (part of speech, morphology): a few hundred pairs, no word of
any document.  The lemma is then the token's own lower-case form or its text, set by
their string ids; every other token is handed to spaCy's lemmatizer (which caches its
rule results itself).  ``tests/test_nlp.py`` compares the two on the project's texts.
"""

from __future__ import annotations

from typing import Any

FACTORY = "sba_lint_lemmatizer"
_LOWER, _TEXT, _SPACY = 0, 1, 2


class FastLemmatizer:
    def __init__(self, lemmatizer: Any):
        self.lemmatizer = lemmatizer  # spaCy's: its tables, its cache, its rules
        self._how: dict[tuple[int, int], int] = {}

    def _decide(self, token: Any) -> int:
        """What spaCy's ``rule_lemmatize`` does with a token of this part of speech and
        morphology when its cache does not hold the word."""
        lemmatizer = self.lemmatizer
        univ_pos = token.pos_.lower()
        if univ_pos == "":  # spaCy warns of a missing part of speech: let it
            return _SPACY
        if univ_pos in ("eol", "space") or lemmatizer.is_base_form(token):
            return _LOWER
        lookups = lemmatizer.lookups
        if not any(lookups.get_table(name, {}).get(univ_pos)
                   for name in ("lemma_index", "lemma_exc", "lemma_rules")):
            return _TEXT if univ_pos == "propn" else _LOWER
        return _SPACY

    def __call__(self, doc: Any) -> Any:
        lemmatizer = self.lemmatizer
        if lemmatizer.overwrite or not getattr(lemmatizer, "_validated", True):
            return lemmatizer(doc)  # spaCy's own: the first time, it checks its tables
        how = self._how
        for token in doc:
            if token.lemma != 0:
                continue
            key = (token.pos, token.morph.key)
            way = how.get(key)
            if way is None:
                way = how[key] = self._decide(token)
            if way == _LOWER:
                token.lemma = token.lower
            elif way == _TEXT:
                token.lemma = token.orth
            else:
                token.lemma_ = lemmatizer.lemmatize(token)[0]
        return doc


def install(nlp: Any) -> bool:
    """Put the fast lemmatizer in place of the pipeline's ``lemmatizer`` (kept, disabled)
    where that is spaCy's rule lemmatizer; False, and nothing changed, otherwise."""
    if "lemmatizer" not in nlp.pipe_names:
        return False
    from spacy.pipeline import Lemmatizer

    original = nlp.get_pipe("lemmatizer")
    # spaCy's own rules only: several languages' lemmatizers have rules of their own
    if getattr(original, "mode", None) != "rule" or not isinstance(original, Lemmatizer) \
            or type(original).rule_lemmatize is not Lemmatizer.rule_lemmatize:
        return False
    from .nlp import stand_in

    stand_in(nlp, "lemmatizer", FACTORY, FastLemmatizer)
    return True
