"""The one model every stage agrees on: a finding, its fix, and the result for a file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from .analysis.text import WORD

#: words a rule's own wording shares with any sentence; not the document's to hide
_LITTLE_WORDS = frozenset(
    "a an the to of in on at by for with and or not is are was were be been being has have "
    "had do does did will would can could may might should must".split())


class Severity(IntEnum):
    """How much a finding matters; ordered so that ``>=`` compares seriousness."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {value!r} (use error, warning or info)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Fix:
    """A mechanical replacement of the finding's span.

    ``safe`` fixes keep the meaning (``utilise`` -> ``use``) and may be applied
    without review; unsafe ones need a person to check the sentence still says
    what they mean.
    """

    replacement: str
    safe: bool

    def to_dict(self, start: int, end: int, shown: list[str] | None = None) -> dict[str, Any]:
        content = shown[0] if shown else self.replacement
        return {
            "applicability": "safe" if self.safe else "unsafe",
            "edits": [{"start": start, "end": end, "content": content}],
        }


@dataclass(frozen=True)
class Finding:
    """One piece of wording worth a second look.

    ``start`` and ``end`` are character offsets into the document's text as the rules
    see it, so ``document.text[start:end] == match``.
    """

    rule: str
    category: str
    severity: Severity
    message: str
    start: int
    end: int
    match: str
    suggestions: tuple[str, ...] = ()  # drop-in replacements for ``match``, best first
    fix: Fix | None = None
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0
    origin: dict[str, Any] | None = None
    source: str = ""
    reported: str | None = None  # somebody else's words, reported by the writer: whose ("" unknown)
    advice: str | None = None  # what to do where no drop-in fits ("Say what he said and did")

    def shown_message(self, redact: bool = False) -> str:
        """The message; with ``redact``, without the document's own words."""
        message = self.message
        if redact and self.match:
            message = message.replace(self.match, "…")
        if redact and self.reported:
            message = message.replace(self.reported, "…")
        return message

    def shown_advice(self, redact: bool = False) -> str | None:
        if self.advice and redact and self.match:
            return self.advice.replace(self.match, "…")
        return self.advice

    def shown_suggestions(self, redact: bool = False) -> list[str]:
        """The suggestions; with ``redact``, any of the matched words they carry over
        (other than the commonest little words) shown as "…"."""
        if not redact or not self.match:
            return list(self.suggestions)
        own = {w.lower() for w in WORD.findall(self.match)} - _LITTLE_WORDS
        return [WORD.sub(lambda m: "…" if m.group().lower() in own else m.group(), s)
                for s in self.suggestions]

    def to_dict(self, *, redact: bool = False) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": str(self.severity),
            "message": self.shown_message(redact),
            "match": None if redact else self.match,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "suggestions": self.shown_suggestions(redact),
            "advice": self.shown_advice(redact),
            "fix": self.fix.to_dict(self.start, self.end, self.shown_suggestions(redact)[:1])
            if self.fix else None,
            "origin": self.origin,
            **({"reported": None if redact else self.reported} if self.reported is not None else {}),
        }


@dataclass(frozen=True)
class Decision:
    """What happened to one candidate match (``--explain``): kept as a finding, or
    skipped, and why."""

    rule: str
    start: int
    end: int
    match: str
    kept: bool
    reason: str
    line: int = 0  # 1-based line and column of ``start``, kept when the document is let go
    column: int = 0

    def to_dict(self, *, redact: bool = False) -> dict[str, Any]:
        return {"rule": self.rule, "start": self.start, "end": self.end,
                "match": None if redact else self.match,
                "decision": "kept" if self.kept else "skipped", "reason": self.shown_reason(redact)}

    def shown_reason(self, redact: bool = False) -> str:
        """The reason; with ``redact``, every quoted word (the document's own) left out."""
        return re.sub(r"'[^']*'", "'…'", self.reason) if redact else self.reason

@dataclass
class FileResult:
    """What checking one file produced: findings and statistics, or an error."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    document: Any = None  # the source.Document, for reporters that write back
    decisions: list[Decision] | None = None  # every candidate's decision, with --explain

    #: ``error`` without what a library said about the document (``--redact``)
    redacted_error: str | None = None
    #: the document's format (``txt``, ``md``, ``docx``), kept when the document is let go
    format: str | None = None
    #: the text encoding the document was read in (None for Word), kept likewise
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.document is not None:
            self.format = self.format or self.document.format
            self.encoding = self.encoding or self.document.encoding

    def detached(self) -> FileResult:
        """This result without the Document: everything the reporters and the audit need
        (path, words, error, findings, statistics, format, decisions with their lines),
        small and plain enough to keep by the thousand or send to another process."""
        doc = self.document
        if doc is None:
            return self
        decisions = None
        if self.decisions is not None:
            decisions = [replace(d, line=pos[0], column=pos[1])
                         for d in self.decisions for pos in [doc.line_col(d.start)]]
        return replace(self, document=None, decisions=decisions)

    @classmethod
    def failed(cls, path: str, error: Any) -> FileResult:
        """The result for a file that could not be checked (an :class:`SbaLintError`)."""
        return cls(path, error=str(error), redacted_error=error.redacted())

    def shown_error(self, redact: bool = False) -> str | None:
        """The error; with ``redact``, without anything that may quote the document."""
        return (self.redacted_error or self.error) if redact else self.error

    @property
    def words(self) -> int:
        return int(self.stats.get("words", 0))

    def to_dict(self, *, redact: bool = False) -> dict[str, Any]:
        return {
            "path": self.path,
            "words": self.words,
            "error": self.shown_error(redact),
            "findings": [f.to_dict(redact=redact) for f in self.findings],
            "stats": self.stats,
            **({"explain": [d.to_dict(redact=redact) for d in self.decisions]}
               if self.decisions is not None else {}),
        }
