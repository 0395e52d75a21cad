"""The audit's report for a head of service: one self-contained HTML file.

It renders an audit summary (:func:`sba_lint.audit.aggregate.summarise`), knowing
nothing of rules or spaCy.  Charts are inline SVG drawn here; styles are inline; there is
no script, font or image to fetch, so the file reads the same when e-mailed or opened
with no network.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

_W, _BAR, _GAP, _LABEL = 640, 18, 6, 150
_SPAN = _W - _LABEL - 70  # the longest bar, leaving room for its number
TEAL, AMBER, GREY = "#1b6f6a", "#b35c00", "#6b6b6b"


def _num(value: float) -> str:
    return f"{value:,.1f}" if value % 1 else f"{value:,.0f}"


def hbars(rows: list[dict[str, Any]], key: str, title: str, unit: str = "",
          baseline: dict[str, Any] | None = None) -> Markup:
    """Horizontal bars, one a row (``name``), scaled to the largest; a baseline value per
    row, when given, is a dark tick across its bar."""
    if not rows:
        return Markup("")
    top = max([r[key] or 0 for r in rows] + [v for v in (baseline or {}).values() if v] + [1e-9])
    span, parts = _SPAN, [_open(rows, title)]
    for i, r in enumerate(rows):
        y = _GAP + i * (_BAR + _GAP)
        value = r[key] or 0
        w = max(1.0, span * value / top)
        before = (baseline or {}).get(r["name"])
        end = max(w, span * before / top + 2) if before is not None else w  # the number after the tick
        parts.append(_label(y, r["name"]) +
                     f'<rect x="{_LABEL}" y="{y}" width="{w:.1f}" height="{_BAR}" fill="{TEAL}"/>'
                     f'<text x="{_LABEL + end + 6:.1f}" y="{y + _BAR - 5}">{_num(value)}{unit}</text>')
        parts.append(_tick(y, before, top, unit))
    parts.append("</svg>")
    return Markup("".join(parts))


def _tick(y: int, before: float | None, top: float, unit: str = "") -> str:
    """The baseline's value for one bar, a dark tick across it at ``before`` of ``top``
    (nothing when there is none)."""
    if before is None:
        return ""
    x = _LABEL + _SPAN * before / top
    return (f'<line class="baseline" x1="{x:.1f}" x2="{x:.1f}" y1="{y - 3}" y2="{y + _BAR + 3}" '
            f'stroke="#222" stroke-width="3"><title>baseline {_num(before)}{unit}</title></line>')


def balance_bars(rows: list[dict[str, Any]], title: str,
                 baseline: dict[str, Any] | None = None) -> Markup:
    """Each row's strengths statements (teal) against its deficit findings (amber), as
    shares of one bar; a baseline share per row, when given, is a dark tick across it."""
    if not rows:
        return Markup("")
    span, parts = _SPAN, [_open(rows, title)]
    for i, r in enumerate(rows):
        y = _GAP + i * (_BAR + _GAP)
        total = (r["strengths"] or 0) + (r["deficit"] or 0)
        good = span * (r["strengths"] or 0) / total if total else 0
        parts.append(_label(y, r["name"]))
        if total:
            parts.append(f'<rect x="{_LABEL}" y="{y}" width="{good:.1f}" height="{_BAR}" fill="{TEAL}"/>'
                         f'<rect x="{_LABEL + good:.1f}" y="{y}" width="{span - good:.1f}" '
                         f'height="{_BAR}" fill="{AMBER}"/>'
                         f'<text x="{_LABEL + span + 6}" y="{y + _BAR - 5}">'
                         f'{_num(r["strengths_share"])}%</text>')
        else:
            parts.append(f'<text x="{_LABEL}" y="{y + _BAR - 5}" fill="{GREY}">none of either</text>')
        parts.append(_tick(y, (baseline or {}).get(r["name"]), 100, "%"))
    parts.append("</svg>")
    return Markup("".join(parts))


def _open(rows: list[dict[str, Any]], title: str) -> str:
    """An SVG's start tag, sized for one bar a row, and its title (what a screen reader says)."""
    height = len(rows) * (_BAR + _GAP) + _GAP
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {_W} {height}" '
            f'width="100%" style="max-width:{_W}px"><title>{escape(title)}</title>')


def _label(y: int, name: Any) -> str:
    return f'<text x="{_LABEL - 8}" y="{y + _BAR - 5}" text-anchor="end">{escape(_short(name))}</text>'


def _short(name: Any, most: int = 22) -> str:
    text = str(name)
    return text if len(text) <= most else text[: most - 1] + "…"


def _change(now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    delta = now - before
    if abs(delta) < 0.05:
        return "no change"
    return f"{'up' if delta > 0 else 'down'} {_num(abs(round(delta, 1)))}"


def _sources(rules: list[dict[str, Any]]) -> list[str]:
    """The guidance behind the rules found, each once, in the order first met."""
    seen: dict[str, None] = {}
    for r in rules:
        for source in (r.get("source") or "").split(";"):
            if source.strip():
                seen.setdefault(source.strip(), None)
    return list(seen)


def render(summary: dict[str, Any], *, title: str = "Language audit", **_: Any) -> str:
    env = Environment(loader=PackageLoader("sba_lint", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = _num
    baseline = summary.get("baseline")
    # the baseline audit's figures by group and by month (none by month from an audit
    # made before they were kept)
    before = {by: (baseline or {}).get(by) or {} for by in ("groups", "months")}

    def marks(by: str, key: str) -> dict[str, Any] | None:
        return {name: v[key] for name, v in before[by].items() if v.get(key) is not None} or None

    charts = {}
    for by, name, what in (("groups", "team", "group"), ("months", "month", "month")):
        charts[f"{name}_rate"] = hbars(summary[by], "per_1000_words", f"Findings per 1,000 words by {what}",
                                       baseline=marks(by, "per_1000_words"))
        charts[f"{name}_balance"] = balance_bars(summary[by], f"Strengths balance by {what}",
                                                 baseline=marks(by, "strengths_share"))
    trend = None
    if baseline:
        trend = {"rate": _change(summary["per_1000_words"], baseline.get("per_1000_words")),
                 "share": _change(summary["strengths_share"], baseline.get("strengths_share")),
                 **{by: {g["name"]: _change(g["per_1000_words"],
                                            before[by].get(g["name"], {}).get("per_1000_words"))
                         for g in summary[by]}
                    for by in ("groups", "months")}}
    return env.get_template("audit.html.j2").render(
        s=summary, charts=charts, trend=trend, baseline=baseline, before=before, title=title,
        sources=_sources(summary["rules"]), top_rules=summary["rules"][:15],
        made=dt.date.today().isoformat(), teal=TEAL, amber=AMBER)
