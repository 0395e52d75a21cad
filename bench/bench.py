"""Speed and memory figures for sba-lint.  Prints numbers; asserts nothing.

    python bench/bench.py [--words 100000] [--files 1000] [--only startup,scaling,...]

Measures, on the same generated case notes:
- start-up: whole ``sba-lint check`` processes (medians of --runs) on a clean sentence, a
  clean page and a sentence that needs the parser, beside the floors: Python itself and
  spaCy with its model (``import spacy; spacy.load('en_core_web_sm', exclude=['ner'])``);
- in one process: sba-lint's full check (findings + statistics) of one 100,000-word text;
  the same without statistics (the readability share); the same text checked again (its
  sentences in the parse cache, which is opt-in: SBA_LINT_PARSE_CACHE=512); every distinct
  sentence of the test data as one document
  (text the generator does not repeat, dense with findings); spaCy's tokenizer alone, and
  spaCy's full pipeline on a slice, for comparison.  The parse cache is emptied before
  every other timed run: they are first checks;
- 1,000 small files from disk, one by one and together (as ``sba-lint check`` reads a
  folder), and small files made of the distinct test sentences; parse cache off;
- annotate and fix (comments, tracked changes) on a 10-page Word case note;
- scaling: building a Linter and checking 10k, 100k and 1M words with the bundled rules
  and with a house pack of +1,000 and +5,000 rules, and the same texts with an inline
  suppression comment before every paragraph (each row should grow tenfold, no more);
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


def distinct_sentences() -> list[str]:
    """Every distinct text of the test data (tests/data/**/*.jsonl): case-note sentences
    written by hand, nearly all of them flagged, none repeated."""
    import json

    texts = []
    for path in sorted((Path(__file__).resolve().parent.parent / "tests" / "data").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    return list(dict.fromkeys(texts))


def timed(fn, repeat: int = 3, fresh: bool = True) -> float:
    """The best of ``repeat`` runs; with ``fresh``, each a first check (parse cache emptied)."""
    best = float("inf")
    for _ in range(repeat):
        if fresh:
            nlp.clear_cache()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


SECTIONS = ("startup", "throughput", "files", "word", "scaling")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--files", type=int, default=1_000)
    ap.add_argument("--file-words", type=int, default=120)
    ap.add_argument("--runs", type=int, default=5, help="processes per start-up figure (median)")
    ap.add_argument("--scaling-words", default="10000,100000,1000000",
                    help="text sizes of the scaling table")
    ap.add_argument("--only", default=",".join(SECTIONS),
                    help=f"comma-separated sections: {', '.join(SECTIONS)}")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if "startup" in only:
        startup_figures(a.runs)

    t = time.perf_counter()
    linter = Linter()
    rules_s = time.perf_counter() - t
    t = time.perf_counter()
    nlp.load()
    model_s = time.perf_counter() - t
    linter.check_text("Warm up: Mum refused to sign. Lola has contact with Dad.")
    print(f"in one process: rules {rules_s:.2f} s, spaCy model {model_s:.2f} s (once per process)")

    if "throughput" in only:
        text = case_notes(a.words)
        n = len(text.split())
        result = linter.check_text(text)
        print(f"text: {n:,} words, {len(result.findings):,} findings "
              f"({sum(1 for f in result.findings if f.rule.startswith('jargon.contact'))} on 'contact')")
        full = timed(lambda: linter.check_text(text))
        bare = Linter(Config(), with_stats=False)
        no_stats = timed(lambda: bare.check_text(text))
        default, nlp.CACHE_SIZE = nlp.CACHE_SIZE, 512  # opt-in (SBA_LINT_PARSE_CACHE=512)
        linter.check_text(text)  # fills the cache
        again = timed(lambda: linter.check_text(text), fresh=False)
        nlp.CACHE_SIZE = default
        nlp.clear_cache()
        dense = "\n\n".join(distinct_sentences())
        dense_n = len(dense.split())
        dense_s = timed(lambda: linter.check_text(dense))
        tok = timed(lambda: nlp.tokenizer_only(text))
        slice_words = 5_000
        piece = " ".join(text.split()[:slice_words])
        pipe = timed(lambda: nlp.load()(piece), repeat=1)
        print(f"sba-lint check (with statistics)   {n / full:>10,.0f} words/s  ({full:.2f} s)")
        print(f"sba-lint check (no statistics)     {n / no_stats:>10,.0f} words/s  ({no_stats:.2f} s)")
        print(f"the same text checked again        {n / again:>10,.0f} words/s  ({again:.2f} s; "
              "its sentences in the parse cache, SBA_LINT_PARSE_CACHE=512)")
        print(f"distinct sentences, one document   {dense_n / dense_s:>10,.0f} words/s  ({dense_s:.2f} s; "
              f"{dense_n:,} words, every test sentence once)")
        print(f"spaCy tokenizer alone              {n / tok:>10,.0f} words/s  ({tok:.2f} s)")
        print(f"spaCy full pipeline ({slice_words:,} words)    {slice_words / pipe:>10,.0f} words/s")

    if "files" in only:
        files_figures(linter, a.files, a.file_words)
    if "word" in only:
        word_figures(linter)
    if "scaling" in only:
        scaling_figures([int(w) for w in a.scaling_words.split(",")])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MiB")


def files_figures(linter: Linter, files: int, file_words: int) -> None:
    """Small files from disk: one by one (Linter.check_file) and together, as ``sba-lint
    check`` reads a folder (Workspace.run: a few files' sentences parsed in one batch);
    the generated notes, whose sentences repeat from file to file, and files made of the
    distinct test sentences.  Parse cache off: each file a first check (in real folders
    few sentences recur from file to file; the generated ones would all be cached)."""
    from sba_lint.workspace import Workspace

    cache, nlp.CACHE_SIZE = nlp.CACHE_SIZE, 0

    made = [case_notes(file_words, seed=i) for i in range(files)]
    distinct, part = [], []
    for s in distinct_sentences():
        part.append(s)
        if sum(len(p.split()) for p in part) >= file_words:
            distinct.append("\n\n".join(part) + "\n")
            part = []
    for label, texts in ((f"{files:,} small files", made),
                         (f"{len(distinct):,} small files of distinct sentences", distinct)):
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for i, body in enumerate(texts):
                p = Path(tmp) / f"note_{i:04d}.txt"
                p.write_text(body, encoding="utf-8")
                paths.append(p)
            words = sum(len(body.split()) for body in texts)
            nlp.clear_cache()
            t = time.perf_counter()
            found = sum(len(linter.check_file(p).findings) for p in paths)
            alone = time.perf_counter() - t
            nlp.clear_cache()
            ws = Workspace(with_stats=True)
            t = time.perf_counter()
            together = sum(len(c.result.findings) for c in ws.run(ws.targets([tmp])))
            both = time.perf_counter() - t
        assert together == found
        print(f"{label} ({words:,} words, {found:,} findings):")
        for how, secs in (("one by one", alone), ("together (sba-lint check)", both)):
            print(f"  {how:<27}{len(texts) / secs:>7,.0f} files/s {words / secs:>9,.0f} words/s "
                  f"({secs:.2f} s)")
    nlp.CACHE_SIZE = cache


def _process_seconds(args: list[str], runs: int, cwd: str | None = None) -> float:
    """Median wall time of ``runs`` whole processes (output discarded; a process that
    fails stops the benchmark: its time would measure nothing)."""
    import statistics
    import subprocess

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def startup_figures(runs: int) -> None:
    """Whole processes: sba-lint on a clean sentence, a clean page and a sentence that
    needs the parser, beside Python's own start-up and the spaCy floor."""
    import sys

    page = " ".join(s.format(name="Sam", day="Monday") for s in CLEAN * 3)
    inputs = {
        "a clean sentence": "I visited Sam at home on Monday afternoon.\n",
        f"a clean page ({len(page.split())} words)": page + "\n",
        "a sentence that needs the parser": "Lola has contact with Dad on Monday.\n",
    }
    import importlib.util

    from sba_lint.resources import rules_dir
    from sba_lint.rules.compiled import NAME

    py = sys.executable
    model = next((m for m in nlp.MODEL_NAMES if importlib.util.find_spec(m)), nlp.MODEL_NAMES[0])
    floor = f"import spacy; spacy.load('{model}', exclude=['ner'])"
    packs = ("compiled (a built install)" if (rules_dir() / NAME).is_file() else
             "parsed from YAML (a source checkout: run 'sba-lint rules compile' for a built install's start)")
    print(f"start-up (whole processes, median of {runs}; bundled packs {packs}):")
    bare = _process_seconds([py, "-c", "pass"], runs)
    print(f"  {'python -c pass':<46}{bare:6.2f} s")
    print(f"  spaCy floor ({floor})")
    spacy_s = _process_seconds([py, "-c", floor], runs)
    print(f"  {'':44}{spacy_s:6.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for label, text in inputs.items():
            path = Path(tmp) / "note.txt"
            path.write_text(text, encoding="utf-8")
            s = _process_seconds([py, "-m", "sba_lint", "check", "--exit-zero", str(path)], runs, tmp)
            print(f"  sba-lint check, {label:<30}{s:6.2f} s  ({s / spacy_s:.2f}x the spaCy floor)")


def house_pack(folder: Path, rules: int) -> Path:
    """A user's house pack of ``rules`` phrase rules (made-up words, none in the notes)."""
    lines = ["pack: house", "category: house-style", "rules:"]
    for i in range(rules):
        lines += [f"  - id: r{i:05d}", "    kind: phrase",
                  f"    phrases: [housephrase{i} word, other housephrase{i}]",
                  "    message: A house rule.", f"    suggestions: [house wording {i}]",
                  f"    examples: {{flag: [The housephrase{i} word here.]}}"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "house.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def with_directives(text: str) -> str:
    """The text with an inline suppression comment before every paragraph."""
    paras = text.split("\n\n")
    return "\n\n".join(f"<!-- sba-lint: disable-next-line=jargon.contact -->\n{p}" for p in paras)


def scaling_figures(sizes: list[int]) -> None:
    """Seconds to build a Linter and to check texts of each size, with the bundled rules
    and with a house pack of +1,000 and +5,000 rules; and the texts with a suppression
    comment before every paragraph.  Linear code grows tenfold from column to column."""
    texts = {n: case_notes(n) for n in sizes}
    heads = "".join(f"{f'{n:,} words':>16}" for n in sizes)
    print(f"scaling (seconds; check_text in one warm process):\n  {'rules':<28}{'Linter()':>10}{heads}")
    bundled = len(Linter().rules)
    with tempfile.TemporaryDirectory() as tmp:
        for extra in (0, 1_000, 5_000):
            folders = (house_pack(Path(tmp) / f"house{extra}", extra),) if extra else ()
            t = time.perf_counter()
            linter = Linter(Config(rules=folders))
            build = time.perf_counter() - t
            cells = "".join(f"{timed(lambda x=text, li=linter: li.check_text(x), repeat=1):>16.2f}"
                            for text in texts.values())
            label = f"bundled ({bundled})" + (f" + {extra:,}" if extra else "")
            print(f"  {label:<28}{build:>10.2f}{cells}")
        linter = Linter()
        marked = [with_directives(text) for text in texts.values()]
        cells = "".join(f"{timed(lambda x=text: linter.check_text(x), repeat=1):>16.2f}"
                        for text in marked)
        print(f"  {'bundled, a directive per ¶':<28}{'':>10}{cells}")


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
