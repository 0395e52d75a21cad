"""``--format github``: GitHub Actions workflow commands, one a finding, so findings show
as annotations on the pull request's changed files:

    ::warning file=notes/visit.md,line=3,col=5,endLine=3,endColumn=21,title=blame.failed-to-engage::...

error -> ``error``, warning -> ``warning``, info -> ``notice``.  A file that could not be
read is an ``error`` on that file.  Values are escaped as the runner expects (``%``,
line breaks, and in properties ``:`` and ``,``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..findings import FileResult

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results: Iterable[FileResult], *, redact: bool = False, **_: Any) -> str:
    lines = []
    for r in results:
        where = _property(r.path)
        if r.error:
            lines.append(f"::error file={where},title=sba-lint::{_data(r.shown_error(redact) or r.error)}")
            continue
        for f in r.findings:
            props = (f"file={where},line={f.line},col={f.column},endLine={f.end_line or f.line},"
                     f"endColumn={f.end_column or f.column},title={_property(f.rule)}")
            text = f.shown_message(redact)
            suggestions = f.shown_suggestions(redact)
            if suggestions:
                text += "\nTry: " + "; ".join(suggestions)
            if f.advice:
                text += "\nAdvice: " + (f.shown_advice(redact) or "")
            lines.append(f"::{LEVELS[str(f.severity)]} {props}::{_data(text)}")
    return "".join(line + "\n" for line in lines)
