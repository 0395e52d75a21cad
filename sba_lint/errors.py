"""The errors sba-lint reports to people.

Every error a user can cause is one of these, with a message that fits on one line and
names the file and the cause.  Front ends print ``str(error)`` and choose the exit code
from the class; nothing user-caused should ever surface as a traceback.
"""

from __future__ import annotations


class SbaLintError(Exception):
    """Base class: a problem with the user's input, configuration or rules."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None, detail: str | None = None):
        self.path = path
        self.reason = message
        #: what a library said (an XML parser's message): it may quote the document, so
        #: ``--redact`` leaves it out (see :meth:`redacted`)
        self.detail = detail
        full = f"{message} ({detail})" if detail else message
        super().__init__(f"{path}: {full}" if path else full)

    def redacted(self) -> str:
        """The message without the library's detail, which may quote the document."""
        if not self.detail:
            return str(self)
        message = f"{self.reason} (details withheld by --redact)"
        return f"{self.path}: {message}" if self.path else message


class InputError(SbaLintError):
    """A document could not be read (missing, unreadable, corrupt, wrong format)."""

    exit_code = 3


class LimitExceeded(InputError):
    """A document is over one of the limits (:mod:`sba_lint.limits`): names the limit."""


class ConfigError(SbaLintError):
    """A configuration file or command-line option is wrong."""

    exit_code = 2


class RulePackError(SbaLintError):
    """A rule pack or wordlist is wrong: names the file, the rule and the problem."""

    exit_code = 2
