"""Progress on standard error: a bar (tqdm) on a terminal, else a plain line every few
seconds, so a log of an unattended run shows it is moving."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

PLAIN_EVERY = 5.0  # seconds between plain lines


class Progress:
    def __init__(self, total: int, stream: TextIO | None = None, bar: bool | None = None,
                 every: float = PLAIN_EVERY):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = self.words = 0
        self.start = self.last = time.monotonic()
        self.every = every
        self.bar: Any = None
        if bar if bar is not None else _isatty(self.stream):
            import tqdm

            tqdm.tqdm.monitor_interval = 0  # no monitor thread (workers are forked)
            self.bar = tqdm.tqdm(total=total, unit="file", file=self.stream, dynamic_ncols=True,
                                 desc="audit", smoothing=0.1)

    def update(self, words: int) -> None:
        self.done += 1
        self.words += words
        now = time.monotonic()
        if self.bar is not None:
            self.bar.update(1)
            if now - self.last >= 0.5:
                self.bar.set_postfix_str(f"{self.words / max(now - self.start, 1e-6):,.0f} words/s",
                                         refresh=False)
                self.last = now
        elif now - self.last >= self.every:
            self.last = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float) -> str:
        elapsed = max(now - self.start, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        pct = 100 * self.done / self.total if self.total else 100
        return (f"sba-lint audit: {self.done:,}/{self.total:,} files ({pct:.0f}%), "
                f"{rate:,.1f} files/s, {self.words / elapsed:,.0f} words/s, "
                f"about {_clock(left)} left")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _clock(seconds: float) -> str:
    s = int(seconds + 0.5)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
