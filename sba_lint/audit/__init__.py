"""``sba-lint audit``: the language of many case files, measured for a quality-assurance
team, on every core.

    plan (which files, their group and month)  ─►  runner (worker processes check them)
        ─►  store (DIR/audit.sqlite, as results come)  ─►  aggregate (by group, month, rule)
        ─►  outputs: files.csv, findings.csv, summary.json, and report.html (a reporter)
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError, SbaLintError
from ..workspace import Workspace
from . import aggregate, plan
from .progress import Progress
from .runner import records
from .store import Store, StoreError

OUTPUTS = ("report.html", "summary.json", "files.csv", "findings.csv")
#: commit the database at least this often (files, seconds)
COMMIT_FILES, COMMIT_SECONDS = 50, 1.0


class AuditInterrupted(Exception):
    """Ctrl-C: what was recorded so far is in the database, whole."""

    def __init__(self, done: int):
        super().__init__(done)
        self.done = done


@dataclass
class Outcome:
    counts: Counter[str] = field(default_factory=Counter)  # checked, unchanged, unreadable, skipped
    resumed: bool = False
    summary: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    words: int = 0  # words checked in this run


def run(paths: list[str], out: Path, *, forced: Config | None, options: dict[str, Any],
        jobs: int, group_by: str | None = None, manifest: Path | None = None,
        progress: bool | None = None, scheduler: str | None = None) -> Outcome:
    """Audit ``paths`` (or the manifest's files) into ``out``.  Raises SbaLintError for a
    usage problem (exit 2) and AuditInterrupted on Ctrl-C."""
    entries = plan.read_manifest(manifest) if manifest else {}
    by = plan.parse_group_by(group_by or ("team" if manifest else "path:1"))
    if not paths and not entries:
        raise ConfigError("nothing to audit: name files or folders, or a --manifest listing them")
    _prepare(out)
    ws = Workspace(forced, options)
    first = ws.config_for(Path(paths[0]) if paths else manifest or Path.cwd())
    ws.linter(first)  # a wrong configuration, pack or profile stops here, before any work
    from ..rules.profiles import available

    profiles = [p.name for p in available(list(first.rules))]
    settings = {"paths": [os.path.abspath(p) for p in paths],
                "manifest": os.path.abspath(manifest) if manifest else None,
                "group_by": group_by, "config": str(forced.path) if forced and forced.path else None,
                "options": json.loads(json.dumps(options, default=str))}
    try:
        store = Store(out / "audit.sqlite")
    except StoreError as e:
        raise ConfigError(str(e)) from None
    outcome = Outcome()
    started = time.monotonic()
    try:
        outcome.resumed = store.begin(settings)
        def walk() -> Iterator[plan.Task]:  # walked twice (to count, then to do), never held
            return plan.tasks(paths, entries, by, first.exclude, out, profiles)

        total = sum(1 for _ in walk())
        with_prior = (replace(t, prior=store.prior(t.key)) for t in walk())
        bar = Progress(total, bar=progress)
        last = time.monotonic()
        try:
            for record in records(with_prior, jobs, forced, options, scheduler, ws, total):
                store.put(record)
                outcome.counts[record.status] += 1
                outcome.words += record.words
                bar.update(record.words)
                if store.pending >= COMMIT_FILES or time.monotonic() - last >= COMMIT_SECONDS:
                    store.commit()
                    last = time.monotonic()
        except KeyboardInterrupt:
            store.commit()
            raise AuditInterrupted(sum(outcome.counts.values())) from None
        finally:
            bar.close()
        store.commit()
        store.prune_stale()
        summary = aggregate.summarise(store, {"group_by": group_by or ("team" if entries else "path:1"),
                                              "profile": first.profile})
        outcome.summary = summary
        write_outputs(store, out, summary)
        store.finish(aggregate.for_baseline(summary))
    finally:
        store.close()
    outcome.seconds = time.monotonic() - started
    return outcome


def _prepare(out: Path) -> None:
    """The output folder: made if missing (its parent must exist), never a file or link."""
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise ConfigError(f"{out}: --out names a folder for the audit's files; this is not a folder")
    try:
        out.mkdir(exist_ok=True)
    except FileNotFoundError:
        raise ConfigError(f"{out}: the folder it would go in does not exist") from None
    except OSError as e:
        raise ConfigError(f"{out}: cannot make the folder ({e.strerror or e})") from None
    for name in OUTPUTS:
        target = out / name
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise ConfigError(f"{target}: is not a regular file; sba-lint does not replace it")


def write_outputs(store: Store, out: Path, summary: dict[str, Any]) -> None:
    from ..files import write_atomic
    from ..reporters import html

    aggregate.write_csv(store, out)
    write_atomic(out / "summary.json",
                 (json.dumps(summary, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    write_atomic(out / "report.html", html.render(summary).encode("utf-8"))


__all__ = ["AuditInterrupted", "Outcome", "SbaLintError", "run"]
