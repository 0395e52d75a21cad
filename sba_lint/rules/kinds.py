"""The closed set of rule kinds, compiled for the fast pass.

- ``phrase``: word sequences, matched case-insensitively (or not) with their inflections;
- ``pattern``: spaCy Matcher token patterns, run only on sentences holding a trigger word;
- ``acronym``: known acronyms not yet defined in the document (optionally unknown ones);
- ``metric``: sentence length or document readability against a limit.

Phrase, acronym and pattern-trigger entries share one trie of lower-case words, walked
once over the document's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..analysis import morph
from ..analysis.text import WORD, TextIndex
from . import snapshot
from .model import Rule

_END = "\0"
#: words never inflected when a phrase is expanded
_FUNCTION_WORDS = frozenset(
    "a an the to of in on at by for from with without and or but not no is are was were be "
    "been being has have had do does did this that these those it its their his her my our "
    "your him them me us up off out into onto over".split()
)


class Entry(NamedTuple):
    """What a path through the trie means: a rule and how the match was inflected (a
    named tuple: a check's start makes thousands)."""

    rule: Rule
    tag: str | None = None
    exact: tuple[str, ...] | None = None  # case-sensitive surface words
    trigger: bool = False  # a pattern-rule trigger, not a match in itself
    expansion: str | None = None  # acronyms
    suggestions: tuple[str, ...] | None = None  # this phrase's own suggestions
    own_capitals: bool = False  # the phrase starts with a name or acronym ("Down's", "UASC")


@dataclass
class Candidate:
    rule: Rule
    start: int
    end: int
    first: int  # index of the first word
    last: int  # index of the last word (inclusive)
    tag: str | None = None
    expansion: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    suggestions: tuple[str, ...] | None = None  # the matched phrase's own, else the rule's
    why: list[str] = field(default_factory=list)  # why it stands, for --explain


class Trie:
    def __init__(self) -> None:
        self.root: dict[str, Any] = {}
        self.size = 0

    def add(self, words: tuple[str, ...], entry: Entry) -> None:
        node = self.root
        for w in words:
            node = node.setdefault(w, {})
        node.setdefault(_END, []).append(entry)
        self.size += 1

    def scan(self, idx: TextIndex) -> Iterator[tuple[Entry, int, int, int]]:
        """Every ``(entry, first_word, last_word, cut)`` whose words occur joined in the text.

        A phrase's last word may carry a possessive "'s" ("the care leaver's plan"): the
        word is read without it, and ``cut`` (2) says how many characters the match stops
        short of the word's end; otherwise ``cut`` is 0."""
        norms = idx.norms
        n = len(norms)
        root = self.root
        joined = idx.joined
        for i, w in enumerate(norms):
            node = root.get(w)
            stem = _possessive_stem(w) if w.endswith("'s") else None  # the common case first
            if stem is not None:
                yield from ((e, i, i, 2) for e in root.get(stem, {}).get(_END, ()))
            if node is None:
                continue
            j = i
            while True:
                ends = node.get(_END)
                if ends:
                    for entry in ends:
                        yield entry, i, j, 0
                if j + 1 >= n or not joined(j):
                    break
                nxt = norms[j + 1]
                stem = _possessive_stem(nxt) if nxt.endswith("'s") else None
                if stem is not None:
                    yield from ((e, i, j + 1, 2) for e in node.get(stem, {}).get(_END, ()))
                node = node.get(norms[j + 1])
                if node is None:
                    break
                j += 1


def _possessive_stem(word: str) -> str | None:
    """``leaver's`` -> ``leaver``: a noun's possessive; None for any other word (and for
    the contractions of pronouns: "it's", "he's", "let's", "that's")."""
    if len(word) > 3 and word.endswith("'s"):
        stem = word[:-2]
        if stem not in _FUNCTION_WORDS and stem not in _CONTRACTED:
            return stem
    return None


#: words whose "'s" is "is", "has" or "us", never a possessive
_CONTRACTED = frozenset("he she it let that there what who where here how when why".split())


def _words_with_case(phrase: str) -> tuple[str, ...]:
    if "’" not in phrase:
        return tuple(WORD.findall(phrase))
    return tuple(w.replace("’", "'") for w in WORD.findall(phrase))


def _lower(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(map(str.lower, words))


#: a hyphened compound ("step-down", "follow-up") at a phrase's start
_COMPOUND = re.compile(r"[^\s-]+-[^\s-]")


def phrase_variants(phrase: str, inflect: str,
                    words: tuple[str, ...] | None = None) -> list[tuple[tuple[str, ...], str | None]]:
    """The word sequences a phrase matches, each with the Penn tag of its inflection
    (``words``: the phrase's own, :func:`_words_with_case`, if the caller has them)."""
    if words is None:
        words = _words_with_case(phrase)
    if not words:
        return []
    out: list[tuple[tuple[str, ...], str | None]] = [(words, None)]
    # a hyphened compound ("step-down", "follow-up") is a noun or a modifier, not a verb
    compound = _COMPOUND.match(phrase) is not None
    if inflect == "verb" and words[0].lower() not in _FUNCTION_WORDS and not compound:
        for tag, form in morph.verb_forms(words[0].lower()).items():
            if tag not in ("VB", "VBP"):
                out.append(((morph.match_case(form, words[0]),) + words[1:], tag))
    elif inflect == "noun" and words[-1].lower() not in _FUNCTION_WORDS:
        out.append((words[:-1] + (morph.match_case(morph.plural(words[-1].lower()), words[-1]),), "NNS"))
    return out + [(c, tag) for w, tag in out if (c := _contracted(w)) is not None]


def _contracted(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The phrase with its first "<auxiliary> not" contracted, as it is often written
    ("doesn't"), or ``None`` if it has none."""
    lower = _lower(words)
    if "not" not in lower[1:]:  # most phrases: nothing to contract
        return None
    for k in range(len(words) - 1):
        if lower[k] in morph.NOT_CONTRACTED and lower[k + 1] == "not":
            return words[:k] + (morph.contracted_not(words[k]),) + words[k + 2:]
    return None


def acronym_forms(acronym: str) -> list[str]:
    """``ICPC`` -> ICPC, ICPCs; ``S47`` -> S47, s47, S47s (section numbers in either case)."""
    forms = [acronym]
    if re.fullmatch(r"[Ss]\d+[A-Z]?", acronym):
        forms.append(acronym[0].swapcase() + acronym[1:])
    forms += [f + "s" for f in list(forms) if not f.endswith("s")]
    return forms


def pattern_triggers(rule: Rule) -> list[tuple[str, ...]]:
    """Words that must occur in a sentence for a pattern rule to be tried there."""
    if rule.spec.get("triggers"):
        return list(rule.spec["triggers"])
    out: list[tuple[str, ...]] = []
    for pattern in rule.spec["patterns"]:
        found = None
        for token in pattern:
            if token.get("OP") in ("?", "*", "!"):
                continue
            for attr in ("LOWER", "ORTH", "TEXT", "LEMMA", "NORM"):
                value = token.get(attr)
                if value is None:
                    continue
                values = value.get("IN") if isinstance(value, dict) else [value]
                if not values or not all(isinstance(v, str) for v in values):
                    continue
                found = []
                for v in values:
                    v = v.lower()
                    found.append(v)
                    if attr == "LEMMA":
                        found += list(morph.verb_forms(v).values()) + [morph.plural(v)]
                break
            if found:
                break
        if not found:
            return []
        out.extend((w,) for w in dict.fromkeys(found))
    return out


def _named(pattern: list[dict[str, Any]]) -> bool:
    return any("name" in token for token in pattern)


def matched_groups(key: str, names: dict[str, dict[int, str]], sent: Any, start: int,
                   alignments: list[int]) -> dict[str, tuple[int, int]]:
    """The named tokens of a pattern match, as character spans in the sentence: a name
    given to a token pattern that repeats (``OP: "+"``) covers all the words it matched."""
    named = names.get(key)
    if not named:
        return {}
    out: dict[str, tuple[int, int]] = {}
    for k, element in enumerate(alignments):
        name = named.get(element)
        if name is None:
            continue
        tok = sent[start + k]
        s, e = tok.idx, tok.idx + len(tok.text)
        out[name] = (min(out[name][0], s), max(out[name][1], e)) if name in out else (s, e)
    return out


#: what a rule puts in the trie: the lower-case words, then :class:`Entry`'s fields after
#: its rule (tag, exact, trigger, expansion, suggestions, own_capitals)
Item = tuple[tuple[str, ...], str | None, tuple[str, ...] | None, bool, str | None,
             tuple[str, ...] | None, bool]


def trie_items(rule: Rule) -> list[Item]:
    """Every path a rule adds to the trie, in order: a pure function of the rule's spec,
    conditions and inflection."""
    kind = rule.kind
    if kind == "phrase":
        return _phrase_items(rule)
    if kind == "pattern":
        return [(words, None, None, True, None, None, False) for words in pattern_triggers(rule)]
    if kind == "acronym":
        return _acronym_items(rule)
    return []


def _phrase_items(rule: Rule) -> list[Item]:
    own = rule.spec.get("phrase_suggestions", {})
    phrases = rule.spec["phrases"]
    written = [_words_with_case(p) for p in phrases]
    # a form the author listed ("refuses to let", with its own wording) is not also
    # reached as an inflection of another phrase ("refuse to let")
    listed = {_lower(w) for w in written}
    case_sensitive = rule.conditions.case_sensitive
    out: list[Item] = []
    for phrase, its_words in zip(phrases, written, strict=True):
        suggestions = own.get(phrase)
        for words, tag in phrase_variants(phrase, rule.inflect, its_words):
            lower = _lower(words)
            if tag is not None and lower in listed:
                continue
            out.append((lower, tag, words if case_sensitive else None, False, None, suggestions,
                        words[0][:1].isupper()))
    return out


def _acronym_items(rule: Rule) -> list[Item]:
    skip = rule.spec["exclude"] | rule.spec["common"]
    out: list[Item] = []
    for acronym, expansion in rule.spec["acronyms"].items():
        for variant in re.split(r"\s*/\s*", acronym):
            if not variant or variant in skip:
                continue
            for form in acronym_forms(variant):
                words = _words_with_case(form)
                out.append((tuple(w.lower() for w in words), None, words, False, expansion, None, False))
    return out


class RuleSet:
    """The selected rules, compiled: one trie for the fast pass, plus patterns and metrics."""

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self.by_id = {r.id: r for r in rules}
        self.trie = Trie()
        self.patterns: list[Rule] = []
        self.acronyms: list[Rule] = []
        self.metrics: list[Rule] = []
        self._matcher: Any = None
        #: for a pattern that names tokens (``name: who``), by its matcher key: the names by
        #: the place of the token in the pattern
        self.names: dict[str, dict[int, str]] = {}
        add = self.trie.add
        for rule in rules:
            if rule.kind == "pattern":
                self.patterns.append(rule)
            elif rule.kind == "acronym":
                self.acronyms.append(rule)
            elif rule.kind == "metric":
                self.metrics.append(rule)
            # the rule's paths, worked out when the bundled rules were built (snapshot.py)
            items = snapshot.entries_for(rule)
            if items is None:
                items = trie_items(rule)
            for words, *rest in items:
                add(words, Entry(rule, *rest))

    @property
    def needs_matcher(self) -> bool:
        return bool(self.patterns)

    def matcher(self, vocab: Any) -> Any:
        """A spaCy Matcher holding every pattern rule (built on first use)."""
        if self._matcher is None:
            from spacy.matcher import Matcher

            from ..errors import RulePackError

            matcher = Matcher(vocab, validate=True)
            for rule in self.patterns:
                try:
                    plain = [p for p in rule.spec["patterns"] if not _named(p)]
                    if plain:
                        matcher.add(rule.id, plain)
                    # a pattern that names some of its tokens is added under a key of its own,
                    # so that a match says which pattern it was and so which token is which
                    for n, pattern in enumerate(rule.spec["patterns"]):
                        if _named(pattern):
                            key = f"{rule.id}#{n}"
                            self.names[key] = {i: t["name"] for i, t in enumerate(pattern) if "name" in t}
                            matcher.add(key, [[{k: v for k, v in t.items() if k != "name"} for t in pattern]])
                except Exception as e:
                    first = str(e).strip().splitlines()
                    reason = " ".join(line.strip() for line in first[:3])
                    raise RulePackError(f"rule '{rule.name}': bad pattern: {reason}", rule.file) from None
            self._matcher = matcher
        return self._matcher
