"""spaCy's ``attribute_ruler`` with the same results, in a fraction of its time.

In ``en_core_web_sm`` the attribute ruler sets ``pos_``, ``morph``, some lemmas (and, for
spaces, the tag and dependency) from the tagger's tags and the parser's labels: 179
patterns, which spaCy's Matcher tries at every token, so it costs as much as the parser.
Every pattern of that model reads only a token's tag, lower-case form, dependency label
and whether it is a space, compared as the Matcher compares them (equal, ``IN``,
``NOT_IN``, ``REGEX``).  So which single-token patterns match a token depends only on
those four values: it is worked out once per distinct four and remembered; a pattern of
several tokens is tried only where its first token matches.  The word is remembered only
where a pattern names it: any other word stands as what the patterns' regular expressions
say of it, so the memo, which lasts as long as the process, keeps no word of a document.
A pattern using anything else (another attribute, an operator) is left to a spaCy Matcher
of its own.  The matches
are applied exactly as the attribute ruler applies them: all found first, then in the
order the patterns were added (later ones override earlier ones), each with spaCy's own
``set_token_attrs``.  ``tests/test_nlp.py`` compares the two on the project's texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

FACTORY = "sba_lint_attribute_ruler"
#: distinct (tag, word, label, space) keys remembered (a few MiB at most)
_MEMO = 100_000
_Key = tuple[str, Any, str, bool]  # the word's place holds its class (see word_class)
_KEY_INDEX = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}


def _predicate(spec: dict[str, Any], regexes: list[Callable[[str], Any]]) -> Callable[[_Key], bool] | None:
    """A test of one token's key that is true exactly when the Matcher's is, or None
    where the spec holds something this does not read.  A regular expression on the word
    is added to ``regexes``: a word no pattern names is known only by what those say of
    it (see :meth:`FastAttributeRuler.word_class`)."""
    tests: list[Callable[[_Key], bool]] = []
    for attr, value in spec.items():
        if attr not in _KEY_INDEX:
            return None
        k = _KEY_INDEX[attr]
        if attr == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            tests.append(lambda key, k=k, v=value: key[k] == v)
        elif isinstance(value, str):
            tests.append(lambda key, k=k, v=value: key[k] == v)
        elif isinstance(value, dict) and len(value) == 1:
            (op, arg), = value.items()
            if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
                wanted, inside = frozenset(arg), op == "IN"
                tests.append(lambda key, k=k, w=wanted, i=inside: (key[k] in w) == i)
            elif op == "REGEX" and isinstance(arg, str):
                search = re.compile(arg).search
                if k == _KEY_INDEX["LOWER"]:
                    # a named word is itself; any other word is a tuple holding what each
                    # regular expression says of it, this one at place n
                    n = len(regexes) + 1
                    regexes.append(search)
                    tests.append(lambda key, k=k, s=search, n=n:
                                 (s(key[k]) is not None) if isinstance(key[k], str) else key[k][n])
                else:
                    tests.append(lambda key, k=k, s=search: s(key[k]) is not None)
            else:
                return None
        else:
            return None
    if not tests:
        return None
    return lambda key: all(test(key) for test in tests)


class FastAttributeRuler:
    """A stand-in for a loaded ``AttributeRuler`` (its patterns and normalised attributes
    are read; the original is left as it was)."""

    def __init__(self, ruler: Any):
        from spacy.matcher import Matcher

        self.attrs = ruler.attrs
        self.indices = ruler.indices
        #: single-token patterns: (pattern number, test)
        self.single: list[tuple[int, Callable[[_Key], bool]]] = []
        #: longer patterns: (pattern number, a test per token); tried where the first holds
        self.longer: list[tuple[int, list[Callable[[_Key], bool]]]] = []
        self.rest = Matcher(ruler.vocab)  # anything else, matched by spaCy
        self.has_rest = False
        #: the regular expressions patterns test words with, and the words they name
        self.regexes: list[Callable[[str], Any]] = []
        self.named: frozenset[str] = frozenset(
            w for entry in ruler.patterns for pattern in entry["patterns"] for spec in pattern
            for w in _named_words(spec.get("LOWER")))
        for i, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_predicate(spec, self.regexes) for spec in pattern]
                if tests and all(t is not None for t in tests):
                    if len(tests) == 1:
                        self.single.append((i, tests[0]))  # type: ignore[arg-type]
                    else:
                        self.longer.append((i, tests))  # type: ignore[arg-type]
                else:
                    self.rest.add(str(i), [pattern])
                    self.has_rest = True
        self._memo: dict[_Key, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def _matches(self, key: _Key) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The single-token patterns a token with this key matches, and the longer
        patterns (by their place in ``longer``) whose first token it matches."""
        found = self._memo.get(key)
        if found is None:
            found = (tuple(i for i, test in self.single if test(key)),
                     tuple(n for n, (_, tests) in enumerate(self.longer) if tests[0](key)))
            if len(self._memo) < _MEMO:
                self._memo[key] = found
        return found

    def word_class(self, word: str, seen: dict[str, Any]) -> Any:
        """What the patterns can tell of a word: the word itself where some pattern names
        it, else a tuple of what each regular expression says of it.  Every test gives the
        same answer for the class as for the word, and the memo of results, which lasts as
        long as the process, holds no word of any document (``seen`` lasts one call)."""
        found = seen.get(word)
        if found is None:
            found = word if word in self.named else (None, *(s(word) is not None for s in self.regexes))
            seen[word] = found
        return found

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        # every match is found before any is applied (the ruler matches, then sets)
        seen: dict[str, Any] = {}
        keys = [(t.tag_, self.word_class(t.lower_, seen), t.dep_, t.is_space) for t in doc]
        matches: list[tuple[int, int, int]] = []
        for s, key in enumerate(keys):
            single, starts = self._matches(key)
            for i in single:
                matches.append((i, s, s + 1))
            for n in starts:
                i, tests = self.longer[n]
                e = s + len(tests)
                if e <= len(keys) and all(test(keys[s + k]) for k, test in enumerate(tests) if k):
                    matches.append((i, s, e))
        if self.has_rest:
            strings = doc.vocab.strings
            matches.extend((int(strings[m]), s, e)
                           for m, s, e in self.rest(doc, allow_missing=True, as_spans=False))
        matches.sort()
        attrs, indices = self.attrs, self.indices
        for i, s, e in matches:
            at = indices[i] if indices[i] >= 0 else e - s + indices[i]
            if not 0 <= at < e - s:
                raise ValueError(f"attribute ruler pattern {i}: index {indices[i]} outside its match")
            set_token_attrs(doc[s + at], attrs[i])
        return doc


def _named_words(value: Any) -> list[str]:
    """The words a LOWER spec names (equal, ``IN``, ``NOT_IN``)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [w for op, arg in value.items() if op in ("IN", "NOT_IN") and isinstance(arg, list)
                for w in arg if isinstance(w, str)]
    return []


def install(nlp: Any) -> bool:
    """Put the fast ruler in place of the pipeline's ``attribute_ruler`` (kept, disabled);
    False, and nothing changed, where the pipeline has none."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    from .nlp import stand_in

    stand_in(nlp, "attribute_ruler", FACTORY, FastAttributeRuler)
    return True
