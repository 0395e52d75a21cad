"""Inline suppression comments in .txt and .md files.

    <!-- sba-lint: disable=jargon.contact -->   ... until enable or the end of the file
    <!-- sba-lint: enable=jargon.contact -->
    <!-- sba-lint: disable -->                  every rule
    <!-- sba-lint: disable-next-line=blame -->  only the next line (rule ids or packs)

The comments themselves are blanked out of the text the rules see (offsets are kept),
so the rule ids they name are never flagged.
"""

from __future__ import annotations

import re

from .document import Suppression

#: (the rule list is words joined by commas, never ending in space, so that a directive
#: left open before a long run of spaces is read in linear time)
DIRECTIVE = re.compile(
    r"<!--\s*sba-lint\s*:\s*(?P<verb>disable-next-line|disable|enable)"
    r"(?:\s*=\s*(?P<rules>[\w.*-]+(?:[ \t]*,[ \t]*[\w.*-]+)*))?\s*-->",
    re.IGNORECASE,
)


def _rules(raw: str | None) -> frozenset[str]:
    if not raw:
        return frozenset()
    return frozenset(r.strip() for r in raw.split(",") if r.strip() and r.strip() != "*")


def blank(text: str, start: int, end: int) -> str:
    """Replace ``text[start:end]`` with spaces, keeping line breaks (offsets unchanged)."""
    return blank_all(text, [(start, end)])


def blank_all(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank every span at once (in one pass: ten thousand comments or code blocks cost
    no more than one long one)."""
    pieces: list[str] = []
    last = 0
    for start, end in sorted(spans):
        start = max(start, last)
        if end <= start:
            continue
        pieces.append(text[last:start])
        pieces.append(_NOT_BREAK.sub(" ", text[start:end]))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


_NOT_BREAK = re.compile(r"[^\n\r]")


def extract(text: str) -> tuple[str, list[Suppression]]:
    """Find the directives; return the text with them blanked and the suppressed ranges."""
    matches = list(DIRECTIVE.finditer(text))
    if not matches:
        return text, []
    out: list[Suppression] = []
    open_ranges: dict[frozenset[str], int] = {}
    for m in matches:
        verb = m.group("verb").lower()
        rules = _rules(m.group("rules"))
        if verb == "disable-next-line":
            line_end = text.find("\n", m.end())
            if line_end < 0:
                continue
            next_end = text.find("\n", line_end + 1)
            out.append(Suppression(line_end + 1, len(text) if next_end < 0 else next_end, rules))
        elif verb == "disable":
            open_ranges.setdefault(rules, m.end())
        else:  # enable
            if rules in open_ranges:
                out.append(Suppression(open_ranges.pop(rules), m.start(), rules))
            elif not rules:  # a bare enable closes everything
                for key, start in open_ranges.items():
                    out.append(Suppression(start, m.start(), key))
                open_ranges.clear()
    for key, start in open_ranges.items():
        out.append(Suppression(start, len(text), key))
    return blank_all(text, [m.span() for m in matches]), out
