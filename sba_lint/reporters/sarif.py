"""``--format sarif``: SARIF 2.1.0, for code-scanning dashboards (GitHub, Azure DevOps,
SonarQube and other SARIF viewers).

One run; the driver lists the rules of the catalogue it is handed (id, message, help,
default level, category, source, documentation); each finding is a result with its
region (lines and columns in Unicode code points, ``columnKind``), a stable
``partialFingerprints`` entry (the rule, the words and which occurrence of them in the
file: moving text elsewhere in the file does not change it) and, for .txt and .md, the
fix as a replacement.  A file that could not be read is a tool execution notification.
With ``redact``, no word of a document appears (no snippet; the fingerprint is the rule
and its occurrence).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..findings import FileResult, Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "sbaLintFinding/v1"


def _uri(path: str) -> str:
    """A file's URI: relative paths stay relative (to the folder checked from)."""
    from pathlib import Path

    if Path(path).is_absolute():
        return Path(path).as_uri()
    return quote(path.replace("\\", "/"), safe="/._-~")


def _plain(template: str) -> str:
    """A rule's message without its placeholders (``"{match}" means ...``)."""
    import re

    return re.sub(r"\{[a-z_]+\}", "…", template)


def _rule(entry: dict[str, Any]) -> dict[str, Any]:
    lines = [_plain(entry["message"])]
    if entry.get("suggestions"):
        lines.append("Try: " + "; ".join(map(_plain, entry["suggestions"])))
    if entry.get("advice"):
        lines.append("Advice: " + entry["advice"])
    if entry.get("source"):
        lines.append("Source: " + entry["source"])
    docs = entry.get("docs")
    markdown = "\n\n".join(lines) + (f"\n\nDocumentation: [{docs}]({docs})" if docs else "")
    out: dict[str, Any] = {
        "id": entry["id"],
        "name": entry["id"],
        "shortDescription": {"text": f"{entry['category']}: {entry['id']}"},
        "fullDescription": {"text": lines[0]},
        "help": {"text": "\n".join(lines) + (f"\nDocumentation: {docs}" if docs else ""),
                 "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[entry["severity"]], "enabled": entry["enabled"]},
        "properties": {"category": entry["category"], "pack": entry["pack"], "tags": [entry["category"]],
                       **({"documentation": docs} if docs else {})},
    }
    if str(entry.get("help", "")).startswith(("http://", "https://")):
        out["helpUri"] = entry["help"]
    return out


def _fingerprint(f: Finding, nth: int, redact: bool) -> str:
    words = "" if redact else " ".join(f.match.lower().split())
    return hashlib.sha256(f"{f.rule}\0{words}\0{nth}".encode()).hexdigest()[:32]


def _result(r: FileResult, f: Finding, nth: int, index: dict[str, int], redact: bool) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": f.line, "startColumn": f.column,
                              "endLine": f.end_line or f.line, "endColumn": f.end_column or f.column}
    if not redact and f.match:
        region["snippet"] = {"text": f.match}
    where = {"uri": _uri(r.path)}
    message = f.shown_message(redact)
    suggestions = f.shown_suggestions(redact)
    if suggestions:
        message += " Try: " + "; ".join(suggestions) + "."
    out: dict[str, Any] = {
        "ruleId": f.rule,
        "level": LEVELS[str(f.severity)],
        "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": where, "region": region}}],
        "partialFingerprints": {FINGERPRINT: _fingerprint(f, nth, redact)},
    }
    if f.rule in index:
        out["ruleIndex"] = index[f.rule]
    if f.origin:
        out["properties"] = {"origin": f.origin}
    if f.fix and suggestions and r.format != "docx":
        care = "" if f.fix.safe else " (check the sentence still says what you mean)"
        out["fixes"] = [{
            "description": {"text": f"Replace with \"{suggestions[0]}\"{care}"},
            "artifactChanges": [{"artifactLocation": where, "replacements": [{
                "deletedRegion": {k: v for k, v in region.items() if k != "snippet"},
                "insertedContent": {"text": suggestions[0]}}]}],
        }]
    return out


def document(results: Iterable[FileResult], *, redact: bool = False,
             rules: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    results = list(results)
    used = {f.rule for r in results for f in r.findings}
    catalogue = [e for e in (rules or []) if e["id"] in used]
    index = {e["id"]: i for i, e in enumerate(catalogue)}
    out: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for r in results:
        if r.error:
            notes.append({"level": "error", "message": {"text": r.shown_error(redact) or r.error},
                          "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(r.path)}}}]})
            continue
        seen: Counter[tuple[str, str]] = Counter()
        for f in r.findings:
            key = (f.rule, "" if redact else " ".join(f.match.lower().split()))
            out.append(_result(r, f, seen[key], index, redact))
            seen[key] += 1
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "sba-lint", "version": __version__,
                                "semanticVersion": __version__,
                                "rules": [_rule(e) for e in catalogue]}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notes}],
            "results": out,
        }],
    }


def render(results: Iterable[FileResult], *, redact: bool = False,
           rules: list[dict[str, Any]] | None = None, **_: Any) -> str:
    return json.dumps(document(results, redact=redact, rules=rules), ensure_ascii=False, indent=2) + "\n"
