"""``--format text``: one line a finding, like ruff, then the suggestions; colour on a terminal."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import click

from ..findings import FileResult, Severity
from ..source.document import describe_origin

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _balance(results: list[FileResult]) -> str:
    """The strengths balance: strengths statements against deficit findings."""
    if not results:
        return ""
    good = sum(r.stats["strengths"] for r in results)
    bad = sum(r.stats.get("deficit", 0) for r in results)
    where = "" if len(results) == 1 else f" across {_plural(len(results), 'file')}"
    text = (f"Strengths balance{where}: {_plural(good, 'strengths statement')}, "
            f"{_plural(bad, 'deficit finding')}.")
    if bad > good:
        text += " Say what is working as well as the worries."
    return text


def _explain(r: FileResult, style: Any, redact: bool) -> list[str]:
    """Every candidate match and what was decided about it (``--explain``)."""
    doc = r.document
    out = [style(f"{r.path}: {_plural(len(r.decisions or []), 'candidate')}", bold=True)]
    for d in r.decisions or []:
        line, col = doc.line_col(d.start) if doc is not None else (d.line, d.column)
        words = "…" if redact else " ".join(d.match.split())
        verdict = style("kept", fg="green") if d.kept else style("skipped", dim=True)
        out.append(f"  {line}:{col}  {d.rule}  \"{words}\": {verdict}, {d.shown_reason(redact)}")
    out.append("")
    return out


def render(results: Iterable[FileResult], *, color: bool = False, redact: bool = False,
           skipped: str | None = None, **_: Any) -> str:
    """The report; ``skipped`` is the line accounting for files a folder walk passed over."""
    def style(s: str, **kw: Any) -> str:
        return click.style(s, **kw) if color else s

    lines: list[str] = []
    results = list(results)
    counts: Counter[Severity] = Counter()
    for r in results:
        if r.error:
            continue
        is_docx = r.format == "docx"
        for f in r.findings:
            counts[f.severity] += 1
            where = f"{r.path}:{f.line}:{f.column}"
            place = describe_origin(f.origin) if is_docx else ""
            head = (
                f"{style(where, bold=True)}  {style(f.rule, fg=_COLOURS[f.severity], bold=True)}"
                f"  {f.shown_message(redact)}"
            )
            if place:
                head += style(f"  [{place}]", dim=True)
            lines.append(head)
            if f.suggestions:
                lines.append("    " + style("try: ", fg="green")
                             + "; ".join(f.shown_suggestions(redact)))
            if f.advice:
                lines.append("    " + style("advice: ", fg="cyan") + f.shown_advice(redact))
        if r.decisions is not None:
            lines.extend(_explain(r, style, redact))
    errors = [r for r in results if r.error]
    checked = len(results) - len(errors)
    total = sum(counts.values())
    if not results:
        summary = "Nothing was checked."
    elif total:
        detail = ", ".join(_plural(counts[s], str(s)) for s in sorted(counts, reverse=True))
        summary = f"Found {_plural(total, 'finding')} ({detail}) in {_plural(checked, 'file')}."
    else:
        summary = f"No findings in {_plural(checked, 'file')}."
    if errors:
        summary += f" {_plural(len(errors), 'file')} could not be read."
    if skipped:
        summary += f" {skipped[0].upper()}{skipped[1:]}."
    if lines:
        lines.append("")
    lines.append(style(summary, bold=True))
    balance = _balance([r for r in results if not r.error and "strengths" in r.stats])
    if balance:
        lines.append(balance)
    return "\n".join(lines) + "\n"
