"""Stage 5, *reporters*: one module per output format; they know findings, not rules."""

from __future__ import annotations

from collections.abc import Callable

from ..findings import FileResult
from . import json, text

Reporter = Callable[..., str]
REPORTERS: dict[str, Reporter] = {"text": text.render, "json": json.render}

__all__ = ["REPORTERS", "FileResult"]
