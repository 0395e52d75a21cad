"""``--format json``: the stable contract (see README, "JSON output")."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from ..findings import FileResult

VERSION = 1


def document(results: Iterable[FileResult], *, redact: bool = False) -> dict[str, Any]:
    files = [r.to_dict(redact=redact) for r in results]
    return {
        "version": VERSION,
        "files": files,
        "summary": {
            "files": len(files),
            "findings": sum(len(f["findings"]) for f in files),
            "errors": sum(1 for f in files if f["error"]),
        },
    }


def render(results: Iterable[FileResult], *, redact: bool = False, **_: Any) -> str:
    return json.dumps(document(results, redact=redact), ensure_ascii=False, indent=2) + "\n"
