"""Throughput and memory of ``sba-lint audit`` on the realistic corpus (bench/corpus.py).

    python bench/audit_bench.py [--files 1000] [--jobs 1 2] [--corpus DIR]

For each --jobs value: a fresh audit (nothing to resume) of the same corpus, timed from
start to the last output written, run as ``sba-lint audit`` in its own process; files/s and
words/s count the files it read (checked or unreadable); peak memory is the largest
resident size of the audit's process or any one worker (GNU time's %M over the process
tree).  Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus  # noqa: I001  (bench/corpus.py, beside this file)


def measure(folder: Path, jobs: int) -> dict[str, float]:
    out = Path(tempfile.mkdtemp(prefix="sba-audit-bench-"))
    try:
        command = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "sba_lint", "audit",
                   str(folder), "--out", str(out / "a"), "--jobs", str(jobs), "--no-progress"]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        peak_kib = int(done.stderr.strip().splitlines()[-1])
        summary = json.loads((out / "a" / "summary.json").read_text())
    finally:
        shutil.rmtree(out, ignore_errors=True)
    files = summary["checked"] + summary["unreadable"]
    return {"jobs": jobs, "seconds": seconds, "files": files, "words": summary["words"],
            "files_s": files / seconds, "words_s": summary["words"] / seconds,
            "peak_mib": peak_kib / 1024, "findings": summary["summary"]["findings"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--corpus", type=Path, help="use (or make) the corpus in this folder")
    a = ap.parse_args()
    folder = a.corpus or Path(tempfile.mkdtemp(prefix="sba-corpus-"))
    if not any(folder.iterdir()) if folder.exists() else True:
        folder.mkdir(parents=True, exist_ok=True)
        kinds = corpus.build(folder, a.files)
        print("corpus:", ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    base = None
    for jobs in a.jobs:
        m = measure(folder, jobs)
        base = base or m["files_s"]
        print(f"--jobs {jobs}: {m['files']:,} files, {m['words']:,} words, {m['findings']:,} findings "
              f"in {m['seconds']:.1f} s: {m['files_s']:.1f} files/s, {m['words_s']:,.0f} words/s "
              f"({m['files_s'] / base:.2f}x), peak memory {m['peak_mib']:,.0f} MiB")
    if not a.corpus:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
