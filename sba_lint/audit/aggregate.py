"""An audit's figures, from its database: totals, by group, by month, by rule and
category, the documents most in need of review, what could not be read, and the change
since the baseline (the previous finished audit in the same folder).

Also the CSV exports, streamed from the database (a row at a time).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .store import Store

#: documents shorter than this are left out of "most in need of review" (a rate on ten
#: words says little)
REVIEW_MIN_WORDS = 100
REVIEW_ROWS = 20


def _rate(findings: int, words: int) -> float:
    return round(1000 * findings / words, 2) if words else 0.0


def _balance(strengths: int, deficit: int) -> float | None:
    """The share of strengths statements among strengths and deficit, in per cent."""
    return round(100 * strengths / (strengths + deficit), 1) if strengths + deficit else None


def redacted(store: Store) -> bool:
    row = store.db.execute("SELECT MAX(redacted) FROM files WHERE audit = ?", (store.audit,)).fetchone()
    return bool(row and row[0])


def _name(row: Any, redact: bool) -> str:
    return row["pseudonym"] if redact else row["path"]


def _groups(store: Store, column: str) -> list[dict[str, Any]]:
    out = []
    for row in store.query(
            f"SELECT {column} AS name, COUNT(*) AS files, SUM(words) AS words, "
            "SUM(findings) AS findings, SUM(strengths) AS strengths, SUM(deficit) AS deficit "
            f"FROM files WHERE audit = ? AND status = 'checked' GROUP BY {column} "
            f"ORDER BY {column}", store.audit):
        out.append({"name": row["name"] or "(unknown)", "files": row["files"], "words": row["words"],
                    "findings": row["findings"], "per_1000_words": _rate(row["findings"], row["words"]),
                    "strengths": row["strengths"], "deficit": row["deficit"],
                    "strengths_share": _balance(row["strengths"], row["deficit"])})
    return out


def summarise(store: Store, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the report and ``summary.json`` show."""
    redact = redacted(store)
    audit = store.audit
    count = {row["status"]: row["n"] for row in store.query(
        "SELECT status, COUNT(*) AS n FROM files WHERE audit = ? GROUP BY status", audit)}
    totals = store.db.execute(
        "SELECT COALESCE(SUM(words), 0), COALESCE(SUM(findings), 0), COALESCE(SUM(strengths), 0), "
        "COALESCE(SUM(deficit), 0) FROM files WHERE audit = ? AND status = 'checked'",
        (audit,)).fetchone()
    words, findings, strengths, deficit = totals
    checked, unreadable = count.get("checked", 0), count.get("unreadable", 0)
    severity = {row["severity"]: row["n"] for row in store.query(
        "SELECT severity, COUNT(*) AS n FROM findings WHERE audit = ? GROUP BY severity", audit)}
    rules = [dict(row) for row in store.query(
        "SELECT f.rule AS rule, f.category AS category, COUNT(*) AS findings, "
        "COUNT(DISTINCT f.key) AS files, r.source AS source FROM findings f "
        "LEFT JOIN rules r ON r.id = f.rule WHERE f.audit = ? GROUP BY f.rule "
        "ORDER BY findings DESC, f.rule", audit)]
    categories = [dict(row) for row in store.query(
        "SELECT category, COUNT(*) AS findings, COUNT(DISTINCT key) AS files FROM findings "
        "WHERE audit = ? GROUP BY category ORDER BY findings DESC, category", audit)]
    review = [{"path": _name(row, redact), "group": row["grp"], "month": row["month"],
               "words": row["words"], "findings": row["findings"],
               "per_1000_words": _rate(row["findings"], row["words"]),
               "strengths": row["strengths"], "deficit": row["deficit"]}
              for row in store.query(
                  "SELECT * FROM files WHERE audit = ? AND status = 'checked' AND words >= ? "
                  "AND findings > 0 ORDER BY 1.0 * findings / words DESC, deficit DESC, path "
                  "LIMIT ?", audit, REVIEW_MIN_WORDS, REVIEW_ROWS)]
    unread = [{"path": _name(row, redact),
               "reason": row["redacted_reason"] if redact else row["reason"]}
              for row in store.query("SELECT * FROM files WHERE audit = ? AND status = 'unreadable' "
                                     "ORDER BY path", audit)]
    skipped = {row["kind"]: row["n"] for row in store.query(
        "SELECT CASE WHEN reason LIKE 'sba-lint''s own copy%' THEN 'sba-lint copy' ELSE kind END "
        "AS kind, COUNT(*) AS n FROM files WHERE audit = ? AND status = 'skipped' GROUP BY 1 "
        "ORDER BY n DESC, kind", audit)}
    sources = {row["month_source"]: row["n"] for row in store.query(
        "SELECT month_source, COUNT(*) AS n FROM files WHERE audit = ? AND status = 'checked' "
        "GROUP BY month_source ORDER BY n DESC", audit)}
    encodings = {row["encoding"]: row["n"] for row in store.query(
        "SELECT encoding, COUNT(*) AS n FROM files WHERE audit = ? AND status = 'checked' "
        "AND encoding IS NOT NULL GROUP BY encoding ORDER BY n DESC", audit)}
    summary: dict[str, Any] = {
        "version": 1,
        # the same three numbers as `sba-lint check --format json` on the same files
        "summary": {"files": checked + unreadable, "findings": findings, "errors": unreadable},
        "checked": checked,
        "unreadable": unreadable,
        "skipped": count.get("skipped", 0),
        "skipped_by_type": skipped,
        "words": words,
        "per_1000_words": _rate(findings, words),
        "strengths": strengths,
        "deficit": deficit,
        "strengths_share": _balance(strengths, deficit),
        "by_severity": {k: severity.get(k, 0) for k in ("error", "warning", "info")},
        "rules": rules,
        "categories": categories,
        "groups": _groups(store, "grp"),
        "months": _groups(store, "month"),
        "month_sources": sources,
        "encodings": encodings,
        "review": review,
        "unreadable_files": unread,
        "redacted": redact,
        "options": options or {},
    }
    summary["baseline"] = _baseline(store.baseline_summary())
    return summary


