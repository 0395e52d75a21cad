"""Hostile input: degenerate text that once made a scan quadratic, documents over the
limits, zip bombs, hostile rule packs, Word files with odd comment ids.  Each over-limit
case is one line naming the file and the limit, exit 3 (2 for a pack), and the other
files are still checked."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_builder import rewrite_parts, sample_docx

from sba_lint.analysis.text import TextIndex
from sba_lint.cli import main
from sba_lint.errors import RulePackError
from sba_lint.limits import DEFAULT
from sba_lint.rules.loader import load_pack

NOTE = "Mum failed to engage.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def only_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    return lines[0]


# -- degenerate text: every scan linear ------------------------------------------------
#: at these sizes a quadratic scan takes minutes; a linear one well under a second each
DEGENERATE = {
    "dots.txt": "." * 300_000,
    "letters.txt": "a" * 2_000_000,
    "underscores.txt": "_" * 300_000,
    "tabs-after-stop.txt": "Hello." + "\t" * 300_000 + "x",
    "open-directive.txt": "Hello. <!-- sba-lint: disable=blame" + " " * 300_000,
    "open-directive-bare.md": "Hello. <!-- sba-lint: disable" + " " * 300_000,
    "backtick-ladder.md": "".join("`" * i + "a" for i in range(1, 1500)),
    "link-storm.md": "[" * 100_000 + "a" + "](" * 100_000,
    "link-targets.md": "](" * 300_000,
    "autolinks.md": "<http:" * 100_000,
    "ref-defs.md": "[a\n" * 30_000,
    "front-matter.md": "---\n" + "a: b\n" * 20_000,
    "citations.txt": "Mum failed to engage. " + "v A " * 10_000,
    "definitions.txt": "ICPC (" + "a " * 150_000,
    "many-directives.txt": "Hello. <!-- sba-lint: enable -->\n" * 30_000,
    "many-fences.md": "Some words.\n\n```\ncode\n```\n\n" * 20_000,
}


def test_degenerate_text_is_read_in_linear_time(tmp_path):
    """The battery's hangs, in one process with a generous timeout: each file is checked
    (no error), none hangs."""
    for name, text in DEGENERATE.items():
        (tmp_path / name).write_text(text)
    r = subprocess.run([sys.executable, "-m", "sba_lint", "check", "--format", "json",
                        "--exit-zero", str(tmp_path)], capture_output=True, timeout=300)
    assert r.returncode == 0, r.stderr.decode()
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    assert set(files) == set(DEGENERATE)
    assert all(f["error"] is None for f in files.values())
    assert any(f["rule"] == "blame.failed-to-engage" for f in files["citations.txt"]["findings"])


def test_a_line_without_a_verb_is_read_to_its_end(tmp_path):
    """A heading with no verb ("Plan for sibling contact") once sent the search for the
    verb its words hang from round the parse's root for ever: spaCy gives a new token
    object for every ``.head``, so the root's head never "is" the root."""
    note = tmp_path / "plan.txt"
    note.write_text("Plan for sibling contact\n\nSibling contact arrangements for the summer\n")
    r = subprocess.run([sys.executable, "-m", "sba_lint", "check", "--format", "json", str(note)],
                       capture_output=True, timeout=300)
    assert r.returncode == 1, r.stderr.decode()
    rules = {f["rule"] for f in json.loads(r.stdout)["files"][0]["findings"]}
    assert "jargon.sibling-contact" in rules


def test_no_sentence_is_longer_than_the_limit():
    text = ("and then we talked about school " * 5000) + "x" * 5000 + "." * 3000
    idx = TextIndex(text, max_sentence=400)
    spans = idx.sentences()
    assert spans and max(e - s for s, e in spans) <= 400
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")


def test_a_long_unpunctuated_transcript_is_parsed_in_pieces(linter):
    """spaCy's own limit (a million characters) is never what a user sees."""
    text = ("and then we talked about the garden " * 15_000 + "and Mum failed to engage with the worker and "
            + "then we talked about the garden " * 15_000)
    assert len(text) > 1_000_000
    result = linter.check_text(text)
    assert result.error is None
    assert [f.rule for f in result.findings] == ["blame.failed-to-engage"]
    assert result.stats["sentences"] >= len(text) // DEFAULT.sentence_chars


