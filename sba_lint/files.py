"""Turn command-line paths into the documents to check, never stopping at a bad one."""

from __future__ import annotations

import os
import tempfile
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


def check_output(output: Path, source: Path | None = None) -> str | None:
    """Why ``output`` cannot be written (a missing folder, the input itself), or None."""
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        return f"{output}: the folder {folder} does not exist"
    if output.is_dir():
        return f"{output}: is a folder, not a file"
    if source is not None:
        try:
            same = output.exists() and os.path.samefile(output, source)
        except OSError:
            same = False
        if same or output.resolve() == source.resolve():
            return f"{output}: is the input file; choose another name for the output"
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so an interrupted run never leaves a half-written document (and the old file, if any,
    stays whole until the new one is complete)."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o777)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        except OSError:
            pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
