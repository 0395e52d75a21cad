"""Older formats (.doc, .rtf, .odt), read by converting them to .docx with LibreOffice in
headless mode, when it is installed.

The document's bytes are copied into a private temporary folder (readable by this user
only) and converted there, never beside the user's file; the folder goes when the
conversion is done.  Each process keeps one LibreOffice profile of its own for its
conversions, so parallel workers never share one.

A process stopped while LibreOffice converts (an audit's worker ended by its watchdog or
the out-of-memory killer) cleans up nothing itself, and LibreOffice goes on running.  So
every folder's name carries the process that made it (``sba-lint-office-PID-...``,
``sba-lint-convert-PID-...``), and :func:`sweep` removes the folders of this user's
processes that are gone, first ending the LibreOffice still running on such a profile: a
process does so before its first conversion, an audit's worker when it starts.  An audit
also gives its workers one private folder of its own for these (:func:`private_root`),
which it removes, whatever is in it, when it ends.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from ..errors import InputError, LimitExceeded

SUFFIXES = (".doc", ".odt", ".rtf")
_OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # a compound file: Word 97-2003
_RTF = b"{\\rtf"
#: how each format's files start (Word also saves RTF under .doc); anything else is refused
#: before LibreOffice sees it, which would otherwise read any bytes as plain text
_MAGIC = {".doc": (_OLE2, _RTF), ".rtf": (_RTF,), ".odt": (b"PK\x03\x04",)}
_WHAT = {".doc": "Word 97-2003 document", ".rtf": "RTF document", ".odt": "OpenDocument text"}
NEEDS = "needs LibreOffice (soffice) to be read, and it is not installed"


@cache
def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


_profile: dict[int, str] = {}
#: where this process makes its folders (None: the system's temporary folder)
_root: str | None = None
_OURS = re.compile(r"sba-lint-(?:office|convert)-(\d+)-")


def root() -> str:
    """The folder this process makes its LibreOffice folders in."""
    return _root or tempfile.gettempdir()


def set_root(folder: str | None) -> None:
    """Make this process's LibreOffice folders in ``folder`` (an audit's worker: the
    audit's private folder) or, with None, in the system's temporary folder."""
    global _root
    _root = folder


@contextmanager
def private_root() -> Iterator[str]:
    """A private folder (this user only) for the LibreOffice profiles and conversions of
    this process and the worker processes it starts while it is open; removed when it
    closes, with what a stopped worker left in it, and the LibreOffice still running on
    a profile in it ended first."""
    previous = _root
    folder = tempfile.mkdtemp(prefix="sba-lint-audit-")
    set_root(folder)
    try:
        yield folder
    finally:
        set_root(previous)
        sweep(folder, everything=True)
        shutil.rmtree(folder, ignore_errors=True)


def _mkdtemp(kind: str) -> str:
    return tempfile.mkdtemp(prefix=f"sba-lint-{kind}-{os.getpid()}-", dir=root())


def _profile_dir() -> str:
    """This process's own LibreOffice profile (made on first use, after the folders that
    stopped processes left are swept; removed at exit, also from a worker process, whose
    exit skips ``atexit``)."""
    pid = os.getpid()
    if pid not in _profile:
        from multiprocessing import util

        sweep()
        folder = _mkdtemp("office")
        _profile[pid] = folder
        util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    return _profile[pid]


def cleanup() -> None:
    """Remove this process's profile now (a process about to end without its finalizers,
    as a forked child that leaves by ``os._exit``)."""
    folder = _profile.pop(os.getpid(), None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def _gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's, or not ours to signal: not gone
        return False
    return False


def sweep(folder: str | None = None, everything: bool = False) -> list[str]:
    """Remove, from ``folder`` (default: :func:`root`), this user's LibreOffice folders
    whose process is gone (all of them with ``everything``), first ending any LibreOffice
    still running on such a profile.  Returns the folders removed."""
    base = Path(folder or root())
    stale: list[Path] = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return []
    for entry in entries:
        m = _OURS.match(entry.name)
        try:
            if not m or not entry.is_dir(follow_symlinks=False) or \
                    entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
        except OSError:
            continue
        if everything or _gone(int(m[1])):
            stale.append(Path(entry.path))
    profiles = [p for p in stale if p.name.startswith("sba-lint-office-")]
    if profiles:
        _end_office(profiles)
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return [str(p) for p in stale]


def _end_office(profiles: list[Path]) -> None:
    """End the processes (Linux: found in /proc) of this user running LibreOffice on one
    of these profiles."""
    marks = [f"-env:UserInstallation={p.as_uri()}".encode() for p in profiles]
    try:
        pids = [int(n) for n in os.listdir("/proc") if n.isdigit()]
    except OSError:
        return
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            if os.stat(f"/proc/{pid}").st_uid != os.getuid():
                continue
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                args = fh.read().split(b"\0")
        except OSError:
            continue
        if any(mark in args for mark in marks):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def to_docx(data: bytes, path: str, seconds: int, limit: int) -> bytes:
    """The document converted to .docx, or an InputError naming the file and the cause."""
    program = soffice()
    suffix = Path(path).suffix.lower()
    if not data.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(_MAGIC[suffix]):
        raise InputError(f"is not a valid {suffix} (the file is damaged or not a {_WHAT[suffix]})",
                         path)
    if program is None:
        raise InputError(f"is a {suffix} file, which {NEEDS}", path)
    profile = _profile_dir()
    tmp = _mkdtemp("convert")
    try:
        source = Path(tmp, "in", f"document{suffix}")
        source.parent.mkdir()
        source.write_bytes(data)
        out = Path(tmp, "out")
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nolockcheck", "--convert-to", "docx",
                   "--outdir", str(out), str(source)]
        _convert(command, seconds, path, tmp)
        converted = out / "document.docx"
        if not converted.is_file():
            raise InputError(f"LibreOffice could not convert it (a damaged or protected {suffix} file?)",
                             path)
        if converted.stat().st_size > limit:
            raise LimitExceeded("converted to Word, it is over the file-mb limit", path)
        return converted.read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _convert(command: list[str], seconds: int, path: str, tmp: str) -> None:
    """Run LibreOffice in a process group of its own, all of which is ended when it takes
    more than ``seconds`` (its launcher starts the converter as a child process, which
    ending the launcher alone would leave running), with its own temporary files in the
    conversion's folder ``tmp``."""
    env = {**os.environ, "TMPDIR": tmp, "TMP": tmp, "TEMP": tmp}
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True, env=env)
    except OSError as e:
        raise InputError(f"LibreOffice could not be started ({e.strerror or e})", path) from None
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        raise LimitExceeded(f"LibreOffice took more than {seconds} seconds to convert it "
                            "(the seconds limit)", path) from None
    finally:
        if process.returncode is None:  # over its time, or this process interrupted
            try:
                os.killpg(process.pid, signal.SIGKILL)  # type: ignore[attr-defined]
            except (OSError, AttributeError):  # gone already, or no process groups here
                process.kill()
            process.wait()
