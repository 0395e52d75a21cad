"""Stage 1, *source*: read a file into a :class:`Document` (text + a map back to its origin).

One reader per format; :func:`read_path` and :func:`read_bytes` choose by file suffix.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from . import docx, markdown, plaintext
from .document import Document, Kept, Piece, Segment, Suppression, describe_origin

READERS = {
    ".txt": plaintext.read,
    ".text": plaintext.read,
    ".md": markdown.read,
    ".markdown": markdown.read,
    ".docx": docx.read,
}
FORMAT_NAMES = {"txt": ".txt", "text": ".txt", "md": ".md", "markdown": ".md", "docx": ".docx"}
SUPPORTED = ", ".join(sorted({".docx", ".txt", ".md"}))
#: a document larger than this is refused rather than read into memory
MAX_BYTES = 200 * 1024 * 1024


def suffix_for(name: str) -> str:
    """The reader suffix for a file name or a bare format name (``docx``, ``.md``)."""
    key = name.lower().lstrip(".")
    if key in FORMAT_NAMES:
        return FORMAT_NAMES[key]
    return Path(name).suffix.lower()


def is_supported(path: str | os.PathLike[str]) -> bool:
    return Path(path).suffix.lower() in READERS


def read_bytes(data: bytes, path: str, format: str | None = None) -> Document:
    """Read a document from bytes; ``format`` (a suffix or name) overrides the path's."""
    suffix = suffix_for(format) if format else Path(path).suffix.lower()
    reader = READERS.get(suffix)
    if reader is None:
        what = f"'{suffix}'" if suffix else "(no file extension)"
        raise InputError(f"unsupported format {what}: sba-lint reads {SUPPORTED}", path)
    return reader(data, path)


def read_path(path: str | os.PathLike[str], display: str | None = None) -> Document:
    """Read a document from disk. Never writes to or alters the file."""
    shown = display or str(path)
    return read_bytes(load_bytes(path, shown), shown)


def load_bytes(path: str | os.PathLike[str], shown: str) -> bytes:
    """A supported file's bytes, or an InputError saying why they cannot be had."""
    p = Path(path)
    if p.suffix.lower() not in READERS:
        read_bytes(b"", shown)  # raises the unsupported-format error
    from ..files import NotRegularFile, read_regular

    try:
        return read_regular(p, MAX_BYTES)
    except ValueError as e:
        raise InputError(f"is too large ({e.args[0] // (1024 * 1024)} MiB); the limit is "
                         f"{MAX_BYTES // (1024 * 1024)} MiB", shown) from None
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
    "read_bytes",
    "read_path",
]
