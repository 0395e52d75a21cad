"""The Document every reader returns: the text the rules see, and a map back to its origin."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any


@dataclass(frozen=True)
class Segment:
    """A range of the text that comes from one place (a paragraph, a table cell, a footnote)."""

    start: int
    end: int
    origin: dict[str, Any]


@dataclass(frozen=True)
class Piece:
    """Characters ``[start, end)`` of the text come from one ``w:t`` element of a .docx.

    ``part`` is the package part name (``/word/document.xml``), ``paragraph`` the ordinal
    of the ``w:p`` among all ``w:p`` of that part, ``run`` the ordinal of the ``w:r``
    among all ``w:r`` of that paragraph, ``element`` the ordinal of the text element
    within the run and ``offset`` where in that element's text the range begins.
    Writers (comments, tracked changes) use this to find the exact runs again.
    """

    start: int
    end: int
    part: str
    paragraph: int
    run: int
    element: int
    offset: int


@dataclass(frozen=True)
class Suppression:
    """Inline ``sba-lint: disable`` directive: no findings of ``rules`` in ``[start, end)``.

    ``rules`` is empty when every rule is disabled.
    """

    start: int
    end: int
    rules: frozenset[str] = frozenset()

    def covers(self, rule_id: str, pack: str, start: int, end: int) -> bool:
        if start < self.start or end > self.end:
            return False
        return not self.rules or rule_id in self.rules or pack in self.rules


@dataclass(frozen=True)
class Kept:
    """The writer asked, in Word, to keep these words: no finding of ``rule`` on exactly
    ``[start, end)`` while the text there is still ``words``.

    Read from a comment sba-lint left that the writer resolved, or answered with
    "sba-lint: keep"; ``reason`` says which, for ``--explain``.
    """

    rule: str
    start: int
    end: int
    words: str
    reason: str


class _Ranges:
    """Ranges sorted by start, with the furthest end reached so far: whether one of them
    holds ``[start, end)`` is one binary search."""

    def __init__(self, ranges: list[tuple[int, int]]):
        ranges = sorted(ranges)
        self.starts = [s for s, _ in ranges]
        self.reach = list(accumulate((e for _, e in ranges), max))

    def hold(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")
_LINE_END = re.compile(r"\r\n?|\n")


@dataclass
class Document:
    """A document as the rules see it.

    ``text`` is what the rules read; every offset in a finding is an offset into it.
    For .txt it is the decoded file; for .md it is the file with code, front matter and
    markup that is not prose blanked out (so offsets, lines and columns are the file's);
    for .docx it is the visible text, one paragraph per line.
    """

    path: str
    format: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    pieces: list[Piece] = field(default_factory=list)
    suppressions: list[Suppression] = field(default_factory=list)
    #: findings the writer kept in Word (.docx only), see :class:`Kept`
    kept: list[Kept] = field(default_factory=list)
    #: each newline ends a paragraph (docx), rather than being a wrapped line
    hard_breaks: bool = False
    #: the text encoding the file was read in (``utf-8``, ``utf-16-le``, ``cp1252``); None for Word
    encoding: str | None = None
    _line_starts: list[int] | None = field(default=None, repr=False)
    _segment_starts: list[int] | None = field(default=None, repr=False)
    _paragraph_starts: list[int] | None = field(default=None, repr=False)
    _suppressed: dict[str | None, _Ranges] | None = field(default=None, repr=False)

    # -- positions -----------------------------------------------------------------
    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._line_starts is None:  # a line ends at LF, CRLF or a lone CR (old Mac files)
            self._line_starts = [0] + [m.end() for m in _LINE_END.finditer(self.text)]
        line = bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def origin(self, start: int, end: int) -> dict[str, Any]:
        """Where the range came from, for a person to find it in the original."""
        if self.segments:
            if self._segment_starts is None:
                self._segment_starts = [s.start for s in self.segments]
            i = bisect_right(self._segment_starts, start) - 1
            if i >= 0 and self.segments[i].start <= start < max(self.segments[i].end, start + 1):
                return dict(self.segments[i].origin)
            return {}
        if self._paragraph_starts is None:
            self._paragraph_starts = [0] + [m.end() for m in _BLANK_LINE.finditer(self.text)]
        return {"paragraph": bisect_right(self._paragraph_starts, start)}

    def pieces_for(self, start: int, end: int) -> list[Piece]:
        """The .docx text elements a range touches, in order (empty for other formats)."""
        return [p for p in self.pieces if p.start < end and start < p.end]

    def is_suppressed(self, rule_id: str, pack: str, start: int, end: int) -> bool:
        """Whether a directive turns this rule off over ``[start, end)`` (what
        :meth:`Suppression.covers` says of any of them, in logarithmic time)."""
        if not self.suppressions:
            return False
        if self._suppressed is None:  # the ranges of each rule, pack and of all (None)
            ranges: dict[str | None, list[tuple[int, int]]] = {}
            for s in self.suppressions:
                for key in s.rules or (None,):
                    ranges.setdefault(key, []).append((s.start, s.end))
            self._suppressed = {k: _Ranges(v) for k, v in ranges.items()}
        return any(key in self._suppressed and self._suppressed[key].hold(start, end)
                   for key in (None, rule_id, pack))

    def kept_reason(self, rule_id: str, start: int, end: int) -> str | None:
        """Why the writer's wording stands, if they kept this finding in Word: the same
        rule, exactly the same span, and still the same words there."""
        for k in self.kept:
            if (k.rule, k.start, k.end) == (rule_id, start, end) and self.text[start:end] == k.words:
                return k.reason
        return None


def describe_origin(origin: dict[str, Any] | None) -> str:
    """A short, human description of an origin: ``table 1, row 2, cell 3, paragraph 5``;
    ``paragraph 3, text box 1`` for text in a text box anchored in paragraph 3."""
    if not origin:
        return ""
    part = origin.get("part")
    bits = []
    if part in ("header", "footer"):
        bits.append(f"{part} ({origin.get('name', '')})" if origin.get("name") else part)
    elif part in ("footnote", "endnote"):
        bits.append(f"{part} {origin.get(part)}")
    if "table" in origin:
        bits.append(f"table {origin['table']}, row {origin['row']}, cell {origin['cell']}")
    if "paragraph" in origin:
        bits.append(f"paragraph {origin['paragraph']}")
    if "text_box" in origin:  # the paragraph above is the one that anchors the box
        inner = origin.get("text_box_paragraph", 1)
        bits.append(f"text box {origin['text_box']}"
                    + (f" (its paragraph {inner})" if inner > 1 else ""))
    return ", ".join(bits)