def _baseline(previous: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the last audit found, for the trend: its totals and its groups' rates."""
    if not previous:
        return None
    return {"finished": previous.get("finished"), "checked": previous.get("checked"),
            "words": previous.get("words"), "findings": previous.get("summary", {}).get("findings"),
            "per_1000_words": previous.get("per_1000_words"),
            "strengths_share": previous.get("strengths_share"),
            **{by: {g["name"]: {"per_1000_words": g["per_1000_words"],
                                "strengths_share": g["strengths_share"]}
                    for g in previous.get(by, [])}
               for by in ("groups", "months")}}  # months: none from an audit before they were kept


def for_baseline(summary: dict[str, Any]) -> dict[str, Any]:
    """What is kept of a finished audit for the next one to compare with."""
    keep = ("summary", "checked", "words", "per_1000_words", "strengths_share", "groups", "months")
    return {k: summary[k] for k in keep}


# -- CSV -------------------------------------------------------------------------------
def _cell(value: Any) -> Any:
    """A value safe to open in a spreadsheet: text that would start a formula (=, +, -, @)
    gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


FILES_HEADER = ["file", "status", "reason", "type", "group", "month", "month_source", "words",
                "findings", "per_1000_words", "strengths", "deficit", "profile", "encoding",
                "team", "worker", "document_type"]
FINDINGS_HEADER = ["file", "group", "month", "rule", "category", "severity", "line", "column",
                   "match", "message", "suggestions", "advice", "reported_speech"]


def _file_rows(store: Store, redact: bool) -> Iterator[list[Any]]:
    for row in store.query("SELECT * FROM files WHERE audit = ? ORDER BY path, key", store.audit):
        yield [_name(row, redact), row["status"],
               row["redacted_reason"] if redact else row["reason"], row["kind"], row["grp"],
               row["month"], row["month_source"], row["words"], row["findings"],
               _rate(row["findings"], row["words"]) if row["status"] == "checked" else "",
               row["strengths"], row["deficit"], row["profile"], row["encoding"], row["team"],
               row["worker"], row["doctype"]]


def _finding_rows(store: Store, redact: bool) -> Iterator[list[Any]]:
    for row in store.query(
            "SELECT f.*, d.path AS path, d.pseudonym AS pseudonym, d.grp AS grp, d.month AS month "
            "FROM findings f JOIN files d ON d.audit = f.audit AND d.key = f.key "
            "WHERE f.audit = ? ORDER BY d.path, d.key, f.n", store.audit):
        suggestions = "" if redact or not row["suggestions"] else "; ".join(json.loads(row["suggestions"]))
        yield [_name(row, redact), row["grp"], row["month"], row["rule"], row["category"],
               row["severity"], row["line"], row["col"], None if redact else row["match"],
               row["message"], suggestions, row["advice"], "yes" if row["reported"] else ""]


def write_csv(store: Store, folder: Path) -> None:
    """``files.csv`` and ``findings.csv`` in ``folder``, each written whole or not at all."""
    from ..files import atomic_text

    redact = redacted(store)
    for name, header, rows in (("files.csv", FILES_HEADER, _file_rows(store, redact)),
                               ("findings.csv", FINDINGS_HEADER, _finding_rows(store, redact))):
        with atomic_text(folder / name) as fh:
            out = csv.writer(fh)
            out.writerow(header)
            for row in rows:
                out.writerow([_cell(v) for v in row])
