"""Latency and throughput of ``sba-lint serve``, next to a one-shot CLI process.  Prints
numbers; asserts nothing.  Everything stays on 127.0.0.1 and every loop is bounded.

    python bench/serve_bench.py [--requests 200] [--load 400] [--clients 4] [--workers 2]

Measures:
- the first request after the service says it is up (rules and parser warmed at start);
- warm p50/p95 of POST /v1/check for a clean sentence (no parser), a sentence that needs
  the parser, a 300-word paragraph and a 2,000-word note (invented case-note text from
  bench/corpus.py, about one sentence in five flagged), one client, one worker.  Each
  request sends a text of its own (another name, day and time; another seed) to a
  service whose parse cache is off (SBA_LINT_PARSE_CACHE=0): the generated texts share
  many sentences, which a real service would rarely see again, so these are first
  checks; and the same 2,000-word note sent again and again to a service that keeps a
  parse cache (SBA_LINT_PARSE_CACHE=512, opt-in: by default a service keeps nothing after
  its response), as a draft checked after each edit would be;
- a bounded load test: ``--load`` requests of 300-word paragraphs (each its own) from
  ``--clients`` threads against ``--workers`` worker processes, parse cache off;
  throughput and latency;
- ``sba-lint check --format json`` as a new process per document, for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import corpus  # noqa: I001  (bench/corpus.py, beside this file)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from serving import serve  # noqa: E402  (tests/serving.py: the service as a user starts it)

CLEAN = "Tom loves cooking and made dinner for his sister on Tuesday."
PARSED = "Mum refused to sign the plan when we met on Tuesday."


def words(n: int, seed: int) -> str:
    return "\n".join(corpus.note_text(random.Random(seed), n, 0.2))


def parsed(k: int) -> str:
    """The sentence that needs the parser, its own for each ``k`` (name, day, time)."""
    name = corpus.NAMES[k % len(corpus.NAMES)]
    day = corpus.DAYS[k // len(corpus.NAMES) % len(corpus.DAYS)]
    return f"{name} refused to sign the plan when we met on {day} at {k % 12 + 1}.{k % 60:02d}."


class Client:
    """One keep-alive connection to the service."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def check(self, text: str) -> float:
        body = json.dumps({"text": text})
        start = time.perf_counter()
        self.conn.request("POST", "/v1/check", body, {"Content-Type": "application/json"})
        response = self.conn.getresponse()
        response.read()
        took = time.perf_counter() - start
        if response.status != 200:
            raise RuntimeError(f"status {response.status}")
        return took


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def latency(port: int, texts: list[str]) -> tuple[float, float]:
    """p50 and p95 of the texts sent in turn (three warm-up requests first)."""
    client = Client(port)
    for text in texts[:3]:
        client.check(text)
    times = [client.check(text) for text in texts[3:]]
    return statistics.median(times), pct(times, 95)


def load(port: int, texts: list[str], clients: int) -> tuple[float, float, float]:
    times: list[float] = []
    lock = threading.Lock()
    total = len(texts)
    share = [texts[i::clients] for i in range(clients)]

    def run(mine: list[str]) -> None:
        client = Client(port)
        took = [client.check(text) for text in mine]
        with lock:
            times.extend(took)

    threads = [threading.Thread(target=run, args=(k,)) for k in share]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    return total / wall, statistics.median(times), pct(times, 95)


def one_shot(text: str, tmp: Path, runs: int = 3) -> float:
    path = tmp / "note.txt"
    path.write_text(text, encoding="utf-8")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sba_lint", "check", "--format", "json", "--exit-zero",
                        str(path)], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=200, help="requests per latency figure")
    ap.add_argument("--load", type=int, default=400, help="requests in the load test")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    n = args.requests + 3
    paragraphs = [words(300, 1000 + k) for k in range(max(n, args.load + args.workers * 4))]
    notes = [words(2000, 5000 + k) for k in range(args.requests // 4 + 3)]
    note = notes[0]
    print(f"texts: clean sentence {len(CLEAN.split())} words, parser sentence {len(parsed(0).split())} "
          f"words, paragraphs {statistics.mean(len(p.split()) for p in paragraphs):.0f} words, "
          f"notes {statistics.mean(len(t.split()) for t in notes):,.0f} words (each request its own)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        os.environ["SBA_LINT_PARSE_CACHE"] = "0"  # first checks (the services inherit it)
        with serve(tmp, "--workers", "1") as s:
            port = int(s.url.rsplit(":", 1)[1].strip("/"))
            up = time.perf_counter() - started
            first = Client(port).check(PARSED)
            print(f"\none worker: up (rules and parser warmed) in {up:.1f} s; first request {ms(first)}")
            print(f"{'':26}{'p50':>10}{'p95':>10}   ({args.requests} requests, one client)")
            for name, texts in (("clean sentence", [CLEAN] * n),
                                ("parser sentence", [parsed(k) for k in range(1, n + 1)]),
                                ("300-word paragraph", paragraphs[:n]), ("2,000-word note", notes)):
                p50, p95 = latency(port, texts)
                print(f"{name:26}{ms(p50)}{ms(p95)}")
        with serve(tmp, "--workers", str(args.workers)) as s:
            port = int(s.url.rsplit(":", 1)[1].strip("/"))
            for text in paragraphs[:args.workers * 4]:
                Client(port).check(text)  # a first request on every worker
            rate, p50, p95 = load(port, paragraphs[args.workers * 4:][:args.load], args.clients)
            print(f"\nload: {args.load} x 300-word paragraph, {args.clients} clients, {args.workers} "
                  f"workers: {rate:.0f} requests/s ({rate * 300:,.0f} words/s), p50 {ms(p50).strip()}, "
                  f"p95 {ms(p95).strip()}")
        os.environ["SBA_LINT_PARSE_CACHE"] = "512"  # opt-in: a draft checked after each edit
        with serve(tmp, "--workers", "1") as s:
            p50, p95 = latency(int(s.url.rsplit(":", 1)[1].strip("/")), [note] * len(notes))
            print(f"\n{'the same note again':26}{ms(p50)}{ms(p95)}   (a draft checked after each "
                  "edit: its sentences in the parse cache, SBA_LINT_PARSE_CACHE=512)")
        print("\none-shot CLI process (sba-lint check --format json), median of 3:")
        for name, text in (("clean sentence", CLEAN), ("parser sentence", PARSED)):
            print(f"{name:26}{one_shot(text, tmp):6.2f} s")


if __name__ == "__main__":
    main()
