"""Property and fuzz tests: whatever text, Markdown, configuration, rule pack or damaged
Word file arrives, sba-lint answers with findings or one error, never an exception, and
the offsets it reports are the document's.

Fixed seeds (Hypothesis derandomized, ``random.Random(seed)`` for byte mutation) keep CI
fast and repeatable; ``pytest -m slow`` runs the same properties far longer.
"""

from __future__ import annotations

import io
import random
import re
import zipfile

import pytest
from docx_builder import sample_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sba_lint import config as config_module
from sba_lint.errors import ConfigError, RulePackError, SbaLintError
from sba_lint.rules.engine import _DEFINED_BEFORE
from sba_lint.rules.loader import load_pack
from sba_lint.source import directives, markdown

FAST = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=3000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: pieces that exercise the readers and the scans: punctuation runs, Markdown syntax,
#: directives, words the rules look for, names, line breaks of every kind
PIECES = [".", "...", "!", "?", "…", "`", "```", "[", "]", "(", ")", "](", "<", ">", "<!--", "-->",
          "*", "_", "#", "---", "+++", "|", " ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", '"', "'",
          "“", "”", "‘", "’", "-", ":", "=", "@", "http://x.org/a", "www.", "Mum", "Dad", "she",
          "failed to engage", "utilise", "prior to", "non-compliant", "ICPC", "LAC", "S47", "QXZ",
          "said", "was", "not", "brought", "to", "the", "appointment", "Re B-S (Children)", " v ",
          "[2013]", "sba-lint: disable", "sba-lint: disable=blame", "sba-lint: enable", "é", "\u00a0",
          "\u2028", "\x0b", "A", "a", "1", "Zorblax"]
documents = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)


def _consistent(result, text: str) -> None:
    assert result.error is None, result.error
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(result.document.text)
        assert result.document.text[f.start:f.end] == f.match
        assert f.line >= 1 and f.column >= 1


def _checked(linter, text: str, fmt: str) -> None:
    if not text.strip():
        return
    result = linter.check_text(text, format=fmt)
    if result.error:  # nothing left once the markup is gone, or NUL bytes: said, not raised
        assert "there is no text to check" in result.error or "binary file" in result.error
        return
    _consistent(result, text)
    if fmt == "txt":
        assert result.document.text == directives.extract(text)[0]


@FAST
@given(documents)
def test_any_text(linter, text):
    _checked(linter, text, "txt")


@FAST
@given(documents)
def test_any_markdown(linter, text):
    _checked(linter, text, "md")


@FAST
@given(documents)
def test_markdown_prose_keeps_every_offset_and_line(text):
    prose = markdown.prose(text)
    assert len(prose) == len(text)
    assert [i for i, c in enumerate(prose) if c in "\r\n"] == [i for i, c in enumerate(text) if c in "\r\n"]


@FAST
@given(st.text(max_size=300))
def test_any_unicode_text(linter, text):
    _checked(linter, text, "txt")


_OLD_DEFINED_BEFORE = re.compile(
    r"\b([A-Za-z][A-Za-z0-9&]*?[A-Z0-9])s?\s*\(\s*[A-Za-z][^()\n]*\s[^()\n]*\)")


@FAST
@given(st.text(alphabet="aA (\n)bC1s\t&", max_size=40))
def test_definition_pattern_matches_as_before_in_linear_time(text):
    old = [(m.span(), m.group(1)) for m in _OLD_DEFINED_BEFORE.finditer(text)]
    assert [(m.span(), m.group(1)) for m in _DEFINED_BEFORE.finditer(text)] == old


_RULES = st.frozensets(st.sampled_from(["blame", "blame.refuses", "jargon.contact", "plain"]),
                       max_size=2)


@FAST
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60), _RULES), max_size=12),
       st.lists(st.tuples(st.sampled_from(["blame.refuses", "jargon.contact", "plain.utilise"]),
                          st.integers(0, 60), st.integers(0, 60)), max_size=20))
def test_suppression_lookup_is_what_each_directive_says(ranges, findings):
    """Document.is_suppressed (sorted ranges, one search) agrees with asking every
    Suppression in turn."""
    from sba_lint.source.document import Document, Suppression

    sups = [Suppression(a, b, rules) for a, b, rules in ranges]
    doc = Document(path="x", format="txt", text="x" * 60, suppressions=sups)
    for rule, a, b in findings:
        pack = rule.split(".")[0]
        assert doc.is_suppressed(rule, pack, a, b) == any(s.covers(rule, pack, a, b) for s in sups)


