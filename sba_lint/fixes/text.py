"""Fixes for .txt and .md: the same bytes back, with only the fixed words changed."""

from __future__ import annotations

import difflib

from ..findings import FileResult
from . import Plan


def apply(text: str, result: FileResult, chosen: Plan) -> str:
    """``text`` (the document's own text, as the rules saw it) with the fixes applied."""
    out = []
    pos = 0
    for i in chosen.fixed:
        f = result.findings[i]
        assert f.fix is not None
        out.append(text[pos:f.start])
        out.append(f.fix.replacement)
        pos = f.end
    out.append(text[pos:])
    return "".join(out)


def redacted_diff(result: FileResult, chosen: Plan, path: str) -> str:
    """The fixes as a diff for ``--redact``: where each change is, which rule made it and
    the words it puts in (the rule's, redacted as the report redacts them), never the
    document's own words."""
    if not chosen.fixed:
        return ""
    out = [f"--- {path} (the document's words withheld by --redact)\n", f"+++ {path}\n"]
    for i in chosen.fixed:
        f = result.findings[i]
        shown = f.shown_suggestions(redact=True)[:1] or ["…"]
        out.append(f"@@ line {f.line}, column {f.column}: {f.rule} @@\n-…\n+{shown[0]}\n")
    return "".join(out)


def diff(before: str, after: str, path: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=path, tofile=path)
    out = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                  for line in lines)
    return out
