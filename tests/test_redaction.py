"""``--redact``: no word of the document in any output of any command: the text and JSON
reports, --explain, fix diffs and messages, Word comments of annotate and fix, and the
error messages of a document that cannot be read."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx_builder import rewrite_parts

from sba_lint.cli import main

#: words no rule, message or suggestion could hold: each a name, a place or a word the
#: writer made up, standing where a document's own words stand
SECRET = ["Zorblax", "Quimbyton", "Brindleford", "Vexmoor", "QXZW", "Klarnet", "Pellowick",
          "Snudge", "Yarrowmere", "Thwacket"]
TEXT = (
    "Zorblax failed to engage with the Brindleford service.\n"
    "We will utilise Vexmoor Park prior to the QXZW review.\n"
    "Klarnet is non-compliant and Pellowick said \"Snudge is manipulative\".\n"
    "The Yarrowmere ICPC was attended by Thwacket.\n"
)


def run(*args, input=None):
    r = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return r, r.stdout + r.stderr


def leaks(output: str | bytes) -> list[str]:
    if isinstance(output, bytes):
        output = output.decode("utf-8", "replace")
    return [w for w in SECRET if re.search(w, output, re.IGNORECASE)]


@pytest.fixture
def note(tmp_path):
    p = tmp_path / "note.txt"
    p.write_text(TEXT)
    return p


@pytest.fixture
def word(tmp_path):
    d = docx.Document()
    for line in TEXT.splitlines():
        d.add_paragraph(line)
    p = tmp_path / "note.docx"
    d.save(p)
    return p


def test_the_document_has_findings_to_redact(note):
    r, out = run("fix", note)
    assert r.exit_code == 1 and len(leaks(out)) >= 5  # without --redact the words are there
    r, out = run("check", "--format", "json", "--extend-select", "acronyms", note)
    assert r.exit_code == 1 and "QXZW" in out


@pytest.mark.parametrize("args", [
    ["check"], ["check", "--format", "json"], ["check", "--explain"],
    ["check", "--format", "json", "--explain"], ["check", "--extend-select", "acronyms"],
    ["fix"], ["fix", "--diff", "--unsafe-fixes"],
])
def test_text_outputs(note, args):
    r, out = run(*args, "--redact", note)
    assert r.exit_code in (0, 1)
    assert leaks(out) == [], out


def test_fix_written_copy_messages(note, tmp_path):
    r, out = run("fix", "--redact", "-o", tmp_path / "fixed.txt", note)
    assert r.exit_code == 0 and leaks(out) == []


def test_redact_from_the_configuration(note, tmp_path):
    (tmp_path / "sba-lint.toml").write_text("redact = true\n")
    for args in (["check"], ["check", "--format", "json"], ["fix"]):
        r, out = run(*args, note)
        assert leaks(out) == [], (args, out)


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_word_comments(word, tmp_path, command):
    out_path = tmp_path / f"{command}.docx"
    r, out = run(command, "--redact", "--summary", word, "-o", out_path)
    assert r.exit_code == 0 and leaks(out) == []
    with zipfile.ZipFile(out_path) as z:
        comments = z.read("word/comments.xml")
    assert b"<w:comment " in comments and leaks(comments) == []


def test_stdin(note):
    r, out = run("check", "--redact", "--format", "json", "-", input=TEXT)
    assert r.exit_code == 1 and leaks(out) == []


def _broken_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("Zorblax")
    d.save(path)
    return rewrite_parts(path, lambda name, data: data.replace(
        b"<w:t>Zorblax</w:t>", b"<w:t>Zorblax</w:Quimbyton><Brindleford>"))


@pytest.mark.parametrize("command", ["check", "annotate", "fix"])
def test_error_messages(tmp_path, command):
    bad = _broken_docx(tmp_path / "bad.docx")
    r, out = run(command, bad)
    assert r.exit_code == 3 and leaks(out)  # the parser's message quotes the document
    r, out = run(command, "--redact", bad)
    assert r.exit_code == 3 and str(bad) in out and "not a valid .docx" in out
    assert leaks(out) == [], out
    r, out = run("check", "--redact", "--format", "json", bad)
    assert leaks(out) == [], out
