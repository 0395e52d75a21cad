"""The limits that keep one odd file from hanging or killing a run.

Each is checked before the work it guards is done; a document over a limit gets one
line naming the file and the limit (exit 3) and the other files are still checked.
They are set in the configuration file's ``[limits]`` table or with ``--limit KEY=N``
(the command line wins); README.md lists them with their defaults.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from typing import Any

from .errors import LimitExceeded

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    #: bytes of one input file (text, Markdown or Word), in MiB
    file_mb: int = 64
    #: bytes of one part of a Word file once unzipped (``word/document.xml``), in MiB;
    #: refused by the size the zip declares and by the bytes it really gives
    part_mb: int = 64
    #: parts (files) inside one Word file
    parts: int = 2000
    #: characters of text one document may give the rules (after reading), in millions
    text_mchars: int = 16
    #: characters of one sentence handed to the parser; longer runs without a full stop
    #: (transcripts, tables) are cut into pieces of at most this length
    sentence_chars: int = 1000
    #: seconds of work on one document, after it is read (a table of 100,000 findings);
    #: an audit's worker is stopped at three times this (sba_lint.audit.runner)
    seconds: int = 120
    #: memory checking one document may take in an audit's worker process, over what the
    #: worker holds already, in MiB (Linux: RLIMIT_DATA; past it the document ran out of
    #: memory, and the worker lives on)
    worker_mb: int = 4096
    #: rules in one pack file
    pack_rules: int = 5000
    #: bytes of one rule pack or wordlist file, in KiB
    pack_kb: int = 4096
    #: nesting depth of a rule pack's YAML (mappings and lists inside each other)
    pack_depth: int = 64

    def bytes(self, name: str) -> int:
        value = getattr(self, name)
        return value * MIB if name.endswith("_mb") else value * 1024 if name.endswith("_kb") \
            else value * 1_000_000 if name.endswith("_mchars") else value

    def merged(self, changes: dict[str, int]) -> Limits:
        return replace(self, **{key.replace("-", "_"): value for key, value in changes.items()})


DEFAULT = Limits()
#: the parser's own limit is a million characters: a sentence is always far below it
MAXIMUM = {"sentence-chars": 100_000}
#: below this a document's check crawls more than it fails (an allocator near its ceiling)
MINIMUM = {"worker-mb": 100}
#: the configuration keys (``[limits]`` table, ``--limit KEY=N``)
KEYS = tuple(f.name.replace("_", "-") for f in fields(Limits))
#: the JSON Schema of the ``[limits]`` table
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {key: {"type": "integer", "minimum": MINIMUM.get(key, 1),
                         "maximum": MAXIMUM.get(key, 1 << 40)}
                   for key in KEYS},
    "additionalProperties": False,
}


def key_of(name: str) -> str:
    """The configuration key of a field: ``file_mb`` -> ``file-mb``."""
    return name.replace("_", "-")


def parse_option(item: str) -> tuple[str, int]:
    """``--limit KEY=N`` -> ``(key, n)``, or ValueError saying what is wrong."""
    key, sep, value = item.partition("=")
    key = key.strip()
    if not sep:
        raise ValueError(f"--limit takes KEY=N, not '{item}'")
    if key not in KEYS:
        raise ValueError(f"--limit: unknown limit '{key}' (one of {', '.join(KEYS)})")
    try:
        n = int(value.strip())
    except ValueError:
        raise ValueError(f"--limit {key}: '{value.strip()}' is not a whole number") from None
    low, high = MINIMUM.get(key, 1), MAXIMUM.get(key, 1 << 40)
    if not low <= n <= high:
        raise ValueError(f"--limit {key}: must be from {low} to {high}")
    return key, n


def over(what: str, key: str, path: str | None = None) -> LimitExceeded:
    """The error for something over a limit: names it and says how to raise it."""
    return LimitExceeded(f"{what} (the {key} limit; raise it with --limit {key}=N or "
                         f"[limits] {key} in the configuration)", path)


_budget = threading.local()


@contextmanager
def time_budget(seconds: int, started: float | None = None) -> Iterator[None]:
    """Work on one document in this thread may take ``seconds`` from now (or from
    ``started``, a ``time.monotonic()``: a document checked in steps); :func:`check_time`,
    called between steps (each sentence parsed), raises once that is spent."""
    previous = getattr(_budget, "deadline", None)
    _budget.deadline = ((time.monotonic() if started is None else started) + seconds, seconds)
    try:
        yield
    finally:
        _budget.deadline = previous


def line_chunks(text: str, size: int = 20_000) -> Iterator[tuple[int, int]]:
    """``(start, end)`` pieces of ``text`` of about ``size`` characters, each ending at a
    line break where there is one; the time budget is checked before each piece, so a
    slow scan over a huge text stops when the document's time is spent."""
    start, n = 0, len(text)
    while start < n:
        check_time()
        end = min(n, start + size)
        if end < n:  # after the next line break, else after the last space, else here
            cut = text.find("\n", end, end + size)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            end = cut + 1 if cut >= 0 else end
        yield start, end
        start = end


def check_time() -> None:
    """Raise :class:`LimitExceeded` if this thread's document has had its time."""
    deadline = getattr(_budget, "deadline", None)
    if deadline is not None and time.monotonic() > deadline[0]:
        raise over(f"took more than {deadline[1]} seconds to check", "seconds")
