"""Strengths statements: sentences that record what is working.

A sentence counts once if it holds a phrase from ``wordlists/strengths.txt`` that is not
negated ("is not able to", "never enjoys", "unable to") and not inside a quotation.  With
the deficit findings of the rules, this gives the document's *strengths balance*.
"""

from __future__ import annotations

from functools import cache

from ..resources import read_wordlist, wordlists_dir
from .text import WORD, TextIndex

#: words that, within three words before a phrase, turn it round
NEGATORS = frozenset(
    "not n't no never unable cannot can't couldn't didn't doesn't don't isn't wasn't "
    "hasn't haven't won't nor without lack lacks lacking less".split()
)


@cache
def phrases() -> dict[str, tuple[tuple[str, ...], ...]]:
    """First word -> the phrases (word tuples) starting with it, longest first."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in read_wordlist(wordlists_dir() / "strengths.txt"):
        words = tuple(w.lower().replace("’", "'") for w in WORD.findall(line))
        if words:
            table.setdefault(words[0], []).append(words)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


def statements(idx: TextIndex) -> list[tuple[int, int]]:
    """The sentences (start, end) that hold a strengths statement."""
    table = phrases()
    norms = idx.norms
    found: dict[tuple[int, int], None] = {}
    for i, w in enumerate(norms):
        options = table.get(w)
        if not options:
            continue
        for words in options:
            n = len(words)
            if tuple(norms[i:i + n]) != words or not all(idx.joined(k) for k in range(i, i + n - 1)):
                continue
            start, end = idx.starts[i], idx.ends[i + n - 1]
            before = idx.words_before(i, 3)
            if any(b in NEGATORS or b.endswith("n't") for b in before) or idx.in_quotes(start, end):
                break
            found[idx.sentence_span(start)] = None
            break
    return list(found)


def count(idx: TextIndex) -> int:
    return len(statements(idx))
