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
from .plaintext import decode, require_text

_FRONT_MATTER = re.compile(
    r"\A(?:---[ \t]*\r?\n.*?\r?\n(?:---|\.\.\.)|\+\+\+[ \t]*\r?\n.*?\r?\n\+\+\+)[ \t]*(?:\r?\n|\Z)",
    re.DOTALL,
)
_INLINE_NOISE = re.compile(
    r"(?P<code>(`+)(?!`).+?(?<!`)\2(?!`))"  # inline code
    r"|\]\((?P<target>[^)\s]*(?:\s+\"[^\"]*\")?)\)"  # link / image target
    r"|^\s{0,3}\[[^\]]+\]:\s*\S+.*$"  # reference definition
    r"|<(?:https?|mailto|ftp):[^>\s]+>"  # autolink
    r"|https?://[^\s)>\]]+|www\.[^\s)>\]]+"  # bare URL
    r"|</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>",  # inline HTML tag
    re.MULTILINE,
)
_SKIP_BLOCKS = {"fence", "code_block", "html_block"}
_md = MarkdownIt("commonmark")


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
    for token in _md.parse(text):
        if token.type in _SKIP_BLOCKS and token.map:
            first, last = token.map
            start, end = lines[first], min(lines[min(last, len(lines) - 1)], len(text))
            text = directives.blank(text, start, end)

    def _blank_match(m: re.Match[str]) -> str:
        if m.group("target") is not None:  # keep the brackets, drop the address
            inner = m.group(0)
            return "](" + " " * (len(inner) - 3) + ")"
        return re.sub(r"[^\n\r]", " ", m.group(0))

    return _INLINE_NOISE.sub(_blank_match, text)


def read(data: bytes, path: str) -> Document:
    text = decode(data, path)
    require_text(text, path)
    text, suppressions = directives.extract(text)
    text = prose(text)
    require_text(text, path)
    return Document(path=path, format="md", text=text, suppressions=suppressions)
