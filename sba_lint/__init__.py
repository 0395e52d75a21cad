"""sba-lint: strengths-based language review for social-care case documents.

The stages, each in one place:

    source/     read .docx, .txt, .md into a Document (text + origin map);
                docx_edit.py finds the same runs again to comment on or change them
    analysis/   a cheap index of the text; spaCy only on sentences that need it;
                the strengths statements of the balance
    rules/      YAML packs compiled into a rule set; the engine produces findings;
                profiles (document types) and the generated rule reference
    findings.py the one model of a finding
    reporters/  text and JSON output, and comments on a copy of a Word document
    fixes/      mechanical fixes: a new text, a diff, or tracked changes in Word

``Linter`` (in :mod:`sba_lint.linter`) composes them; the CLI is :mod:`sba_lint.cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .config import Config
    from .errors import InputError, SbaLintError
    from .linter import Linter

__all__ = ["Config", "InputError", "Linter", "SbaLintError", "__version__"]


def __getattr__(name: str) -> Any:  # keep `import sba_lint` (and the CLI's start) cheap
    if name == "Linter":
        from .linter import Linter

        return Linter
    if name == "Config":
        from .config import Config

        return Config
    if name in ("InputError", "SbaLintError"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(name)
