"""Documents checked together (their sentences parsed in one batch) give exactly the
results they give checked one by one."""

from __future__ import annotations

import json
from pathlib import Path

from sba_lint.analysis import nlp
from sba_lint.config import Config
from sba_lint.linter import Linter
from sba_lint.reporters.json import document
from sba_lint.source import read_bytes

DATA = Path(__file__).parent / "data"


def _texts(n: int) -> list[str]:
    texts = ["Tom loves cooking and made dinner for his sister.", "Hello.", "Mum refused to sign.\n" * 3]
    for line in (DATA / "judgement.jsonl").read_text(encoding="utf-8").splitlines()[:n]:
        texts.append(json.loads(line)["text"])
    return texts


def _docs(linter: Linter, texts: list[str]):
    return [read_bytes(t.encode(), f"t{i}.txt", "txt", linter.limits) for i, t in enumerate(texts)]


def _report(result) -> dict:
    return document([result.detached()])


def test_together_equals_one_by_one():
    linter = Linter(Config(profile="case-note"), explain=True)
    docs = _docs(linter, _texts(60))
    alone = [_report(linter.check_document(d)) for d in docs]
    together = [_report(r) for r in linter.check_documents(docs)]
    assert together == alone
    assert sum(len(r["files"][0]["findings"]) for r in together) >= 30


def test_check_files_in_order_with_unreadable_and_large_files(tmp_path, monkeypatch):
    linter = Linter()
    monkeypatch.setattr(linter, "together", 3)
    texts = _texts(8)
    texts[1] = ""  # unreadable: there is no text
    paths: list[tuple[Path, str | None]] = []
    for i, t in enumerate(texts):
        p = tmp_path / f"n{i:02d}.txt"
        p.write_text(t, encoding="utf-8")
        paths.append((p, None))
    paths.insert(4, (tmp_path / "missing.txt", "shown-missing.txt"))
    big = tmp_path / "big.txt"
    big.write_text("Mum failed to engage. " * 3000, encoding="utf-8")  # checked on its own
    paths.insert(7, (big, None))
    got = list(linter.check_files(paths))
    want = [linter.check_file(p, shown=s) for p, s in paths]
    assert [r.path for r in got] == [r.path for r in want]
    assert [_report(r) for r in got] == [_report(r) for r in want]
    assert got[1].error and got[4].error and got[4].path == "shown-missing.txt"
    assert len(got[7].findings) == 3000


def test_each_document_keeps_its_own_time_budget(monkeypatch):
    import sba_lint.linter as linter_module

    linter = Linter()
    docs = _docs(linter, _texts(4))
    real = linter_module.time.monotonic
    starts = iter([0, 0, -10_000, 0, 0, 0, 0])  # the third document began long ago

    class Clock:
        @staticmethod
        def monotonic() -> float:
            return real() + next(starts, 0)

    monkeypatch.setattr(linter_module, "time", Clock)
    results = linter.check_documents(docs)
    assert results[2].error and "seconds limit" in results[2].error
    assert [r.error for k, r in enumerate(results) if k != 2] == [None] * (len(docs) - 1)


def test_a_shared_batch_out_of_memory_falls_back_to_one_by_one(monkeypatch):
    linter = Linter()
    docs = _docs(linter, _texts(10))
    alone = [_report(linter.check_document(d)) for d in docs]
    real = nlp.parse
    calls = []

    def parse(texts):
        calls.append(texts)
        if len(calls) == 1:
            raise MemoryError
        return real(texts)

    monkeypatch.setattr(nlp, "parse", parse)
    assert [_report(r) for r in linter.check_documents(docs)] == alone
    assert len(calls) > 1
