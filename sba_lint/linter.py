"""The Python API: the stages composed.  Front ends (CLI, HTTP, batch) build on this.

    from sba_lint import Linter
    linter = Linter()                       # bundled rules, defaults
    result = linter.check_text("Mum failed to engage.")
    for f in result.findings:
        print(f.rule, f.match, f.suggestions)

A Linter loads its rules once; the spaCy pipeline is loaded once per process, on the
first sentence that needs it, and shared by every Linter.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import source
from .analysis import strengths
from .analysis.text import TextIndex
from .config import Config
from .errors import InputError, LimitExceeded
from .findings import Decision, FileResult, Severity
from .rules import RuleSet, discover, load_rules, select
from .rules.engine import Engine, stats
from .rules.model import Rule
from .rules.profiles import apply_options, load_profile
from .source.document import Document


class Linter:
    def __init__(self, config: Config | None = None, *, rules: list[Rule] | None = None,
                 with_stats: bool = True, explain: bool = False):
        self.config = c = config or Config()
        self.limits = c.limit_values
        self.all_rules = rules if rules is not None else load_rules(discover(c.rules), self.limits)
        self.profile = load_profile(c.profile, c.rules) if c.profile else None
        p = self.profile
        chosen = c.select if c.select is not None else (p.select if p else None)
        options = dict(
            select=list(chosen) if chosen is not None else None,
            extend_select=(p.extend_select if p else ()) + c.extend_select,
            severity={**dict(p.severity if p else ()), **dict(c.severity)},
        )
        base = apply_options(self.all_rules, p) if p else self.all_rules
        self.rules = select(base, ignore=(p.ignore if p else ()) + c.ignore, **options)
        # ignored rules still claim their words, so that no other rule flags them instead
        ids = {r.id for r in self.rules}
        ignored = [r for r in select(base, **options) if r.id not in ids]
        self.ruleset = RuleSet(self.rules + ignored)
        self.engine = Engine(self.ruleset, (p.allow if p else ()) + c.allow,
                             silent=[r.id for r in ignored])
        self.with_stats = with_stats
        self.explain = explain  # record every candidate's decision on the result

    # -- checking -------------------------------------------------------------------
    def check_document(self, doc: Document) -> FileResult:
        """Check a document read by :mod:`sba_lint.source`; a document over a limit (its
        text, its time) gives a result with ``error`` set."""
        from .limits import time_budget

        try:
            with time_budget(self.limits.seconds):
                return self._check_document(doc)
        except LimitExceeded as e:
            return FileResult.failed(doc.path, LimitExceeded(e.reason, doc.path))
        except MemoryError:
            return FileResult.failed(doc.path, out_of_memory(doc.path))

    def _check_document(self, doc: Document) -> FileResult:
        if len(doc.text) > self.limits.bytes("text_mchars"):  # a Document made by hand
            return FileResult.failed(doc.path, source.over_limit(
                doc.path, f"has more than {self.limits.text_mchars} million characters of text",
                "text-mchars"))
        idx = TextIndex(doc.text, doc.hard_breaks, self.limits.sentence_chars)
        trace: list[Decision] | None = [] if self.explain else None
        findings = self.engine.run(doc, idx, trace)
        st = stats(doc, idx) if self.with_stats else {"words": idx.word_count}
        st["strengths"] = strengths.count(idx)
        st["deficit"] = sum(1 for f in findings
                            if self.ruleset.by_id[f.rule].deficit and f.reported is None)
        return FileResult(doc.path, findings, st, None, doc, trace)

    def check_text(self, text: str, *, path: str = "<text>", format: str = "txt") -> FileResult:
        """Check a string (``format`` txt or md)."""
        return self.check_bytes(text.encode("utf-8"), path=path, format=format)

    def check_bytes(self, data: bytes, *, path: str = "<bytes>", format: str | None = None) -> FileResult:
        """Check a document held in memory; ``format`` (txt, md, docx) overrides the path's."""
        try:
            doc = source.read_bytes(data, path, format, self.limits)
        except InputError as e:
            return FileResult.failed(path, e)
        except MemoryError:
            return FileResult.failed(path, out_of_memory(path))
        return self.check_document(doc)

    def check_file(self, path: str | os.PathLike[str], *, shown: str | None = None) -> FileResult:
        """Check a file on disk; an unreadable file gives a result with ``error`` set."""
        name = shown or str(path)
        try:
            doc = source.read_path(Path(path), name, self.limits)
        except InputError as e:
            return FileResult.failed(name, e)
        except MemoryError:
            return FileResult.failed(name, out_of_memory(name))
        return self.check_document(doc)

    # -- reviewed copies (bytes in, bytes out: sba_lint.review) -------------------------
    def annotate(self, data: bytes, *, path: str = "document.docx", author: str = "sba-lint",
                 initials: str = "SBA", summary: bool = False) -> bytes:
        """A Word document's bytes with a comment on each finding (``sba-lint annotate``);
        an :class:`InputError` (one line) when it cannot be read or reviewed."""
        from .review import annotate

        return annotate(self, data, path, author=author, initials=initials, summary=summary).data

    def fix(self, data: bytes, *, path: str = "document.docx", format: str | None = None,
            unsafe: bool = False, author: str = "sba-lint", initials: str = "SBA",
            summary: bool = False) -> bytes:
        """The fixed document's bytes (``sba-lint fix``): Word with tracked changes, or
        .txt / .md (``format`` or the path's suffix) with the fixed words changed."""
        from .review import fix

        return fix(self, data, path, format=format, unsafe=unsafe, author=author,
                   initials=initials, summary=summary).data

    # -- verdicts -------------------------------------------------------------------
    def fails(self, result: FileResult) -> bool:
        """Whether a result has findings at or above the ``fail-on`` severity."""
        if self.config.fail_on == "never":
            return False
        threshold = Severity.parse(self.config.fail_on)
        return any(f.severity >= threshold for f in result.findings)


def out_of_memory(path: str) -> InputError:
    """The error for a document that needed more memory than there was (the limits are
    set for a machine with a few GiB; lower them where there is less)."""
    return InputError("ran out of memory while checking it; lower the limits (file-mb, "
                      "text-mchars) or give sba-lint more memory", path)
