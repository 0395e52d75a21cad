"""Latency and throughput of ``sba-lint serve``, next to a one-shot CLI process.  Prints
numbers; asserts nothing.  Everything stays on 127.0.0.1 and every loop is bounded.

    python bench/serve_bench.py [--requests 200] [--load 400] [--clients 4] [--workers 2]

Measures:
- the first request after the service says it is up (rules and parser warmed at start);
- warm p50/p95 of POST /v1/check for a clean sentence (no parser), a sentence that needs
  the parser, a 300-word paragraph and a 2,000-word note (invented case-note text from
  bench/corpus.py, about one sentence in five flagged), one client, one worker;
- a bounded load test: ``--load`` requests of the 300-word paragraph from ``--clients``
  threads against ``--workers`` worker processes; throughput and latency;
- ``sba-lint check --format json`` as a new process per document, for comparison.
"""

from __future__ import annotations

import argparse
import http.client
import json
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


def latency(port: int, text: str, n: int) -> tuple[float, float]:
    client = Client(port)
    for _ in range(3):
        client.check(text)
    times = [client.check(text) for _ in range(n)]
    return statistics.median(times), pct(times, 95)


def load(port: int, text: str, total: int, clients: int) -> tuple[float, float, float]:
    times: list[float] = []
    lock = threading.Lock()
    share = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]

    def run(k: int) -> None:
        client = Client(port)
        mine = [client.check(text) for _ in range(k)]
        with lock:
            times.extend(mine)

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
    paragraph, note = words(300, 1), words(2000, 2)
    print(f"texts: clean sentence {len(CLEAN.split())} words, parser sentence {len(PARSED.split())} "
          f"words, paragraph {len(paragraph.split())} words, note {len(note.split())} words")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        with serve(tmp, "--workers", "1") as s:
            port = int(s.url.rsplit(":", 1)[1].strip("/"))
            up = time.perf_counter() - started
            first = Client(port).check(PARSED)
            print(f"\none worker: up (rules and parser warmed) in {up:.1f} s; first request {ms(first)}")
            print(f"{'':26}{'p50':>10}{'p95':>10}   ({args.requests} requests, one client)")
            for name, text in (("clean sentence", CLEAN), ("parser sentence", PARSED),
                               ("300-word paragraph", paragraph), ("2,000-word note", note)):
                p50, p95 = latency(port, text, args.requests if len(text) < 5000 else args.requests // 4)
                print(f"{name:26}{ms(p50)}{ms(p95)}")
        with serve(tmp, "--workers", str(args.workers)) as s:
            port = int(s.url.rsplit(":", 1)[1].strip("/"))
            for _ in range(args.workers * 4):
                Client(port).check(paragraph)  # a first request on every worker
            rate, p50, p95 = load(port, paragraph, args.load, args.clients)
            print(f"\nload: {args.load} x 300-word paragraph, {args.clients} clients, {args.workers} "
                  f"workers: {rate:.0f} requests/s ({rate * 300:,.0f} words/s), p50 {ms(p50).strip()}, "
                  f"p95 {ms(p95).strip()}")
        print("\none-shot CLI process (sba-lint check --format json), median of 3:")
        for name, text in (("clean sentence", CLEAN), ("parser sentence", PARSED)):
            print(f"{name:26}{one_shot(text, tmp):6.2f} s")


if __name__ == "__main__":
    main()
