"""Reviewed copies of a document held in memory: the work of ``sba-lint annotate`` and
``sba-lint fix`` on bytes, shared by the CLI, the Python API and the HTTP service.

    from sba_lint import Linter
    reviewed = Linter().annotate(open("draft.docx", "rb").read())   # bytes of the copy

Every check the CLI makes is made here: a corrupt, encrypted or over-limit document is an
:class:`~sba_lint.errors.InputError` (one line, naming the document), and a Word copy is
read back before it is handed out; one whose text differs from what was expected is an
error, never a silently damaged copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import InputError, SbaLintError
from .findings import FileResult

WORD = "docx"


@dataclass(frozen=True)
class Reviewed:
    """A reviewed copy: its bytes, the check it came from (without the Document), how
    many findings were fixed and commented on, and how many already had a comment."""

    data: bytes
    result: FileResult
    fixed: int = 0
    commented: int = 0
    already: int = 0


def _format(path: str, format: str | None) -> str:
    from pathlib import Path

    from .source import suffix_for

    return (suffix_for(format) if format else Path(path).suffix.lower()).lstrip(".")


def checked(linter: Any, data: bytes, path: str, format: str | None = None) -> FileResult:
    """The full result (with its Document) for bytes, or the InputError why not."""
    from .source import read_bytes

    result = linter.check_document(read_bytes(data, path, format, linter.limits))
    if result.error:  # over a limit
        raise InputError(result.error)
    return result


def read_back(linter: Any, new: bytes, path: str) -> str:
    """The text of a Word copy about to be handed out, read as the input was; a copy that
    cannot be read is the input's problem (an entity declared in a DOCTYPE, which Word
    never writes, does not survive the copy), named as the input's."""
    from .source import read_bytes

    try:
        return read_bytes(new, path, WORD, linter.limits).text
    except InputError as e:
        raise InputError(f"a copy of it could not be read back, so nothing was written: {e.reason}",
                         path, e.detail) from None


def _needs_word(path: str, format: str | None, what: str) -> None:
    if _format(path, format) != WORD:
        raise InputError(f"{what} writes Word comments, so it needs a .docx (for .txt and .md "
                         "use 'check', or 'fix --diff')", path)


def annotate(linter: Any, data: bytes, path: str = "document.docx", *, format: str | None = None,
             author: str = "sba-lint", initials: str = "SBA", summary: bool = False,
             redact: bool | None = None) -> Reviewed:
    """A copy of a Word document with a comment on each finding (``sba-lint annotate``)."""
    from .reporters.word import annotate as add_comments
    from .source.docx_edit import WordEditor

    _needs_word(path, format, "annotate")
    result = checked(linter, data, path, WORD)
    editor = WordEditor(data, result.document, author=author, initials=initials,
                        limits=linter.limits)
    placed, already = add_comments(editor, result, summary=summary,
                                   redact=_redact(linter, redact))
    new = editor.tobytes()
    if read_back(linter, new, path) != result.document.text:
        raise SbaLintError(f"{path}: the annotated copy's text differed from the original's; "
                           "nothing was written (please report this)")
    return Reviewed(new, result.detached(), 0, placed, already)


def fix(linter: Any, data: bytes, path: str = "document.docx", *, format: str | None = None,
        unsafe: bool = False, author: str = "sba-lint", initials: str = "SBA",
        summary: bool = False, redact: bool | None = None) -> Reviewed:
    """The fixed document (``sba-lint fix``): for Word, a copy with each fix as a tracked
    change and a comment on every other finding; for .txt and .md, the same bytes with
    the fixed words changed (the encoding, byte-order mark and line endings kept)."""
    from . import fixes
    from .fixes import text as text_fixes

    result = checked(linter, data, path, format)
    chosen = fixes.plan(result, unsafe=unsafe)
    doc = result.document
    if _format(path, format) != WORD:
        from .source.plaintext import decode, encode_like

        after = text_fixes.apply(decode(data, path), result, chosen)
        return Reviewed(encode_like(data, after, path), result.detached(), len(chosen.fixed),
                        0, 0)
    from .fixes import word as word_fixes
    from .source.docx_edit import WordEditor

    editor = WordEditor(data, doc, author=author, initials=initials, limits=linter.limits)
    done, commented = word_fixes.apply(editor, result, chosen, summary=summary,
                                       redact=_redact(linter, redact))
    new = editor.tobytes()
    if read_back(linter, new, path) != text_fixes.apply(doc.text, result, done):
        raise SbaLintError(f"{path}: the fixed copy did not read back as expected; "
                           "nothing was written (please report this)")
    return Reviewed(new, result.detached(), len(done.fixed), commented, 0)


def _redact(linter: Any, redact: bool | None) -> bool:
    return bool(redact or linter.config.redact)
