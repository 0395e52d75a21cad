"""Stage 5, *reporters*: one module per output format; they know findings, not rules.

``text``, ``json``, ``sarif`` (SARIF 2.1.0) and ``github`` (workflow annotations) render
reports (the registry below); those that describe rules (SARIF) are handed the rule
catalogue (:mod:`sba_lint.catalogue`) as ``rules``.  ``word`` writes comments into a
copy of the checked Word document (``sba-lint annotate``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import FileResult
from . import github, json, sarif, text

Reporter = Callable[..., str]
REPORTERS: dict[str, Reporter] = {"text": text.render, "json": json.render, "sarif": sarif.render,
                                  "github": github.render}
#: the formats that show a file's statistics (words, sentences, readability); the others
#: show only the strengths balance, which every check counts
WITH_STATS = frozenset({"json"})

__all__ = ["REPORTERS", "WITH_STATS", "FileResult"]
