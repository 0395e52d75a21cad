"""The readability statistics are textstat's, counted without importing textstat.

sba-lint computed them with textstat 0.7 (its pronouncing-dictionary lookup replaced by
Pyphen's hyphenation, which textstat uses for words the dictionary lacks, so that no
download is ever tried); the same counts and scores are now computed in
:mod:`sba_lint.analysis.readability`, which imports neither textstat nor NLTK.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from child import run_python
from hypothesis import given, settings
from hypothesis import strategies as st

from sba_lint.analysis import readability

textstat = pytest.importorskip("textstat")

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
SAMPLES = [
    "",
    "   \n\n  ",
    "...!?",
    "Hi.",
    "The cat sat on the mat. The dog ran to the park.",
    "Mum failed to engage. Lola has contact with Dad. Extraordinary multisyllabic vocabulary.",
    "Notwithstanding considerable organisational complexity, multidisciplinary deliberations "
    "necessitated comprehensive reconsideration of therapeutic interventions.",
    "Isn't it odd? 'They'd've' said so, wouldn't they... Mr. O'Neill's dog's 'bone'.",
    "They're sure we're 'really' O'Reilly's 'relatives'; y'all'd 've 'llamas' 'timely'.",
    "“Curly quotes” and ‘single ones’ – en dash — em dash; semi: colon (brackets) [square].",
    "Numbers 1.5 and 2,000 and 3rd; e-mail re-assessment well-being self_harm x_y.",
    "İstanbul ÇAĞRI Straße façade naïve coöperate résumé ﬁne ǅemal.",
    "a" * 61 + " " + "b" * 80 + " and " + "aeiouy" * 12 + ".",
    "One two. Three four five. Six. Seven eight nine ten!\nEleven twelve thirteen?",
    "No full stop at the end of this line\nNor this one\n\nA new paragraph here",
    "CAPITALS SHOUTING HERE. lower case there. MiXeD CaSe EvErYwHeRe.",
]


@pytest.fixture(scope="module")
def reference():
    """textstat as sba-lint used it: English (en_GB), syllables from Pyphen, no download."""
    import nltk
    import pyphen

    positions = pyphen.Pyphen(lang=readability.LANGUAGE).positions
    vowels = readability._VOWELS

    class Syllables(dict):
        def __missing__(self, word):
            n = (max(1, len(vowels.findall(word))) if len(word) > readability._LONGEST_WORD
                 else len(positions(word)) + 1)
            self[word] = [["A1"] * n]
            return self[word]

    table = Syllables()
    patch = pytest.MonkeyPatch()
    patch.setattr(nltk, "download", lambda *a, **k: False)
    for name, module in list(sys.modules.items()):
        if name.startswith("textstat.") and hasattr(module, "get_cmudict"):
            patch.setattr(module, "get_cmudict", lambda lang: table)
    ts = type(textstat.textstat)()
    ts.set_lang(readability.LANGUAGE)
    yield ts
    patch.undo()


def expected(ts, text):
    from textstat.backend import counts

    return ((counts.count_words(text), counts.count_sentences(text),
             counts.count_syllables(text, readability.LANGUAGE)),
            {"reading_ease": round(float(ts.flesch_reading_ease(text)), 1),
             "grade": round(float(ts.flesch_kincaid_grade(text)), 1)})


def check(ts, text):
    assert (readability.counts(text), readability.scores(text)) == expected(ts, text), text


@pytest.mark.parametrize("text", SAMPLES)
def test_same_as_textstat(reference, text):
    check(reference, text)


def test_same_as_textstat_on_the_eval_cases(reference):
    cases = [json.loads(line)["text"] for f in sorted(EVAL.glob("*.jsonl"))
             for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not cases:
        pytest.skip("no shared eval cases beside the repository")
    for text in cases + ["\n\n".join(cases)]:
        check(reference, text + "\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdeilorstuvyAEIOUY '’.!?,;:-_\n\t\"“”()0123456789İßé")),
               max_size=200))
def test_same_as_textstat_on_any_text(reference, text):
    check(reference, text)


def test_readability_imports_neither_textstat_nor_nltk():
    script = ("import sys\nfrom sba_lint.linter import Linter\n"
              "r = Linter().check_text('Mum failed to engage. Lola has contact with Dad.')\n"
              "assert r.stats['reading_ease'], r.stats\n"
              "print(sorted(m for m in ('textstat', 'nltk') if m in sys.modules))")
    assert run_python(script).strip() == "[]"


def test_only_reports_that_show_statistics_compute_them(tmp_path):
    """The text report shows only the strengths balance: no hyphenation dictionary is
    loaded for it.  The JSON report has the statistics."""
    note = tmp_path / "note.txt"
    note.write_text("Mum failed to engage. She has made progress since March.\n")
    script = ("import sys\nfrom sba_lint.cli import main\nsys.argv = ['sba-lint', 'check', "
              "'--exit-zero', '--format', sys.argv[1], sys.argv[2]]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('pyphen' in sys.modules)")
    out = {fmt: subprocess.run([sys.executable, "-c", script, fmt, str(note)], capture_output=True,
                               text=True, timeout=180).stdout for fmt in ("text", "json")}
    assert out["text"].endswith("False\n") and "Strengths balance" in out["text"]
    assert out["json"].endswith("True\n")
    stats = json.loads(out["json"][:-len("True\n")])["files"][0]["stats"]
    assert stats["reading_ease"] == readability.scores(note.read_text())["reading_ease"]
