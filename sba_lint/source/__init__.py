"""Stage 1, *source*: read a file into a :class:`Document` (text + a map back to its origin).

One reader per format; :func:`read_path` and :func:`read_bytes` choose by file suffix.
"""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path

from ..errors import InputError
from ..limits import DEFAULT, Limits
from . import legacy
from .document import Document, Kept, Piece, Segment, Suppression, describe_origin

#: suffix -> the module that reads it, imported on first use (a .txt needs neither
#: markdown-it nor lxml)
READERS = {
    ".txt": "plaintext",
    ".text": "plaintext",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "docx",
    **{suffix: "docx" for suffix in legacy.SUFFIXES},  # converted to .docx first
}
FORMAT_NAMES = {"txt": ".txt", "text": ".txt", "md": ".md", "markdown": ".md", "docx": ".docx"}
SUPPORTED = ", ".join(sorted({".docx", ".txt", ".md"}))


def suffix_for(name: str) -> str:
    """The reader suffix for a file name or a bare format name (``docx``, ``.md``)."""
    key = name.lower().lstrip(".")
    if key in FORMAT_NAMES:
        return FORMAT_NAMES[key]
    return Path(name).suffix.lower()


def is_supported(path: str | os.PathLike[str]) -> bool:
    """Whether sba-lint can read the file's format here (.doc, .rtf and .odt only when
    LibreOffice is installed)."""
    suffix = Path(path).suffix.lower()
    return suffix in READERS and (suffix not in legacy.SUFFIXES or legacy.soffice() is not None)


def over_limit(path: str, what: str, key: str) -> InputError:
    """The error for a document over one of the limits: names the file, the limit and
    how to raise it."""
    from ..limits import over

    return over(what, key, path)


def read_bytes(data: bytes, path: str, format: str | None = None,
               limits: Limits = DEFAULT) -> Document:
    """Read a document from bytes; ``format`` (a suffix or name) overrides the path's."""
    suffix = suffix_for(format) if format else Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        what = f"'{suffix}'" if suffix else "(no file extension)"
        raise InputError(f"unsupported format {what}: sba-lint reads {SUPPORTED}", path)
    if len(data) > limits.bytes("file_mb"):
        raise over_limit(path, f"is {_mib(len(data))}, more than {limits.file_mb} MiB", "file-mb")
    if suffix in legacy.SUFFIXES:
        data = legacy.to_docx(data, path, limits.seconds, limits.bytes("file_mb"))
    module = import_module(f".{reader}", __name__)
    doc = module.read(data, path, limits) if reader == "docx" else module.read(data, path)
    if len(doc.text) > limits.bytes("text_mchars"):
        raise over_limit(path, f"has {len(doc.text):,} characters of text, more than "
                         f"{limits.text_mchars} million", "text-mchars")
    return doc


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MiB"


def read_path(path: str | os.PathLike[str], display: str | None = None,
              limits: Limits = DEFAULT) -> Document:
    """Read a document from disk. Never writes to or alters the file."""
    shown = display or str(path)
    return read_bytes(load_bytes(path, shown, limits), shown, limits=limits)


def load_bytes(path: str | os.PathLike[str], shown: str, limits: Limits = DEFAULT) -> bytes:
    """A supported file's bytes, or an InputError saying why they cannot be had.  Only a
    regular file is read (links followed), and never more than the ``file-mb`` limit."""
    p = Path(path)
    if p.suffix.lower() not in READERS:
        read_bytes(b"", shown)  # raises the unsupported-format error
    from ..files import NotRegularFile, read_regular

    try:
        return read_regular(p, limits.bytes("file_mb"))
    except ValueError:
        raise over_limit(shown, f"is more than {limits.file_mb} MiB", "file-mb") from None
    except FileNotFoundError:
        raise InputError("no such file", shown) from None
    except PermissionError:
        raise InputError("permission denied: the file cannot be read", shown) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", shown) from None
    except NotRegularFile:
        raise InputError("is not a regular file (a device, pipe or socket); skipped", shown) from None
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror or e})", shown) from None


__all__ = [
    "Document",
    "Kept",
    "Piece",
    "Segment",
    "Suppression",
    "describe_origin",
    "is_supported",
    "load_bytes",
    "over_limit",
    "read_bytes",
    "read_path",
]