# -- limits ------------------------------------------------------------------------------
def test_file_over_the_size_limit_is_one_line_and_the_rest_are_checked(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("Tom made tea. " * 100_000)  # 1.4 MB
    (tmp_path / "visit.txt").write_text(NOTE)
    r = run("check", "--limit", "file-mb=1", "--format", "json", big, tmp_path / "visit.txt")
    assert r.exit_code == 3
    line = only_line(r.stderr)
    assert str(big) in line and "file-mb" in line
    files = json.loads(r.stdout)["files"]
    assert files[1]["findings"] and files[0]["error"]


def test_limits_from_the_configuration_file(tmp_path):
    (tmp_path / "sba-lint.toml").write_text("[limits]\ntext-mchars = 1\n")
    (tmp_path / "long.txt").write_text("Tom made tea. " * 80_000)
    r = run("check", tmp_path / "long.txt")
    assert r.exit_code == 3 and "text-mchars" in only_line(r.stderr)
    (tmp_path / "sba-lint.toml").write_text("[limits]\nfile-mb = 'lots'\n")
    r = run("check", tmp_path / "long.txt")
    assert r.exit_code == 2 and "limits.file-mb" in only_line(r.stderr)


@pytest.mark.parametrize("option, message", [
    ("file-mb", "takes KEY=N"), ("nonsense=3", "unknown limit 'nonsense'"),
    ("file-mb=lots", "not a whole number"), ("file-mb=0", "must be from 1"),
])
def test_bad_limit_options(tmp_path, option, message):
    (tmp_path / "visit.txt").write_text(NOTE)
    r = run("check", "--limit", option, tmp_path / "visit.txt")
    assert r.exit_code == 2 and message in only_line(r.stderr)


def _bomb(declared_ok: bool) -> bytes:
    """A .docx whose document part inflates to 80 MiB (from about 80 KiB); with
    ``declared_ok`` the zip's directory claims it is small."""
    src = io.BytesIO()
    with zipfile.ZipFile(src, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024))
    data = bytearray(src.getvalue())
    if declared_ok:  # rewrite the sizes the headers declare
        name = b"word/document.xml"
        for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
            i = data.find(sig + b"")
            while i >= 0:
                name_at = i + (30 if sig == b"PK\x03\x04" else 46)
                if data[name_at:name_at + len(name)] == name:
                    data[i + size_at:i + size_at + 4] = (1000).to_bytes(4, "little")
                i = data.find(sig, i + 4)
    return bytes(data)


@pytest.mark.parametrize("declared_ok", [False, True])
def test_zip_bomb_is_refused_without_inflating_it(tmp_path, declared_ok):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(_bomb(declared_ok))
    (tmp_path / "visit.txt").write_text(NOTE)
    r = run("check", "--limit", "part-mb=16", bomb, tmp_path / "visit.txt")
    assert r.exit_code == 3
    line = only_line(r.stderr)
    assert str(bomb) in line
    assert ("part-mb" in line) if not declared_ok else ("part-mb" in line or "not a valid .docx" in line)
    assert "blame.failed-to-engage" in r.stdout


def test_too_many_parts(tmp_path):
    src = sample_docx(tmp_path / "case.docx")
    r = run("check", "--limit", "parts=3", src)
    assert r.exit_code == 3 and "parts limit" in only_line(r.stderr)


def test_time_budget_per_document(tmp_path):
    (tmp_path / "long.txt").write_text("Mum failed to engage and did not attend. " * 3000)
    r = run("check", "--limit", "seconds=1", tmp_path / "long.txt")
    assert r.exit_code == 3 and "seconds limit" in only_line(r.stderr)


# -- hostile rule packs ----------------------------------------------------------------
PACK = """\
pack: hostile
category: plain
rules:
  - id: one
    kind: phrase
    message: A message.
    phrases: [utilise]
    examples: {flag: ["We [[utilise]] it."]}
"""


