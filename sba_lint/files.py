"""Turn command-line paths into the documents to check, never stopping at a bad one."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path
from typing import IO, Any

from .source import is_supported
from .source.legacy import SUFFIXES as LEGACY_SUFFIXES

NEEDS_OFFICE = "needs LibreOffice"

_SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv"}


@dataclass(frozen=True)
class Target:
    """A file to check, a path that could not be walked (``error`` set), or a file a
    folder walk passed over (``skipped``: why, in a few words)."""

    path: Path
    shown: str
    error: str | None = None
    skipped: str | None = None

    @property
    def kind(self) -> str:
        """What sort of file was skipped, for counting: its suffix, or 'sba-lint copy'."""
        if self.skipped == OWN_COPY:
            return OWN_COPY
        return self.path.suffix.lower() or "(no extension)"


#: the names ``annotate`` and ``fix`` give their Word copies: left out of folder walks
OWN_COPIES = (".reviewed.docx", ".fixed.docx")
OWN_COPY = "sba-lint copy"


def own_copy(path: Path) -> bool:
    """Whether a file is one of sba-lint's own output copies (by its name)."""
    return path.name.lower().endswith(OWN_COPIES)


_CONTROL = {i: f"\\x{i:02x}" for i in range(32)} | {10: "\\n", 13: "\\r", 9: "\\t", 127: "\\x7f"}


def display_name(name: str | os.PathLike[str]) -> str:
    """A file name as reports show it: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) as ``\\xNN``, and line breaks and other control characters
    escaped, so that a name always fits on its report line and in JSON."""
    text = os.fspath(name)
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        text = text.translate(_CONTROL)
    return text


def _excluded(path: Path, patterns: Iterable[str]) -> bool:
    s = path.as_posix()
    return any(fnmatch(s, p) or fnmatch(path.name, p) for p in patterns)


def collect(paths: Iterable[str], exclude: Iterable[str] = ()) -> Iterator[Target]:
    """Files named on the command line, and the supported files inside named folders.

    Folders are walked recursively in sorted order, skipping hidden folders, Word's
    ``~$`` lock files and anything matching ``exclude``.  An unreadable folder yields a
    Target with ``error`` set; the walk goes on.  A file in a folder that sba-lint does
    not read, or that is one of its own copies (``*.reviewed.docx``, ``*.fixed.docx``),
    yields a Target with ``skipped`` set, so that every file is accounted for.
    """
    exclude = list(exclude)
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, exclude)
        else:
            yield Target(path, display_name(raw))


def _walk(root: Path, exclude: list[str]) -> Iterator[Target]:
    errors: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=errors.append):
        while errors:
            e = errors.pop()
            yield Target(Path(e.filename or folder), display_name(e.filename or folder),
                         f"cannot open folder ({e.strerror or e})")
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in _SKIP_DIRS and not _excluded(Path(folder, d), exclude)
        )
        for name in sorted(files):
            p = Path(folder, name)
            if name.startswith(("~$", ".")) or _excluded(p, exclude):
                continue
            if not is_supported(p):
                legacy = p.suffix.lower() in LEGACY_SUFFIXES
                yield Target(p, display_name(p), skipped=NEEDS_OFFICE if legacy else "unsupported format")
            elif own_copy(p):
                yield Target(p, display_name(p), skipped=OWN_COPY)
            else:
                yield Target(p, display_name(p))
    while errors:
        e = errors.pop()
        yield Target(Path(e.filename or root), display_name(e.filename or root),
                     f"cannot open folder ({e.strerror or e})")


def check_output(output: Path, sources: Iterable[Path] = ()) -> str | None:
    """Why ``output`` cannot be written, or None.

    An output is only ever a new file or an existing regular file that is none of the
    inputs: never a folder, a symbolic link (it would be replaced by a file, not written
    through), a device, a pipe or a socket, and never one of ``sources`` (compared by
    identity, so another name or a hard link for an input counts as that input).
    """
    folder = output.parent if str(output.parent) else Path(".")
    shown = display_name(output)
    if not folder.is_dir():
        return f"{shown}: the folder {display_name(folder)} does not exist"
    try:
        st = os.lstat(output)
    except FileNotFoundError:
        st = None
    except OSError as e:
        return f"{shown}: cannot be written ({e.strerror or e})"
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            return (f"{shown}: is a symbolic link; sba-lint does not replace links "
                    "(name the file it points to)")
        if stat.S_ISDIR(st.st_mode):
            return f"{shown}: is a folder, not a file"
        if not stat.S_ISREG(st.st_mode):
            return f"{shown}: is not a regular file (a device, pipe or socket); choose a file name"
    for source in sources:
        if same_file(output, source):
            return f"{shown}: is the input file; choose another name for the output"
    return None


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name the same file: by device and inode when both exist, else by
    their resolved paths (symbolic links followed)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        return Path(a).resolve() == Path(b).resolve()
    except (OSError, RuntimeError):
        return False


def write_in_place(path: Path, data: bytes, original: bytes) -> Path:
    """Replace the content of the file ``path`` names with ``data``, keeping its links.

    A symbolic link is followed and the file it points to is changed (the link stays a
    link).  A file with other hard links is rewritten in place, so every name still
    shares the one file; if that write fails, ``original`` is put back.  Otherwise the
    new content goes through a temporary file and a rename.  Returns the file changed.
    """
    real = Path(os.path.realpath(path))
    st = os.stat(real)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(0, "is not a regular file")
    if st.st_nlink <= 1:
        write_atomic(real, data)
        return real
    fd = os.open(real, os.O_WRONLY)
    try:
        try:
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except OSError:
            os.lseek(fd, 0, os.SEEK_SET)
            _write_all(fd, original)
            os.ftruncate(fd, len(original))
            raise
    finally:
        os.close(fd)
    return real


def _write_all(fd: int, data: bytes) -> None:
    os.lseek(fd, 0, os.SEEK_SET)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class NotRegularFile(OSError):
    """A path names a device, a pipe or a socket: never read, never written."""


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file (symbolic links followed), read in bounded chunks.

    Raises OSError for anything that is not a regular file (a folder, a device, a pipe,
    a socket: opened without blocking, and never read) and ValueError when the file holds
    more than ``limit`` bytes, whatever its declared size (so ``/dev/zero`` behind a link,
    or a file that grows while it is read, costs at most ``limit`` bytes of memory).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a folder, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(errno.EINVAL, "is not a regular file (a device, pipe or socket)")
        if st.st_size > limit:
            raise ValueError(st.st_size)
        return read_bounded(lambda n: os.read(fd, n), limit)
    finally:
        os.close(fd)


def read_bounded(read: Callable[[int], bytes], limit: int) -> bytes:
    """Everything ``read(n)`` gives until it gives nothing, a megabyte at a time; a
    ValueError once that is more than ``limit`` bytes (a stream from ``/dev/zero`` costs
    at most ``limit`` bytes of memory)."""
    chunks = []
    total = 0
    while True:
        chunk = read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise ValueError(total)
    return b"".join(chunks)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so an interrupted run never leaves a half-written document (and the old file, if any,
    stays whole until the new one is complete)."""
    with _atomic(path, "wb") as fh:
        fh.write(data)


@contextmanager
def atomic_text(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file (newlines as written) that appears at ``path`` whole, or not at
    all, when the block ends: for outputs written a row at a time."""
    with _atomic(path, "w") as fh:
        yield fh


@contextmanager
def _atomic(path: Path, mode: str) -> Iterator[IO[Any]]:
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        kwargs = {"encoding": "utf-8", "newline": ""} if "b" not in mode else {}
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
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
