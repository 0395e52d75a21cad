"""Older formats (.doc, .rtf, .odt), read by converting them to .docx with LibreOffice in
headless mode, when it is installed.

The document's bytes are copied into a private temporary folder (readable by this user
only) and converted there, never beside the user's file; the folder goes when the
conversion is done.  Each process keeps one LibreOffice profile of its own for its
conversions, so parallel workers never share one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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


def _profile_dir() -> str:
    """This process's own LibreOffice profile (made on first use, removed at exit, also
    from a worker process, whose exit skips ``atexit``)."""
    pid = os.getpid()
    if pid not in _profile:
        from multiprocessing import util

        folder = tempfile.mkdtemp(prefix="sba-lint-office-")
        _profile[pid] = folder
        util.Finalize(None, shutil.rmtree, args=(folder, True), exitpriority=0)
    return _profile[pid]


def to_docx(data: bytes, path: str, seconds: int, limit: int) -> bytes:
    """The document converted to .docx, or an InputError naming the file and the cause."""
    program = soffice()
    suffix = Path(path).suffix.lower()
    if not data.lstrip(b"\xef\xbb\xbf\r\n\t ").startswith(_MAGIC[suffix]):
        raise InputError(f"is not a valid {suffix} (the file is damaged or not a {_WHAT[suffix]})",
                         path)
    if program is None:
        raise InputError(f"is a {suffix} file, which {NEEDS}", path)
    with tempfile.TemporaryDirectory(prefix="sba-lint-convert-") as tmp:
        source = Path(tmp, "in", f"document{suffix}")
        source.parent.mkdir()
        source.write_bytes(data)
        out = Path(tmp, "out")
        command = [program, f"-env:UserInstallation={Path(_profile_dir()).as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nolockcheck", "--convert-to", "docx",
                   "--outdir", str(out), str(source)]
        try:
            subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=seconds, check=False)
        except subprocess.TimeoutExpired:
            raise LimitExceeded(f"LibreOffice took more than {seconds} seconds to convert it "
                                "(the seconds limit)", path) from None
        except OSError as e:
            raise InputError(f"LibreOffice could not be started ({e.strerror or e})", path) from None
        converted = out / "document.docx"
        if not converted.is_file():
            raise InputError(f"LibreOffice could not convert it (a damaged or protected {suffix} file?)",
                             path)
        if converted.stat().st_size > limit:
            raise LimitExceeded("converted to Word, it is over the file-mb limit", path)
        return converted.read_bytes()
