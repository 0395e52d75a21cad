"""Stage 5, *reporters*: one module per output format; they know findings, not rules.

``text`` and ``json`` render reports (the registry below); ``word`` writes comments into a
copy of the checked Word document (``sba-lint annotate``).
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import FileResult
from . import json, text

Reporter = Callable[..., str]
REPORTERS: dict[str, Reporter] = {"text": text.render, "json": json.render}

__all__ = ["REPORTERS", "FileResult"]
