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
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from . import source
from .analysis import nlp, strengths
from .analysis.text import TextIndex
from .config import Config
from .errors import InputError, LimitExceeded
from .findings import Decision, FileResult, Finding, Severity
from .rules import RuleSet, discover, load_rules, select
from .rules.engine import Engine, Steps, parsing, stats
from .rules.model import Rule
from .rules.profiles import apply_options, load_profile
from .source.document import Document

#: the largest text checked together with others (:meth:`Linter.check_files`); a larger
#: one is checked on its own, its parsing within its own time budget
_TOGETHER_CHARS = 50_000


class Linter:
    #: documents checked together (:meth:`check_files`): their sentences parsed in one
    #: batch at each step
    together = 32

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
        return self._within_limits(doc, None, lambda: self._check_document(doc))

    def _within_limits(self, doc: Document, started: float | None, work: Callable[[], Any]) -> Any:
        """``work()`` within the document's time budget (from ``started``, or now); a limit
        exceeded or memory run out becomes the document's failed result, the latter made
        once the error, and the memory the failed work's frames hold with it, is let go."""
        from .limits import time_budget

        try:
            with time_budget(self.limits.seconds, started):
                return work()
        except LimitExceeded as e:
            return FileResult.failed(doc.path, LimitExceeded(e.reason, doc.path))
        except MemoryError:
            pass
        return FileResult.failed(doc.path, out_of_memory(doc.path))

    def _check_document(self, doc: Document) -> FileResult:
        begun = self._begin(doc)
        if isinstance(begun, FileResult):
            return begun
        idx, trace, steps = begun
        return self._finish(doc, idx, trace, parsing(steps))

    def _begin(self, doc: Document) -> FileResult | tuple[TextIndex, list[Decision] | None, Steps]:
        """A document's index and the engine's steps over it, or the result of a document
        over the text limit."""
        if len(doc.text) > self.limits.bytes("text_mchars"):  # a Document made by hand
            return FileResult.failed(doc.path, source.over_limit(
                doc.path, f"has more than {self.limits.text_mchars} million characters of text",
                "text-mchars"))
        idx = TextIndex(doc.text, doc.hard_breaks, self.limits.sentence_chars)
        trace: list[Decision] | None = [] if self.explain else None
        return idx, trace, self.engine.steps(doc, idx, trace)

    def _finish(self, doc: Document, idx: TextIndex, trace: list[Decision] | None,
                findings: list[Finding]) -> FileResult:
        st = stats(doc, idx) if self.with_stats else {"words": idx.word_count}
        st["strengths"] = strengths.count(idx)
        st["deficit"] = sum(1 for f in findings
                            if self.ruleset.by_id[f.rule].deficit and f.reported is None)
        return FileResult(doc.path, findings, st, None, doc, trace)

    def check_documents(self, docs: list[Document],
                        tick: Callable[[], None] | None = None) -> list[FileResult]:
        """Check several documents as :meth:`check_document` checks each, with their
        sentences parsed together: at each step one spaCy batch for all of them instead
        of a small one per document (each call has a fixed cost of a few milliseconds, the
        most of a small file's check).  Each document keeps its own time budget for its
        own work; give a few small documents at a time (the shared parsing is not counted
        against any of them).  Results in the order given.  ``tick``, if given, is called
        before each piece of work (a document's step, a shared parse): an audit's worker
        restarts its watchdog there (sba_lint.audit.runner)."""
        tick = tick or (lambda: None)
        results: list[FileResult | None] = [None] * len(docs)
        running: dict[int, tuple[float, TextIndex, list[Decision] | None, Steps]] = {}
        wanted: dict[int, list[str]] = {}

        def step(k: int, value: list[Any] | None) -> None:
            tick()
            started, idx, trace, steps = running[k]
            doc = docs[k]

            def advance() -> FileResult | None:
                try:
                    wanted[k] = steps.send(value)  # type: ignore[arg-type]
                    return None
                except StopIteration as done:
                    return self._finish(doc, idx, trace, done.value)

            result = self._within_limits(doc, started, advance)
            if result is not None:
                results[k] = result
                del running[k]

        for k, doc in enumerate(docs):
            tick()
            started = time.monotonic()
            begun = self._within_limits(doc, started, lambda doc=doc: self._begin(doc))
            if isinstance(begun, FileResult):
                results[k] = begun
                continue
            running[k] = (started, *begun)
            step(k, None)
        while wanted:
            asked, wanted = wanted, {}
            tick()
            try:
                parsed = nlp.parse([t for texts in asked.values() for t in texts])
            except MemoryError:  # each on its own, with its own limits, once the memory
                parsed = None  # the shared parse took is let go with the error
            if parsed is None:
                for k in asked:
                    running.pop(k)[3].close()
                    tick()
                    results[k] = self.check_document(docs[k])
                continue
            at = 0
            for k, texts in asked.items():
                step(k, parsed[at:at + len(texts)])
                at += len(texts)
        return results  # type: ignore[return-value]

    def check_files(self, paths: Iterable[tuple[str | os.PathLike[str], str | None]]) -> Iterator[FileResult]:
        """:meth:`check_file` for each ``(path, shown)``, in order, small documents checked
        together (:meth:`check_documents`) a few at a time; a large one on its own."""
        batch: list[Document] = []
        for path, shown in paths:
            doc = self._read(path, shown)
            if isinstance(doc, FileResult):
                yield from self.check_documents(batch)
                batch = []
                yield doc
                continue
            if len(doc.text) > _TOGETHER_CHARS:
                yield from self.check_documents(batch)
                batch = []
                yield self.check_document(doc)
                continue
            batch.append(doc)
            if len(batch) >= self.together:
                yield from self.check_documents(batch)
                batch = []
        yield from self.check_documents(batch)

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
        doc = self._read(path, shown)
        return doc if isinstance(doc, FileResult) else self.check_document(doc)

    def _read(self, path: str | os.PathLike[str], shown: str | None) -> Document | FileResult:
        name = shown or str(path)
        try:
            return source.read_path(Path(path), name, self.limits)
        except InputError as e:
            return FileResult.failed(name, e)
        except MemoryError:
            return FileResult.failed(name, out_of_memory(name))

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
