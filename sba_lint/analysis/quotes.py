"""Quotations: someone's own words, wherever the line breaks fall.

A quotation may wrap onto the next line of a plain-text file, run over several
sentences, or continue into the next paragraph (each continued paragraph opens with a
quotation mark, only the last one closes).  Apostrophes inside words ("don't", "children’s")
are not quotation marks.  The scan is one pass over the characters, paragraph by paragraph.
"""

from __future__ import annotations

import re

_OPEN_DOUBLE = "“„"
_CLOSE_DOUBLE = "”"
_SINGLE_OPENERS = "‘'"
_SINGLE_CLOSERS = "’'"
#: a single quotation longer than this is more likely two apostrophes than a quotation
_SINGLE_MAX = 800
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n\s*")
_ANY_LINE = re.compile(r"\n\s*")
_MARKS = re.compile("[\"“”„‘’']")


def _blocks(text: str, hard_breaks: bool) -> list[tuple[int, int]]:
    """Paragraphs: blank-line separated in plain text, one per line when lines are hard."""
    out, start = [], 0
    for m in (_ANY_LINE if hard_breaks else _BLANK_LINE).finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(s, e) for s, e in out if e > s]


def _word_char(ch: str) -> bool:
    return ch.isalnum()


def _scan(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Quotations inside one paragraph, and where an unclosed double quotation opened."""
    spans: list[tuple[int, int]] = []
    double_at: int | None = None
    single_at: int | None = None
    for m in _MARKS.finditer(text, start, end):
        i = m.start()
        ch = m.group()
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if ch == '"':
            if double_at is None:
                if not nxt.isspace():
                    double_at = i
            else:
                spans.append((double_at, i + 1))
                double_at = None
            continue
        if ch in _OPEN_DOUBLE:
            if double_at is None:
                double_at = i
            continue
        if ch in _CLOSE_DOUBLE:
            if double_at is not None:
                spans.append((double_at, i + 1))
                double_at = None
            continue
        # single marks: an apostrophe inside a word is neither
        opener = ch in _SINGLE_OPENERS and not _word_char(prev) and not nxt.isspace()
        closer = ch in _SINGLE_CLOSERS and not prev.isspace() and not _word_char(nxt)
        if single_at is None:
            if opener:
                single_at = i
        elif closer:
            if i + 1 - single_at <= _SINGLE_MAX:
                spans.append((single_at, i + 1))
            single_at = None
        elif opener and i - single_at > _SINGLE_MAX:
            single_at = i
    return spans, double_at


def quotations(text: str, hard_breaks: bool = False) -> list[tuple[int, int]]:
    """``(start, end)`` of every quotation, marks included, in order.

    A double quotation left open at the end of a paragraph continues when the next
    paragraph opens with a quotation mark, and otherwise runs to the paragraph's end.
    """
    out: list[tuple[int, int]] = []
    carry: int | None = None  # a quotation continued from the paragraph before
    for start, end in _blocks(text, hard_breaks):
        if carry is not None and text[start] not in '"“„':
            carry = None
        spans, open_at = _scan(text, start, end)
        if carry is not None:
            # the continued paragraph's own opening mark has been read as an opener
            if spans and spans[0][0] == start:
                out.append((carry, spans[0][1]))
                spans = spans[1:]
                carry = None
            elif open_at == start:
                open_at = carry
                carry = None
        out.extend(spans)
        if open_at is not None:
            out.append((open_at, end))
            nxt = _next_paragraph_opens(text, end)
            carry = open_at if nxt else None
            if carry is not None:
                out.pop()
        else:
            carry = None
    if carry is not None:
        out.append((carry, len(text)))
    return sorted(set(out))


def _next_paragraph_opens(text: str, end: int) -> bool:
    rest = text[end:end + 40].lstrip()
    return rest[:1] in ('"', "“", "„")
