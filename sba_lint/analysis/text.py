"""The cheap pass over a whole document: words, sentences, quotations, addresses.

Everything here is regular expressions run in C plus simple lists, so it costs a small
fraction of spaCy's tokenizer.  spaCy itself is only run on the sentences this index
hands to it (see :mod:`sba_lint.analysis.nlp`).  Each part is computed on first use.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property

from ..limits import DEFAULT

#: a word: letters and digits, with apostrophes inside (``don't``, ``DNA'd``)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: a word for counting: hyphenated compounds count once
COUNT_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
#: what may stand between two words of one phrase
_JOIN_SOFT = re.compile(r"[ \t\u00a0]*(?:[-‐‑][ \t\u00a0]*|\r?\n[ \t\u00a0]*)?\Z")
_JOIN_HARD = re.compile(r"[ \t\u00a0]*(?:[-‐‑][ \t\u00a0]*)?\Z")

#: (a match starts only at the first of a run of stops: a long run of dots is linear)
_SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")
_LIST_LINE = re.compile(r"\n(?=[ \t]*(?:[-*•·–]|\d{1,3}[.)]|#{1,6})\s)")
_LINE_AFTER_STOP = re.compile(r"(?<=[.!?:;])[\"'”’)\]]*[ \t]*\r?\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms mx dr st no nos vs etc eg ie e.g i.e approx dept tel ref cf al fig jan feb mar "
    "apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun prof rev gov inc ltd co".split()
)
_ADDRESSES = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE
)
#: the longest sentence handed on whole (see :attr:`TextIndex.sentence_starts`)
MAX_SENTENCE = DEFAULT.sentence_chars


class TextIndex:
    """Words, sentences, quotations and addresses of one text, built lazily."""

    def __init__(self, text: str, hard_breaks: bool = False, max_sentence: int = MAX_SENTENCE):
        self.text = text
        self.hard_breaks = hard_breaks
        self.max_sentence = max(max_sentence, 20)
        #: results other analyses compute once per text (citations, attributions)
        self.memo: dict[str, object] = {}

    # -- words -------------------------------------------------------------------
    @cached_property
    def _tokens(self) -> tuple[list[int], list[int], list[str]]:
        text = self.text
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters change length when lowered
            lowered = "".join(c.lower()[0] for c in text)
        lowered = lowered.replace("’", "'")
        starts: list[int] = []
        ends: list[int] = []
        for m in WORD.finditer(text):
            starts.append(m.start())
            ends.append(m.end())
        norms = [lowered[s:e] for s, e in zip(starts, ends, strict=True)]
        return starts, ends, norms

    @property
    def starts(self) -> list[int]:
        return self._tokens[0]

    @property
    def ends(self) -> list[int]:
        return self._tokens[1]

    @property
    def norms(self) -> list[str]:
        """Lower-case words, curly apostrophes made straight."""
        return self._tokens[2]

    def joined(self, i: int) -> bool:
        """Whether word ``i`` and word ``i + 1`` may belong to one phrase."""
        gap = self.text[self.ends[i]:self.starts[i + 1]]
        if gap == " ":
            return True
        if gap[:1] in ("'", "’") and len(gap) > 1 and self.text[self.ends[i] - 1] in "sS":
            gap = gap[1:]  # a plural possessive: "the fathers' group"
            if gap == " ":
                return True
        return bool((_JOIN_HARD if self.hard_breaks else _JOIN_SOFT).match(gap))

    def token_at(self, offset: int) -> int:
        """Index of the first word that ends after ``offset``."""
        return bisect_right(self.ends, offset)

    @cached_property
    def word_count(self) -> int:
        return len(COUNT_WORD.findall(self.text))

    # -- sentences -----------------------------------------------------------------
    @cached_property
    def sentence_starts(self) -> list[int]:
        text = self.text
        cuts = {0}
        for m in _SENTENCE_END.finditer(text):
            before = text[max(0, m.start() - 6):m.start()].rsplit(None, 1)
            word = before[-1].lower().lstrip("(\"'“‘") if before else ""
            if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            cuts.add(m.end())
        if self.hard_breaks:
            cuts.update(m.end() for m in re.finditer(r"\n\s*", text))
        else:
            for pattern in (_PARAGRAPH_BREAK, _LIST_LINE, _LINE_AFTER_STOP):
                cuts.update(m.end() for m in pattern.finditer(text))
            cuts.update(_after_short_lines(text))
        return _bounded(sorted(c for c in cuts if c < len(text)), text, self.max_sentence)

    def sentence_span(self, offset: int) -> tuple[int, int]:
        """``(start, end)`` of the sentence holding ``offset``, trimmed of white space."""
        starts = self.sentence_starts
        i = bisect_right(starts, offset) - 1
        start = starts[max(i, 0)]
        end = starts[i + 1] if i + 1 < len(starts) else len(self.text)
        chunk = self.text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        return start + lead, start + len(chunk.rstrip())

    def sentences(self) -> list[tuple[int, int]]:
        spans = []
        starts = self.sentence_starts
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else len(self.text)
            chunk = self.text[s:e]
            if chunk.strip():
                lead = len(chunk) - len(chunk.lstrip())
                spans.append((s + lead, s + len(chunk.rstrip())))
        return spans

    def is_sentence_start(self, offset: int) -> bool:
        start, _ = self.sentence_span(offset)
        head = self.text[start:offset]
        return not any(ch.isalnum() for ch in head)

    # -- quotations and addresses ---------------------------------------------------
    @cached_property
    def _quotes(self) -> tuple[list[int], list[int]]:
        from .quotes import quotations

        spans = quotations(self.text, self.hard_breaks)
        return [s for s, _ in spans], [e for _, e in spans]

    @cached_property
    def _addresses(self) -> tuple[list[int], list[int]]:
        text = self.text
        # an address holds "@", "://" or "www." (in any case): most texts have none, and
        # the pattern costs a third of the index on a long one
        if "@" not in text and "://" not in text and "www." not in text.lower():
            return [], []
        spans = [(m.start(), m.end()) for m in _ADDRESSES.finditer(text)]
        return [s for s, _ in spans], [e for _, e in spans]

    def in_quotes(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a quotation (someone's own words)."""
        return inside(self._quotes, start, end)

    def in_address(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` lies inside a web or e-mail address."""
        return inside(self._addresses, start, end)

    def words_before(self, i: int, n: int) -> list[str]:
        """Up to ``n`` words before word ``i`` that join it without punctuation."""
        out: list[str] = []
        j = i - 1
        while j >= 0 and len(out) < n and self.joined(j):
            out.append(self.norms[j])
            j -= 1
        return out[::-1]

    def words_after(self, i: int, n: int) -> list[str]:
        """Up to ``n`` words after word ``i`` (inclusive end ``i``) that join it."""
        out: list[str] = []
        j = i
        while j + 1 < len(self.norms) and len(out) < n and self.joined(j):
            out.append(self.norms[j + 1])
            j += 1
        return out


def line_around(text: str, start: int, end: int) -> tuple[int, str]:
    """Where the line holding ``text[start:end]`` starts, and the line (without its
    line break)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    return a, text[a:b if b >= 0 else len(text)]


#: a line that goes on to the next one: it ends in a comma, a hyphen or a joining word
_GOES_ON = re.compile(
    r"(?:[,\-–(]|\b(?:and|or|but|the|a|an|of|to|with|for|in|on|at|by|that|who|which)\b)[ \t]*\Z",
    re.IGNORECASE)
_NEXT_LINE_STARTS = re.compile(r"[ \t]*[A-Z0-9\"'“‘(]")


def _after_short_lines(text: str) -> list[int]:
    """Where a line break ends a heading or a form's line ("Health: asthma", "PLAN") in
    plain text: the line has at most eight words, does not run on, and the next line
    starts a sentence.  (A long line is hard-wrapped prose and runs on.)"""
    cuts = []
    start = 0
    for m in re.finditer(r"\n", text):
        line = text[start:m.start()]
        start = m.end()
        if not line.strip() or len(line) > 80 or len(line.split()) > 8 or _GOES_ON.search(line):
            continue
        if _NEXT_LINE_STARTS.match(text, m.end()):
            cuts.append(m.end())
    return cuts


def _bounded(starts: list[int], text: str, limit: int) -> list[int]:
    """Sentence starts with more cuts added so that no sentence is longer than ``limit``
    characters: a long stretch without a full stop (a transcript, a table, a line of
    dots) is cut after the last space before the limit (or at the limit when it has
    none), so every later stage, the parser above all, works on bounded pieces."""
    out: list[int] = []
    n = len(text)
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else n
        out.append(start)
        while end - start > limit:
            space = max(text.rfind(" ", start + limit // 2, start + limit),
                        text.rfind("\n", start + limit // 2, start + limit))
            start = space + 1 if space >= 0 else start + limit
            out.append(start)
    return out


def inside(spans: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within one of the sorted, non-nested ``spans``
    (given as their starts and their ends)."""
    starts, ends = spans
    i = bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


def first_index_at_or_after(values: list[int], x: int) -> int:
    return bisect_left(values, x)
