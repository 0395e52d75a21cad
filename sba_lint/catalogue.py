"""The rule catalogue handed to the front ends and reporters that describe rules (SARIF,
the service's ``GET /v1/rules``, the LanguageTool-compatible API): each rule's id, pack,
category, severity, message, advice, source and where its documentation is.

Reporters know findings, not rules: they get this plain list, never the rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: the rule reference in the project (``sba-lint rules docs -o docs/rules.md``)
DOCS = "docs/rules.md"


def anchor(rule_id: str) -> str:
    """The rule's heading anchor in docs/rules.md (``### `blame.failed-to-engage` `` is
    ``#blamefailed-to-engage``, as Markdown renderers make it)."""
    return re.sub(r"[^a-z0-9 _-]", "", rule_id.lower()).replace(" ", "-")


def entry(rule: Any) -> dict[str, Any]:
    """One rule as plain data."""
    return {
        "id": rule.id,
        "pack": rule.pack,
        "category": rule.category,
        "severity": str(rule.severity),
        "enabled": rule.enabled,
        "message": rule.message,
        "advice": rule.advice or None,
        "suggestions": list(rule.suggestions),
        "source": "; ".join(rule.source),
        "docs": f"{DOCS}#{anchor(rule.id)}",
    }


def entries(rules: Iterable[Any]) -> list[dict[str, Any]]:
    return [entry(r) for r in rules]
