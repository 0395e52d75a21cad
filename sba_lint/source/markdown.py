"""Markdown: the prose only.

Front matter, fenced and indented code, HTML blocks, inline code, link targets, bare
URLs and HTML tags are blanked out (replaced by spaces, line breaks kept), so that
offsets, lines and columns in findings are those of the file itself.
Block structure comes from markdown-it-py, the CommonMark parser.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from . import directives
from .document import Document
from .plaintext import decode_with, require_text

_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?\r?\n\+\+\+)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)
#: every repetition stops at the delimiter that could begin the next try, so that no
#: input (a storm of brackets, of angle brackets) makes the scan quadratic
_INLINE_NOISE = re.compile(
    r"\]\((?P<target>[^()\[\]\s]*(?:\s+\"[^\"\n]*\")?)\)"  # link / image target
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S+.*$"  # reference definition
    r"|<(?:https?|mailto|ftp):[^<>\s]+>"  # autolink
    r"|https?://[^\s)>\]]+|www\.[^\s)>\]]+"  # bare URL
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>",  # inline HTML tag
    re.MULTILINE,
)
_BACKTICKS = re.compile(r"`+")
_SKIP_BLOCKS = {"fence", "code_block", "html_block"}
#: block structure only: the inline pass (emphasis, links) is not needed, and it is where
#: markdown-it slows on pathological input
_md = MarkdownIt("commonmark").disable("inline")


def _line_offsets(text: str) -> list[int]:
    offsets = [0] + [m.end() for m in re.finditer("\n", text)]
    offsets.append(len(text) + 1)
    return offsets


def prose(text: str) -> str:
    """Blank out everything in a Markdown text that is not prose."""
    m = _FRONT_MATTER.match(text)
    if m:
        text = directives.blank(text, 0, m.end())
    lines = _line_offsets(text)
    blocks = []
    for token in _md.parse(text):
        if token.type in _SKIP_BLOCKS and token.map:
            first, last = token.map
            blocks.append((lines[first], min(lines[min(last, len(lines) - 1)], len(text))))
    text = directives.blank_all(text, blocks)

    def _blank_match(m: re.Match[str]) -> str:
        if m.group("target") is not None:  # keep the brackets, drop the address
            inner = m.group(0)
            return "](" + " " * (len(inner) - 3) + ")"
        return re.sub(r"[^\n\r]", " ", m.group(0))

    return _INLINE_NOISE.sub(_blank_match, _blank_code_spans(text))


def _blank_code_spans(text: str) -> str:
    """Blank inline code: a run of backticks to the next run of the same length on the
    same line (CommonMark's rule, within a line), in one pass over the runs."""
    spans: list[tuple[int, int]] = []
    for line_start, line in _lines(text):
        runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
        if len(runs) < 2:
            continue
        following: list[int] = [-1] * len(runs)  # the next run of the same length
        seen: dict[int, int] = {}
        for i in range(len(runs) - 1, -1, -1):
            n = runs[i][1] - runs[i][0]
            following[i] = seen.get(n, -1)
            seen[n] = i
        i = 0
        while i < len(runs):
            j = following[i]
            if j < 0:
                i += 1
                continue
            spans.append((line_start + runs[i][0], line_start + runs[j][1]))
            i = j + 1
    if not spans:
        return text
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(" " * (end - start))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _lines(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for line in text.splitlines(keepends=True):
        out.append((start, line))
        start += len(line)
    return out


def read(data: bytes, path: str) -> Document:
    text, encoding = decode_with(data, path)
    require_text(text, path)
    text, suppressions = directives.extract(text)
    text = prose(text)
    require_text(text, path)
    return Document(path=path, format="md", text=text, suppressions=suppressions, encoding=encoding)
