"""Regular expressions compiled when first used, not when their module is imported.

The rewording and sense modules hold about seventy patterns at module level; compiling
them all costs a clean check (one that never rewords anything) a tenth of its start-up.
``compile(...)`` stands in for :func:`re.compile`: the pattern is compiled on the first
attribute looked up (``search``, ``sub``, ``pattern``...), and each attribute is then
kept on the object, so later calls cost what the compiled pattern's own do.  Two threads
racing on the first use both compile the same pattern, which is harmless.  Only for use
as ``X.method(...)``: :mod:`re`'s functions do not take one in place of a pattern.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0):
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_source", "_compiled"):  # copy, pickle
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = re.compile(*self._source)
        value = getattr(compiled, name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r})"


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> Any:  # noqa: A001 (re.compile's name)
    """A pattern compiled on first use (typed as ``Any``: it answers as ``re.Pattern``)."""
    return LazyPattern(pattern, flags)
