"""Speed and memory figures for sba-lint.  Prints numbers; asserts nothing.

    python bench/bench.py [--words 100000] [--files 1000] [--only startup,scaling,...]

Measures, on the same generated case notes:
- start-up: whole ``sba-lint check`` processes (medians of --runs) on a clean sentence, a
  clean page and a sentence that needs the parser, beside the floors: Python itself and
  spaCy with its model (``import spacy; spacy.load('en_core_web_sm', exclude=['ner'])``);
- beside the peers: sba-lint, proselint, alex and write-good (bench/peers.py: installed
  here, at bench time, into --peers-cache; one left out with a note where it cannot be)
  as whole processes on the 100,000-word text, 1,000 files of ~150 words and a clean
  sentence, medians of 3, words/s net of each tool's own start-up;
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
import os
import random
import resource
import statistics
import subprocess
import sys
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


SECTIONS = ("startup", "peers", "throughput", "files", "word", "scaling")


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
    ap.add_argument("--peer-files", type=int, default=1_000, help="small files beside the peers")
    ap.add_argument("--peer-file-words", type=int, default=150)
    ap.add_argument("--peer-runs", type=int, default=3, help="processes per figure beside the peers")
    ap.add_argument("--peers-cache", type=Path, default=None,
                    help="where the peers are installed (default ~/.cache/sba-lint-bench)")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if "startup" in only:
        startup_figures(a.runs)
    if "peers" in only:
        peer_figures(a.words, a.peer_files, a.peer_file_words, a.peer_runs, a.peers_cache)
    if not only & {"throughput", "files", "word", "scaling"}:
        return

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


#: the environment of the processes timed: Python may keep the bytecode it compiles (as an
#: installed package's is kept), whatever PYTHONDONTWRITEBYTECODE says here
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _one_process(args: list[str], cwd: str | None = None, check: bool = True) -> float | None:
    """Wall time of one whole process (output discarded).  With ``check`` a process that
    fails stops the benchmark: its time would measure nothing; without it (a peer, whose
    exit code counts its findings) a process ended by a signal or not started gives None."""
    t = time.perf_counter()
    try:
        done = subprocess.run(args, cwd=cwd, env=_ENV, stdout=subprocess.DEVNULL,
                              stderr=None if check else subprocess.DEVNULL, check=check)
    except OSError:
        if check:
            raise
        return None
    seconds = time.perf_counter() - t
    return None if done.returncode < 0 else seconds


def _process_seconds(args: list[str], runs: int, cwd: str | None = None) -> float:
    """Median wall time of ``runs`` whole processes (:func:`_one_process`)."""
    return statistics.median(_one_process(args, cwd) for _ in range(runs))  # type: ignore[type-var]


def startup_figures(runs: int) -> None:
    """Whole processes: sba-lint on a clean sentence, a clean page and a sentence that
    needs the parser, beside Python's own start-up and the spaCy floor."""
    page = " ".join(s.format(name="Sam", day="Monday") for s in CLEAN * 3)
    inputs = {
        "a clean sentence": CLEAN_SENTENCE,
        f"a clean page ({len(page.split())} words)": page + "\n",
        "a sentence that needs the parser": PARSER_SENTENCE,
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


CLEAN_SENTENCE = "I visited Sam at home on Monday afternoon.\n"
PARSER_SENTENCE = "Lola has contact with Dad on Monday.\n"


def sba_lint_command() -> list[str]:
    return [sys.executable, "-m", "sba_lint", "check", "--exit-zero"]


def peer_figures(words: int, files: int, file_words: int, runs: int, cache: Path | None) -> None:
    """sba-lint beside proselint, alex and write-good (:mod:`peers`), on the same inputs,
    as whole processes: one text of ``words`` words, ``files`` files of ``file_words``
    words (named on the command line), a clean sentence and, for sba-lint, a sentence that
    needs the parser.  Each figure the median of ``runs`` processes, the tools taking turns;
    words/s net of each tool's own start-up (its clean-sentence time)."""
    import peers

    cache = cache or peers.default_cache()
    print(f"beside the peers (installed under {cache}):")
    tools = [("sba-lint", sba_lint_command())]
    tools += [(p.name, list(p.command)) for p in peers.install(cache)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "notes.txt"
        big.write_text(case_notes(words), encoding="utf-8")
        small = []
        for i in range(files):
            path = folder / "small" / f"note_{i:04d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(case_notes(file_words, seed=i), encoding="utf-8")
            small.append(str(path))
        (folder / "clean.txt").write_text(CLEAN_SENTENCE, encoding="utf-8")
        (folder / "parser.txt").write_text(PARSER_SENTENCE, encoding="utf-8")
        big_words = len(big.read_text(encoding="utf-8").split())
        small_words = sum(len(Path(p).read_text(encoding="utf-8").split()) for p in small)
        inputs = {
            f"one {big_words:,}-word case-note text": [str(big)],
            f"{files:,} files of ~{file_words} words ({small_words:,} words)": small,
            "start-up, a clean sentence": [str(folder / "clean.txt")],
            "start-up, a sentence that needs the parser": [str(folder / "parser.txt")],
        }
        times: dict[tuple[str, str], list[float | None]] = {}
        for _ in range(runs):
            for label, paths in inputs.items():
                for name, command in tools:
                    if "parser" in label and name != "sba-lint":
                        continue
                    seconds = _one_process(command + paths, tmp, check=name == "sba-lint")
                    times.setdefault((label, name), []).append(seconds)

    def median(label: str, name: str) -> float | None:
        got = times.get((label, name))
        return None if not got or None in got else statistics.median(got)  # type: ignore[type-var]

    labels = list(inputs)
    counts = {labels[0]: big_words, labels[1]: small_words}
    print(f"  (whole processes, median of {runs}, tools taking turns; words/s net of each tool's "
          "own start-up: its clean-sentence time)")
    print(f"  {'input':<46}" + "".join(f"{name:>22}" for name, _ in tools))
    for label in labels:
        cells = []
        for name, _ in tools:
            seconds, start = median(label, name), median(labels[2], name)
            if "parser" in label and name != "sba-lint":
                cells.append("")
            elif seconds is None:
                cells.append("failed")
            elif label in counts:
                net = seconds - start if start is not None else 0.0
                rate = f"{counts[label] / net:,.0f} w/s" if net > 0 else "n/a"
                cells.append(f"{rate} ({seconds:.2f} s)")
            else:
                cells.append(f"{seconds:.2f} s")
        print(f"  {label:<46}" + "".join(f"{c:>22}" for c in cells))


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