# -- configuration ---------------------------------------------------------------------
toml_values = st.recursive(
    st.none().map(lambda _: "true") | st.integers(-5, 10**12).map(str)
    | st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    lambda inner: st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=10)
toml_keys = st.sampled_from(["select", "ignore", "severity", "rules", "allow", "exclude", "fail-on",
                             "redact", "profile", "limits", "file-mb", "extend-select", "x"])


@FAST
@given(st.lists(st.tuples(toml_keys, toml_values), max_size=6), st.booleans())
def test_any_configuration_is_read_or_refused_in_one_line(tmp_path_factory, pairs, table):
    folder = tmp_path_factory.mktemp("config")
    body = "".join(f"{k} = {v}\n" for k, v in dict(pairs).items())
    (folder / "sba-lint.toml").write_text(("[limits]\n" if table else "") + body)
    try:
        config_module.load(folder / "sba-lint.toml")
    except ConfigError as e:
        assert "\n" not in str(e) and str(folder) in str(e)


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_as_configuration(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("config")
    (folder / "pyproject.toml").write_bytes(data)
    try:
        config_module.load(folder / "pyproject.toml")
    except ConfigError as e:
        assert str(folder) in str(e)


# -- rule packs --------------------------------------------------------------------------
PACK_PIECES = ["pack: p\n", "category: plain\n", "rules:\n", "  - id: r\n", "    kind: phrase\n",
               "    kind: pattern\n", "    message: M.\n", "    phrases: [a, b]\n",
               "    patterns: [[{LOWER: a}, {OP: '*'}]]\n", "    examples: {flag: ['[[a]]']}\n",
               "&x [1, 2]", "*x", "[", "]", "{", "}", "- ", "  ", ": ", "\n", "'", '"',
               "!!python/object", "@w"]


@FAST
@given(st.lists(st.sampled_from(PACK_PIECES), max_size=30).map("".join))
def test_any_rule_pack_is_loaded_or_refused(tmp_path_factory, text):
    p = tmp_path_factory.mktemp("pack") / "p.yml"
    p.write_text(text)
    try:
        load_pack(p)
    except RulePackError as e:
        assert str(p) in str(e)


# -- Word files, mutated byte by byte ---------------------------------------------------
def _mutate(rng: random.Random, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(data))
        how = rng.random()
        if how < 0.6:
            data[i] = rng.randrange(256)
        elif how < 0.8:
            del data[i:i + rng.randint(1, 64)]
        else:
            data[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
    return bytes(data)


def _mutants(original: bytes, seed: int, count: int):
    """The file's bytes mutated (the container: headers, directory, compressed data)."""
    rng = random.Random(seed)
    for _ in range(count):
        yield _mutate(rng, original)


def _part_mutants(original: bytes, seed: int, count: int):
    """One XML part mutated and the package zipped again (a checksum that fits), so that
    the mutations reach the XML readers and the editor."""
    rng = random.Random(seed)
    with zipfile.ZipFile(io.BytesIO(original)) as src:
        parts = {info.filename: src.read(info) for info in src.infolist()}
    names = sorted(n for n in parts if n.endswith(".xml") or n.endswith(".rels"))
    for _ in range(count):
        chosen = rng.choice(["word/document.xml"] * 3 + names)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name, data in parts.items():
                dst.writestr(name, _mutate(rng, data) if name == chosen else data)
        yield out.getvalue()


def _survives(linter, data: bytes) -> bool:
    from sba_lint.source.docx_edit import WordEditor

    result = linter.check_bytes(data, path="mutant.docx")
    if result.error:
        assert "\n" not in result.error and result.error.startswith("mutant.docx: ")
        return False
    _consistent(result, result.document.text)
    try:  # annotate's editor on what could be read
        WordEditor(data, result.document).tobytes()
    except SbaLintError:
        pass
    return True


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_word_files(linter, tmp_path, seed):
    original = sample_docx(tmp_path / "sample.docx").read_bytes()
    for data in _mutants(original, seed, 40):
        _survives(linter, data)
    read = sum(_survives(linter, d) for d in _part_mutants(original, seed, 60))
    assert read  # some mutants are still documents: their findings were checked too


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(10, 20))
def test_mutated_word_files_long(linter, tmp_path, seed):
    original = sample_docx(tmp_path / "sample.docx").read_bytes()
    for data in _part_mutants(original, seed, 500):
        _survives(linter, data)
    for data in _mutants(original, seed, 500):
        _survives(linter, data)


@pytest.mark.slow
@SLOW
@given(documents)
def test_any_text_long(linter, text):
    _checked(linter, text, "txt")
    _checked(linter, text, "md")
