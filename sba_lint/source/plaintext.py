"""Plain text: UTF-8 (with or without BOM), UTF-16 or UTF-32 with BOM, and Windows-1252
(what Notepad on English-language Windows saved as "ANSI") when charset-normalizer finds
that reading coherent.  Text in any other code page is refused rather than garbled."""

from __future__ import annotations

import codecs

from ..errors import InputError
from . import directives
from .document import Document

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, path: str) -> str:
    """Decode bytes to text, or raise an InputError that says why not."""
    return decode_with(data, path)[0]


def decode_with(data: bytes, path: str) -> tuple[str, str]:
    """The text and the name of the encoding it was read in (``utf-8-sig`` with a UTF-8
    byte-order mark), or an InputError that says why it cannot be read."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                name = "utf-8-sig" if encoding == "utf-8" else encoding
                return data[len(bom):].decode(encoding), name
            except UnicodeDecodeError as e:
                raise InputError(
                    f"is not valid {encoding.upper()} text (bad bytes at offset "
                    f"{e.start + len(bom)})",
                    path,
                ) from None
    if b"\x00" in data[:8192]:
        raise InputError("looks like a binary file, not text (it contains NUL bytes)", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        text = windows_1252(data)
        if text is not None:
            return text, "cp1252"
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"is not valid UTF-8 (byte 0x{data[e.start]:02x} on line {line}); "
            "save it as UTF-8 and try again",
            path,
        ) from None


def windows_1252(data: bytes) -> str | None:
    """The bytes read as Windows-1252, when they are that (every byte defined, and
    charset-normalizer finds the text coherent in it); else None."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    from charset_normalizer import from_bytes

    return text if from_bytes(data, cp_isolation=["cp1252"]).best() is not None else None


def encode_like(original: bytes, text: str, path: str | None = None) -> bytes:
    """``text`` encoded as ``original`` was: the same encoding and byte-order mark."""
    for bom, encoding in _BOMS:
        if original.startswith(bom):
            return bom + text.encode(encoding)
    try:
        original.decode("utf-8")
    except UnicodeDecodeError:
        if windows_1252(original) is not None:
            try:
                return text.encode("cp1252")
            except UnicodeEncodeError:
                raise InputError("is Windows-1252 text, and the fixed text holds characters it "
                                 "cannot store; save the file as UTF-8 and try again", path) from None
    return text.encode("utf-8")


def require_text(text: str, path: str) -> None:
    if not text.strip():
        raise InputError("is empty: there is no text to check", path)


def read(data: bytes, path: str) -> Document:
    text, encoding = decode_with(data, path)
    require_text(text, path)
    text, suppressions = directives.extract(text)
    return Document(path=path, format="txt", text=text, suppressions=suppressions,
                    encoding=encoding)