def _pack(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "hostile.yml"
    p.write_text(text)
    return p


def test_billion_laughs_pack(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    p = _pack(tmp_path, "\n".join(lines) + "\n" + PACK)
    with pytest.raises(RulePackError, match="more than 1,000,000 values"):
        load_pack(p)


@pytest.mark.parametrize("nesting", [" " + "[" * 20_000 + "]" * 20_000, "\n  " + "- " * 20_000 + "x"])
def test_deeply_nested_pack(tmp_path, nesting):
    p = _pack(tmp_path, PACK + "extra:" + nesting + "\n")
    r = subprocess.run([sys.executable, "-m", "sba_lint", "rules", "list", "--rules", str(p)],
                       capture_output=True, timeout=60)
    assert r.returncode == 2
    assert "pack-depth" in only_line(r.stderr.decode())


def test_pack_of_too_many_rules(tmp_path):
    rule = ("  - id: r{0}\n    kind: phrase\n    message: M.\n    phrases: [w{0}]\n"
            "    examples: {{flag: ['[[w{0}]]']}}\n")
    p = _pack(tmp_path, "pack: hostile\ncategory: plain\nrules:\n"
              + "".join(rule.format(i) for i in range(DEFAULT.pack_rules + 1)))
    with pytest.raises(RulePackError, match="pack-rules limit"):
        load_pack(p)


def test_huge_sparse_pack_is_not_read(tmp_path):
    p = tmp_path / "sparse.yml"
    with open(p, "wb") as fh:
        fh.truncate(3 * 1024 ** 3)
    with pytest.raises(RulePackError, match="pack-kb limit"):
        load_pack(p)


@pytest.mark.parametrize("rule, message", [
    ("patterns: [[{LOWER: a}, {TEXT: {REGEX: '(a+)+$'}}]]", "REGEX and FUZZY are not allowed"),
    ("patterns: [[{LOWER: a}, {OP: '*'}, {OP: '*'}, {OP: '+'}, {LOWER: b}]]", "more than 2"),
    ("patterns: [[{LOWER: a}, {OP: '{0,500}'}, {LOWER: b}]]", "repeats more than 10"),
    ("patterns: [[{LOWER: a}, {OP: '{3,}'}, {LOWER: b}]]", "repeats more than 10"),
    ("phrases: ['" + "very " * 30 + "bad']", "more than 24 words"),
])
def test_pack_patterns_that_could_backtrack(tmp_path, rule, message):
    kind = "pattern" if "patterns" in rule else "phrase"
    text = textwrap.dedent(f"""\
        pack: hostile
        category: plain
        rules:
          - id: slow
            kind: {kind}
            message: M.
            {rule}
            examples: {{flag: ['[[a b]]']}}
        """)
    with pytest.raises(RulePackError, match=message):
        load_pack(_pack(tmp_path, text))


# -- Word files with comment ids that are not numbers -----------------------------------
def _odd_ids(path: Path) -> Path:
    import docx
    from docx_builder import add_existing_comment

    d = docx.Document()
    p = d.add_paragraph("Mum failed to engage. We will utilise the plan.")
    add_existing_comment(d, p, "Check this")
    d.save(path)
    return rewrite_parts(path, lambda name, data: data.replace(b'w:id="0"', b'w:id="note-a"')
                         if name in ("word/document.xml", "word/comments.xml") else data)


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_comment_ids_that_are_not_numbers(tmp_path, command):
    src = _odd_ids(tmp_path / "odd.docx")
    before = src.read_bytes()
    out = tmp_path / "out.docx"
    r = run(command, src, "-o", out)
    assert r.exit_code == 0, r.output + r.stderr
    assert src.read_bytes() == before
    with zipfile.ZipFile(out) as z:
        comments = z.read("word/comments.xml")
    assert b'w:id="note-a"' in comments and b'w:id="0"' in comments


def _with_doctype(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_paragraph("Mum failed to engage.")
    d.save(path)

    def doctype(name: str, data: bytes) -> bytes:
        if name != "word/document.xml":
            return data
        head, rest = data.split(b"?>", 1)
        return (head + b"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
                + rest.replace(b"engage.", b"engage. &xxe;"))

    return rewrite_parts(path, doctype)


@pytest.mark.parametrize("command", ["check", "annotate", "fix"])
def test_xxe_never_leaks_and_names_the_input(tmp_path, command):
    src = _with_doctype(tmp_path / "xxe.docx")
    out = tmp_path / "out.docx"
    args = [command, src] + (["-o", out] if command != "check" else ["--format", "json"])
    r = run(*args)
    assert "root:" not in r.stdout + r.stderr
    if command == "check":
        assert r.exit_code == 1 and "failed-to-engage" in r.stdout
    else:
        assert r.exit_code == 3 and not out.exists()
        assert only_line(r.stderr).startswith(f"sba-lint: {src}: ")


def test_out_of_memory_is_one_files_error(tmp_path, monkeypatch):
    from sba_lint.linter import Linter

    linter = Linter()
    real = linter.engine.steps  # the engine's run over one document
    calls = []

    def starved(doc, *args, **kwargs):
        calls.append(doc.path)
        if len(calls) == 1:
            raise MemoryError
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(linter.engine, "steps", starved)
    first = linter.check_text("Mum failed to engage.", path="a.txt")
    second = linter.check_text("Mum failed to engage.", path="b.txt")
    assert first.error == ("a.txt: ran out of memory while checking it; lower the limits "
                           "(file-mb, text-mchars) or give sba-lint more memory")
    assert second.error is None and second.findings


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_a_package_python_docx_reads_but_cannot_write(tmp_path, command):
    """Found by the long fuzz run: an Override without its ContentType."""
    src = rewrite_parts(sample_docx(tmp_path / "case.docx"), lambda name, data: data.replace(
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles',
        b'ContentPype="application/vnd.openxmlformats-officedocument.wordprocessingml.styles')
        if name == "[Content_Types].xml" else data)
    r = run(command, src, "-o", tmp_path / "out.docx")
    assert r.exit_code == 3 and not (tmp_path / "out.docx").exists()
    assert "cannot be written again" in only_line(r.stderr)


def _lying_part(src: Path, name: str, size: int) -> Path:
    """The package with part ``name`` replaced by ``size`` spaces, deflated, its headers
    claiming it unzips to 1,000 bytes (a zip bomb's lie)."""
    with zipfile.ZipFile(src) as z:
        parts = [(i, z.read(i)) for i in z.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            z.writestr(info.filename, b" " * size if info.filename == name else data)
    data = bytearray(out.getvalue())
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        i = data.find(sig)
        while i >= 0:
            if data[i + name_at:i + name_at + len(name)] == name.encode():
                data[i + size_at:i + size_at + 4] = (1000).to_bytes(4, "little")
            i = data.find(sig, i + 4)
    src.write_bytes(bytes(data))
    return src


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_a_bomb_in_a_part_without_text_is_never_unzipped(tmp_path, command):
    """Reading a Word file's text unzips only the parts that hold text, so a styles part
    that would unzip to 80 MiB while the zip says 1,000 bytes does not stop a check; a
    reviewed copy is made by python-docx from every part, so the copy is refused in one
    line (the styles' checksum does not match), the original untouched."""
    src = _lying_part(sample_docx(tmp_path / "case.docx"), "word/styles.xml", 80 << 20)
    before = src.read_bytes()
    checked = run("check", "--limit", "part-mb=16", "--format", "json", src)
    assert checked.exit_code == 1 and "failed-to-engage" in checked.stdout
    out = tmp_path / "out.docx"
    r = run(command, "--limit", "part-mb=16", src, "-o", out)
    assert r.exit_code == 3 and not out.exists() and src.read_bytes() == before
    assert only_line(r.stderr).startswith(f"sba-lint: {src}: ")
    assert "damaged" in only_line(r.stderr)


def test_the_word_editor_holds_every_part_to_the_limits(tmp_path):
    """Before python-docx's Document() unzips every part, each is held to the limits the
    check was given (the text's read unzips only the parts with text)."""
    from sba_lint.errors import InputError
    from sba_lint.source import read_bytes
    from sba_lint.source.docx_edit import WordEditor

    src = rewrite_parts(sample_docx(tmp_path / "case.docx"), lambda name, data: data.replace(
        b"</w:styles>", b" " * (2 << 20) + b"</w:styles>") if name == "word/styles.xml" else data)
    data = src.read_bytes()
    document = read_bytes(data, "case.docx")
    with pytest.raises(InputError, match="part-mb"):
        WordEditor(data, document, limits=DEFAULT.merged({"part_mb": 1}))
    assert WordEditor(data, document).doc is not None  # within the default 64 MiB
