"""Carry the casing of the matched words over to their replacement."""

from __future__ import annotations

import re

#: a word for casing: starts with a letter, may hold apostrophes and hyphens
WORD = re.compile(r"[^\W\d_][\w'’-]*")
#: a detail the writer fills in ("[name]")
PLACEHOLDER = re.compile(r"\[[^\[\]]*\]")
#: words Title Case leaves in lower case unless they come first
MINOR = frozenset("a an and as at but by for from in into of on or the to with".split())


def style(match: str) -> str:
    """``upper`` (ALL CAPS), ``title`` (Title Case, two words or more), ``capital``
    (first letter only) or ``lower``."""
    letters = [c for c in match if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return "upper"
    if re.fullmatch(r"[A-Z]{2,}[a-z]{0,2}", match.strip()):
        return "lower"  # an acronym with a plural or possessive ("ADLs"): not a capital
    words = WORD.findall(match)
    major = [w for w in words if w.lower() not in MINOR]
    if len(words) > 1 and len(major) > 1 and all(w[0].isupper() for w in major):
        return "title"
    if letters and letters[0].isupper() and match.lstrip()[:1].isupper():
        return "capital"
    return "lower"


def _outside_placeholders(text: str, change) -> str:
    out, last = [], 0
    for m in PLACEHOLDER.finditer(text):
        out.append(change(text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(change(text[last:]))
    return "".join(out)


def _title(text: str) -> str:
    first = True

    def word(m: re.Match[str]) -> str:
        nonlocal first
        w = m.group()
        keep_small = not first and w.lower() in MINOR
        first = False
        if keep_small:
            return w
        return "-".join(p[:1].upper() + p[1:] for p in w.split("-"))

    return WORD.sub(word, text)


def apply(text: str, how: str) -> str:
    """``text`` in the casing ``how`` (see :func:`style`); placeholders keep theirs."""
    if how == "upper":
        return _outside_placeholders(text, str.upper)
    if how == "title":
        return _outside_placeholders(text, _title)
    if how == "capital" and text[:1].islower():
        return text[0].upper() + text[1:]
    return text
