"""An audit past one machine: the same tasks, checked on an existing Dask distributed
cluster (``--scheduler tcp://HOST:PORT``).  Needs the optional extra ``sba-lint[dask]``.

A worker plugin builds each Dask worker's Workspace (rules, and spaCy) once, when the
worker joins; tasks and records are the same plain values as in the local pool, so the
database and the outputs are the same as a local run's.  The workers read the files at the
same paths as this machine does (a shared drive mounted at the same place).

A file whose check kills its Dask worker (out of memory: the nanny's memory limit or the
kernel's; a crash) is given to other workers, and once it has killed more of them than the
scheduler allows (``distributed.scheduler.allowed-failures``, 3 by default) its future ends
as KilledWorker.  The files that end so are checked again at the end, each alone on the
cluster, as the local pool does: one that only shared a dying worker is checked as usual,
and one that kills its worker even alone is an unreadable row (runner.STOPPED).

A Dask worker process may run other clients' tasks too, so it is never given the local
pool's limits itself: each batch is checked in a child process forked from it
(runner.isolated), which has them, the memory ceiling (``worker-mb``) and the watchdog at
three times the ``seconds`` limit, and whose death costs the worker nothing.  A file that
hangs inside one step, or runs out of memory past the ceiling, is then its unreadable row
as in a local run, and the worker goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from typing import Any

from ..config import Config
from ..errors import ConfigError
from . import runner
from .plan import Task
from .store import Record

try:
    from distributed import WorkerPlugin
except ImportError:  # the extra is not installed: records() says so
    WorkerPlugin = object

_lock = threading.Lock()
#: how long to keep trying to reach the scheduler
CONNECT_SECONDS = 20


class AuditPlugin(WorkerPlugin):  # type: ignore[misc,valid-type]
    """Loads the audit's rules and spaCy once in each Dask worker process."""

    name = "sba-lint-audit"

    def __init__(self, forced: Config | None, options: dict[str, Any]):
        self.forced = forced
        self.options = options

    def setup(self, worker: Any = None) -> None:
        from ..source import legacy

        with _lock:
            legacy.sweep()  # LibreOffice folders of this user's processes that are gone
            runner._init(self.forced, self.options, "dask")

    def teardown(self, worker: Any = None) -> None:
        pass


def check(task: Task) -> Record:
    """One task on a Dask worker (one at a time per process, whatever its thread count)."""
    return check_many([task])[0]


def check_many(tasks: list[Task]) -> list[Record]:
    """A batch of tasks on a Dask worker, one batch at a time per process, whatever its
    thread count, checked in a child process forked from the worker (runner.isolated:
    their small documents checked together, under the local pool's limits)."""
    with _lock:
        return runner.isolated(tasks)


def records(tasks: Iterable[Task], scheduler: str, forced: Config | None,
            options: dict[str, Any], in_flight: int = 0, total: int | None = None) -> Iterator[Record]:
    try:
        from distributed import Client, KilledWorker, as_completed
    except ImportError:
        raise ConfigError("--scheduler needs Dask: pip install 'sba-lint[dask]'") from None
    try:
        client = Client(scheduler, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as e:
        raise ConfigError(f"cannot reach the Dask scheduler at {scheduler} ({e})") from None
    try:
        client.register_plugin(AuditPlugin(forced, options), name=AuditPlugin.name)
        threads = max(1, sum(client.nthreads().values()))
        limit = in_flight or threads * 2
        todo = runner.batches(iter(tasks), runner.batch_size(total, threads))
        pending = as_completed(loop=client.loop)  # this client's, not a process-wide default
        running: dict[Any, list[Task]] = {}
        killers: list[Task] = []  # files whose futures ended as KilledWorker
        while True:
            while len(running) < limit:
                item = next(todo, None)
                if item is None:
                    break
                if isinstance(item, Task):  # nothing to read: no need for a worker
                    yield runner.work(item)
                    continue
                future = client.submit(check_many, item, pure=False)
                running[future] = item
                pending.add(future)
            if not running:
                break
            future = next(pending)
            yield from runner.settled(future, running.pop(future), KilledWorker, killers)
        for task in killers:  # each alone on the cluster
            try:
                record = client.submit(check, task, pure=False).result()
            except KilledWorker:
                record = runner.lost(task)
            yield record
    finally:
        client.close()
