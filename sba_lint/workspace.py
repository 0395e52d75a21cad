"""What every front end (``check``, ``annotate``, ``fix``, ``audit``, the coming service)
shares: the configuration that applies to each folder, a bounded cache of Linters keyed on
their rule settings, the walk over the paths given, and the run loop over the files found.

    ws = Workspace(forced_config, options)
    for checked in ws.run(ws.targets(["notes/", "draft.docx"])):
        print(checked.result.path, len(checked.result.findings), checked.failed)

Results leave the loop *detached*: without the whole :class:`~sba_lint.source.Document`
(path, words, error, findings, statistics, format, explain decisions with their lines),
so they are cheap to keep and to send between processes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Config
from .config import for_path as config_for_path
from .errors import InputError
from .files import Target, collect
from .files import display_name as _n
from .findings import FileResult


@dataclass(frozen=True)
class Checked:
    """One file's detached result and whether it fails the run (``fail-on``)."""

    result: FileResult
    failed: bool = False


class Workspace:
    """Per-folder configuration and one Linter per distinct rule setting, built on first
    use; at most ``max_linters`` are kept (the least recently used goes first)."""

    def __init__(self, forced: Config | None = None, options: dict[str, Any] | None = None,
                 explain: bool = False, max_linters: int = 16, with_stats: bool = True):
        self.forced = forced
        self.options = {k: v for k, v in (options or {}).items()}
        self.explain = explain
        #: whether results carry the readability statistics (a report that shows none
        #: saves loading the hyphenation dictionary)
        self.with_stats = with_stats
        self.max_linters = max_linters
        self.cache: OrderedDict[Config, Any] = OrderedDict()
        #: every configuration a Linter was built for (the cache may have let some go)
        self.seen: set[Config] = set()

    # -- configuration and Linters ---------------------------------------------------
    def config_for(self, path: Path) -> Config:
        """The configuration for a file or folder: ``--config`` if given, else the nearest
        configuration file's, with the command-line options laid over it."""
        base = self.forced if self.forced is not None else config_for_path(path)
        return base.merged(**self.options)

    def linter(self, config: Config) -> Any:
        linter = self.cache.get(config)
        if linter is None:
            from .linter import Linter

            linter = self.cache[config] = Linter(config, explain=self.explain,
                                                 with_stats=self.with_stats)
            self.seen.add(config)
            while len(self.cache) > self.max_linters:
                self.cache.popitem(last=False)
        else:
            self.cache.move_to_end(config)
        return linter

    def linter_for(self, path: Path) -> Any:
        return self.linter(self.config_for(path))

    def catalogue(self) -> list[dict[str, Any]]:
        """Every rule the Linters built so far know, as plain data (for reporters that
        describe rules: SARIF)."""
        from .catalogue import entries

        rules = {r.id: r for linter in self.cache.values() for r in linter.all_rules}
        return entries(rules.values())

    @property
    def redact(self) -> bool:
        """Whether any configuration used so far (or the options) asks for redaction."""
        return bool(self.options.get("redact")) or any(c.redact for c in self.seen)

    # -- what to check ---------------------------------------------------------------
    def targets(self, paths: Iterable[str], skipped: bool = False) -> list[Target]:
        """The files to check (standard input, ``-``, aside), folders walked with the
        first path's ``exclude`` patterns.  With ``skipped``, files a walk passes over
        (unsupported formats, sba-lint's own copies) are included, ``skipped`` set."""
        real = [p for p in paths if p != "-"]
        if not real:
            return []
        first = self.config_for(Path(real[0]))
        return [t for t in collect(real, first.exclude) if skipped or not t.skipped]

    # -- the run loop ----------------------------------------------------------------
    def check(self, target: Target) -> Checked:
        """Check one target; an unreadable file is a result with ``error`` set."""
        if target.error:
            return Checked(FileResult(target.shown, error=f"{target.shown}: {target.error}"))
        linter = self.linter_for(target.path)
        result = linter.check_file(target.path, shown=target.shown)
        return Checked(result.detached(), linter.fails(result))

    def check_bytes(self, data: bytes | InputError, name: str, config_path: Path,
                    format: str) -> Checked:
        """Check a document held in memory (standard input), or report why it could not
        be had (``data`` an InputError without the name)."""
        linter = self.linter_for(config_path)
        if isinstance(data, InputError):
            result = FileResult.failed(name, InputError(data.reason, _n(name), data.detail))
        else:
            result = linter.check_bytes(data, path=_n(name), format=format)
        return Checked(result.detached(), linter.fails(result))

    def run(self, targets: Iterable[Target]) -> Iterator[Checked]:
        """Each target's result, in order, as it is checked (never all held here: files
        that share a Linter are checked a few at a time, :meth:`Linter.check_files`)."""
        group: list[Target] = []
        linter: Any = None
        for target in targets:
            if target.skipped:
                continue
            mine = None if target.error else self.linter_for(target.path)
            if group and mine is not linter:
                yield from self._together(linter, group)
                group = []
            if mine is None:
                yield self.check(target)
                continue
            linter = mine
            group.append(target)
            if len(group) >= linter.together:
                yield from self._together(linter, group)
                group = []
        yield from self._together(linter, group)

    @staticmethod
    def _together(linter: Any, targets: list[Target]) -> Iterator[Checked]:
        results = linter.check_files((t.path, t.shown) for t in targets) if targets else ()
        for result in results:
            yield Checked(result.detached(), linter.fails(result))

    def read_checked(self, path: Path) -> tuple[bytes, FileResult, Any]:
        """A file's bytes (read once), its full result (with the Document, for writing
        back) and the Linter that applies to it; an InputError when it cannot be read or
        is over a limit."""
        from .source import load_bytes, read_bytes

        linter = self.linter_for(path)
        data = load_bytes(path, _n(path), linter.limits)
        result = linter.check_document(read_bytes(data, _n(path), limits=linter.limits))
        if result.error:  # over a limit
            raise InputError(result.error)
        return data, result, linter


def skipped_summary(targets: Iterable[Target]) -> str | None:
    """One line accounting for the files folder walks passed over, by type, or None:
    ``skipped 3 files: 2 .pdf, 1 .rtf (formats sba-lint does not read); 1 sba-lint copy``."""
    from collections import Counter

    from .files import NEEDS_OFFICE, OWN_COPY
    from .source import SUPPORTED
    from .source.legacy import NEEDS

    targets = [t for t in targets if t.skipped]
    kinds = Counter(t.kind for t in targets if t.skipped != NEEDS_OFFICE)
    office = Counter(t.kind for t in targets if t.skipped == NEEDS_OFFICE)
    if not targets:
        return None
    total = len(targets)
    own = kinds.pop(OWN_COPY, 0)
    parts = []
    if office:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(office.items()))
        parts.append(f"{listed} ({NEEDS})")
    if kinds:
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"{listed} (formats sba-lint does not read; it reads {SUPPORTED})")
    if own:
        parts.append(f"{own} of sba-lint's own copies (*.reviewed.docx, *.fixed.docx)")
    return f"skipped {total} file{'s' if total != 1 else ''}: " + "; ".join(parts)
