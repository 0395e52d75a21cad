"""Turn command-line paths into the documents to check, never stopping at a bad one."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from .source import is_supported

_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv"}


@dataclass(frozen=True)
class Target:
    """A file to check, or a path that could not be walked (``error`` set)."""

    path: Path
    shown: str
    error: str | None = None


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    s = path.as_posix()
    return any(fnmatch(s, p) or fnmatch(path.name, p) for p in patterns)


def collect(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Target]:
    """Files named on the command line, and the supported files inside named folders.

    Folders are walked recursively in sorted order, skipping hidden folders, Word's
    ``~$`` lock files and anything matching ``exclude``.  An unreadable folder yields a
    Target with ``error`` set; the walk goes on.
    """
    exclude = list(exclude)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, exclude)
        else:
            yield Target(path, raw)


def _walk(root: Path, exclude: list[str]) -> Iterator[Target]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        while errors:
            e = errors.pop()
            yield Target(Path(e.filename or folder), str(e.filename or folder),
                         f"cannot open folder ({e.strerror or e})")
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and not _excluded(Path(folder, d), exclude)
        )
        for name in sorted(files):
            p = Path(folder, name)
            if name.startswith(("~$", ".")) or not is_supported(p) or _excluded(p, exclude):
                continue
            yield Target(p, str(p))
    while errors:
        e = errors.pop()
        yield Target(Path(e.filename or root), str(e.filename or root),
                     f"cannot open folder ({e.strerror or e})")
