"""Speed and memory figures for sba-lint.  Prints numbers; asserts nothing.

    python bench/bench.py [--words 100000] [--files 1000]

Measures, in one process on the same generated case notes:
- sba-lint's full check (findings + statistics) of one 100,000-word text;
- the same without statistics (textstat's share);
- spaCy's tokenizer alone, and spaCy's full pipeline on a slice, for comparison;
- 1,000 small files checked one after another from disk;
- annotate and fix (comments, tracked changes) on a 10-page Word case note;
- peak memory.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

import corpus  # noqa: I001  (bench/corpus.py, beside this file)

from sba_lint.analysis import nlp
from sba_lint.config import Config
from sba_lint.linter import Linter

CLEAN = [
    "I visited {name} at home on {day} afternoon.",
    "{name} showed me the garden and talked about school.",
    "{name} said that things have been calmer since the new routine started.",
    "We agreed to meet again in two weeks at the family centre.",
    "The school reports that {name} is making good progress in reading.",
    "{name} has kept every appointment with the health visitor since March.",
    "Gran collects the children from school on Tuesdays and Thursdays.",
    "{name} enjoys football and is proud of the team's recent win.",
    "The kitchen was tidy and there was food in the fridge.",
    "We talked about what would help in the mornings before school.",
    "{name} would like more time to see friends at the weekend.",
    "I explained the plan and asked what {name} thought about it.",
    "The health visitor will call on {day} to check the baby's weight.",
    "{name} said the new bedroom feels safe and quiet.",
    "We discussed the support available from the housing team.",
]
# the first flagged sentences, names and days of the audit corpus: the speed figures have
# always been measured on these
FLAGGED = corpus.FLAGGED[:8]
NAMES = corpus.NAMES[:8]
DAYS = corpus.DAYS


def case_notes(words: int, seed: int = 7, flagged_share: float = 0.08) -> str:
    rng = random.Random(seed)
    paras = corpus.note_text(rng, words, flagged_share, CLEAN, FLAGGED, NAMES, DAYS)
    return "\n\n".join(paras) + "\n"


def timed(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--files", type=int, default=1_000)
    ap.add_argument("--file-words", type=int, default=120)
    a = ap.parse_args()

    t = time.perf_counter()
    linter = Linter()
    rules_s = time.perf_counter() - t
    t = time.perf_counter()
    nlp.load()
    model_s = time.perf_counter() - t
    linter.check_text("Warm up: Mum refused to sign. Lola has contact with Dad.")

    text = case_notes(a.words)
    n = len(text.split())
    result = linter.check_text(text)
    print(f"text: {n:,} words, {len(result.findings):,} findings "
          f"({sum(1 for f in result.findings if f.rule.startswith('jargon.contact'))} on 'contact')")
    print(f"start-up: rules {rules_s:.2f} s, spaCy model {model_s:.2f} s (once per process)")

    full = timed(lambda: linter.check_text(text))
    bare = Linter(Config(), with_stats=False)
    no_stats = timed(lambda: bare.check_text(text))
    tok = timed(lambda: nlp.tokenizer_only(text))
    slice_words = 5_000
    piece = " ".join(text.split()[:slice_words])
    pipe = timed(lambda: nlp.load()(piece), repeat=1)
    print(f"sba-lint check (with statistics)   {n / full:>10,.0f} words/s  ({full:.2f} s)")
    print(f"sba-lint check (no statistics)     {n / no_stats:>10,.0f} words/s  ({no_stats:.2f} s)")
    print(f"spaCy tokenizer alone              {n / tok:>10,.0f} words/s  ({tok:.2f} s)")
    print(f"spaCy full pipeline ({slice_words:,} words)    {slice_words / pipe:>10,.0f} words/s")

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i in range(a.files):
            p = Path(tmp) / f"note_{i:04d}.txt"
            p.write_text(case_notes(a.file_words, seed=i), encoding="utf-8")
            paths.append(p)
        total_words = sum(len(p.read_text().split()) for p in paths)
        t = time.perf_counter()
        found = sum(len(linter.check_file(p).findings) for p in paths)
        many = time.perf_counter() - t
    print(f"{a.files:,} small files ({total_words:,} words, {found:,} findings): "
          f"{a.files / many:,.0f} files/s, {total_words / many:,.0f} words/s ({many:.2f} s)")
    word_figures(linter)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MiB")


def word_figures(linter: Linter) -> None:
    """Check, annotate and fix a 10-page .docx (the test suite's realistic case note)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from docx_builder import realistic_case_note

    from sba_lint.fixes import plan
    from sba_lint.fixes import word as word_fixes
    from sba_lint.reporters.word import annotate
    from sba_lint.source.docx_edit import WordEditor

    with tempfile.TemporaryDirectory() as tmp:
        data = realistic_case_note(Path(tmp) / "note.docx").read_bytes()
    t = time.perf_counter()
    result = linter.check_bytes(data, path="note.docx")
    check_s = time.perf_counter() - t
    t = time.perf_counter()
    editor = WordEditor(data, result.document)
    annotate(editor, result)
    editor.tobytes()
    annotate_s = time.perf_counter() - t
    t = time.perf_counter()
    editor = WordEditor(data, result.document)
    word_fixes.apply(editor, result, plan(result))
    editor.tobytes()
    fix_s = time.perf_counter() - t
    print(f"10-page .docx ({result.stats['words']:,} words, {len(result.findings)} findings): "
          f"check {check_s:.2f} s, annotate {annotate_s:.2f} s, fix {fix_s:.2f} s")


if __name__ == "__main__":
    main()
