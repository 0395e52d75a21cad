"""The command line: exit codes, JSON contract, stdin, folders, configuration errors."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_builder import sample_docx

from sba_lint.cli import main


def run(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def notes(tmp_path):
    (tmp_path / "clean.txt").write_text("Tom loves cooking and made dinner for everyone.\n")
    (tmp_path / "flagged.txt").write_text("Mum failed to engage.\nWe will utilise the plan.\n")
    return tmp_path


def test_exit_0_when_clean(notes):
    r = run("check", str(notes / "clean.txt"))
    assert r.exit_code == 0
    assert "No findings in 1 file." in r.output


def test_exit_1_with_findings_and_ruff_like_lines(notes):
    r = run("check", str(notes / "flagged.txt"))
    assert r.exit_code == 1
    assert f"{notes / 'flagged.txt'}:1:5  blame.failed-to-engage  " in r.output
    assert "    advice: Say what was offered" in r.output  # no honest drop-in: advice
    assert "Found 2 findings (1 warning, 1 info) in 1 file." in r.output


def test_fail_on_controls_exit_code(notes):
    (notes / "info.txt").write_text("We will utilise the plan.\n")
    assert run("check", str(notes / "info.txt")).exit_code == 0  # info < warning
    assert run("check", "--fail-on", "info", str(notes / "info.txt")).exit_code == 1
    assert run("check", "--fail-on", "never", str(notes / "flagged.txt")).exit_code == 0
    assert run("check", "--exit-zero", str(notes / "flagged.txt")).exit_code == 0


def test_json_contract(notes):
    r = run("check", "--format", "json", str(notes / "flagged.txt"), str(notes / "clean.txt"))
    doc = json.loads(r.output)
    assert doc["version"] == 1
    assert doc["summary"] == {"files": 2, "findings": 2, "errors": 0}
    f = doc["files"][0]
    assert set(f) == {"path", "words", "error", "findings", "stats"}
    assert f["error"] is None and f["words"] == 9
    text = (notes / "flagged.txt").read_text()
    for finding in f["findings"]:
        assert text[finding["start"]:finding["end"]] == finding["match"]
        for key in ("rule", "category", "severity", "message", "match", "start", "end", "line",
                    "column", "suggestions", "fix", "origin"):
            assert key in finding
    util = f["findings"][1]
    assert util["fix"] == {"applicability": "safe",
                           "edits": [{"start": util["start"], "end": util["end"], "content": "use"}]}
    assert set(f["stats"]) >= {"words", "sentences", "reading_ease", "grade"}


def test_json_offsets_into_bom_and_crlf_text(tmp_path):
    p = tmp_path / "win.txt"
    p.write_bytes(b"\xef\xbb\xbfHello.\r\nMum failed to engage.\r\n")
    doc = json.loads(run("check", "--format", "json", str(p)).output)
    [f] = doc["files"][0]["findings"]
    text = p.read_bytes()[3:].decode()
    assert text[f["start"]:f["end"]] == "failed to engage" and (f["line"], f["column"]) == (2, 5)


def test_redact_keeps_document_text_out(notes):
    doc = json.loads(run("check", "--format", "json", "--redact", str(notes / "flagged.txt")).output)
    for f in doc["files"][0]["findings"]:
        assert f["match"] is None
        assert "failed to engage" not in f["message"]


def test_stdin_with_filename_sets_the_type(tmp_path):
    r = run("check", "--format", "json", "--stdin-filename", "note.md", "-",
            input="```\ncontact\n```\nWe will utilise it.\n")
    doc = json.loads(r.output)
    assert doc["files"][0]["path"] == "note.md"
    assert [f["match"] for f in doc["files"][0]["findings"]] == ["utilise"]
    docx_bytes = sample_docx(tmp_path / "s.docx").read_bytes()
    r = CliRunner().invoke(main, ["check", "--format", "json", "--stdin-filename", "s.docx", "-"],
                           input=docx_bytes)
    assert "failed to engage with" in [f["match"] for f in json.loads(r.output)["files"][0]["findings"]]


def test_folder_is_walked_and_one_bad_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "a.txt").write_text("Mum failed to engage.\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("The placement ended.\n")
    (tmp_path / "sub" / "bad.txt").write_bytes(b"caf\x81\n")  # neither UTF-8 nor Windows-1252
    (tmp_path / "sub" / "broken.docx").write_bytes(b"not a zip")
    (tmp_path / "sub" / "ignored.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub" / "~$lock.docx").write_bytes(b"lock")
    os.symlink(tmp_path / "missing.txt", tmp_path / "sub" / "dangling.txt")
    r = run("check", "--format", "json", str(tmp_path))
    assert r.exit_code == 3
    doc = json.loads(r.stdout)
    by_name = {Path(f["path"]).name: f for f in doc["files"]}
    assert set(by_name) == {"a.txt", "b.md", "bad.txt", "broken.docx", "dangling.txt"}
    assert by_name["a.txt"]["findings"] and by_name["b.md"]["findings"]
    assert "not valid UTF-8" in by_name["bad.txt"]["error"]
    assert "not a valid .docx" in by_name["broken.docx"]["error"]
    assert "no such file" in by_name["dangling.txt"]["error"]
    assert doc["summary"]["errors"] == 3
    errors = [line for line in r.stderr.splitlines() if line]
    assert len(errors) == 3 and all(line.startswith("sba-lint: ") for line in errors)


def test_missing_and_unsupported_files_exit_3(tmp_path):
    (tmp_path / "r.pdf").write_bytes(b"%PDF-1.4")
    r = run("check", str(tmp_path / "nope.txt"), str(tmp_path / "r.pdf"))
    assert r.exit_code == 3
    assert f"sba-lint: {tmp_path / 'nope.txt'}: no such file" in r.stderr
    assert "unsupported format '.pdf'" in r.stderr


def test_input_files_are_never_changed(tmp_path):
    paths = [sample_docx(tmp_path / "a.docx"), tmp_path / "b.txt"]
    paths[1].write_text("Mum failed to engage.\n")
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}
    run("check", str(tmp_path))
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths} == before
    assert sorted(os.listdir(tmp_path)) == ["a.docx", "b.txt"]  # nothing written beside them


def test_docx_text_report_names_the_place(tmp_path):
    r = run("check", str(sample_docx(tmp_path / "case.docx")))
    assert "[table 1, row 2, cell 2, paragraph 5]" in r.output
    assert "[footnote 1, paragraph 1]" in r.output
    assert "[header (header1), paragraph 1]" in r.output


# selection and configuration ------------------------------------------------------------
def test_select_and_ignore(notes):
    f = str(notes / "flagged.txt")
    out = json.loads(run("check", "--format", "json", "--select", "plain", f).output)
    assert [x["rule"] for x in out["files"][0]["findings"]] == ["plain.utilise"]
    ignore = "blame.failed-to-engage,blame.failed-to,plain"
    out = json.loads(run("check", "--format", "json", "--ignore", ignore, f).output)
    assert out["files"][0]["findings"] == []
    out = json.loads(run("check", "--format", "json", "--select", "blaming", f).output)
    assert [x["rule"] for x in out["files"][0]["findings"]] == ["blame.failed-to-engage"]


def test_opt_in_rules_need_selecting(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text(" ".join(["word"] * 40) + ".\n")
    assert json.loads(run("check", "--format", "json", str(p)).output)["summary"]["findings"] == 0
    out = json.loads(run("check", "--format", "json", "--extend-select", "readability.long-sentence",
                         str(p)).output)
    assert [f["rule"] for f in out["files"][0]["findings"]] == ["readability.long-sentence"]


def test_severity_override_and_allow(notes):
    f = str(notes / "flagged.txt")
    out = json.loads(run("check", "--format", "json", "--severity", "blame=error", f).output)
    assert out["files"][0]["findings"][0]["severity"] == "error"
    out = json.loads(run("check", "--format", "json", "--allow", "Failed to Engage", f).output)
    assert [x["match"] for x in out["files"][0]["findings"]] == ["utilise"]


def test_unknown_selector_is_a_usage_error(notes):
    r = run("check", "--select", "blame.nope", str(notes / "clean.txt"))
    assert r.exit_code == 2
    assert r.stderr.strip() == "sba-lint: error: select: no rule, pack or category is called 'blame.nope'"


def test_config_file_found_upwards(tmp_path):
    (tmp_path / "sba-lint.toml").write_text('ignore = ["blame"]\nfail-on = "info"\n')
    (tmp_path / "deep" / "er").mkdir(parents=True)
    note = tmp_path / "deep" / "er" / "n.txt"
    note.write_text("Mum failed to engage. We will utilise it.\n")
    r = run("check", "--format", "json", str(note))
    assert [f["rule"] for f in json.loads(r.output)["files"][0]["findings"]] == ["plain.utilise"]
    assert r.exit_code == 1  # fail-on info from the file


def test_pyproject_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.sba-lint]\nselect = ["plain"]\n')
    (tmp_path / "n.txt").write_text("Mum failed to engage. We will utilise it.\n")
    out = json.loads(run("check", "--format", "json", str(tmp_path / "n.txt")).output)
    assert [f["rule"] for f in out["files"][0]["findings"]] == ["plain.utilise"]


@pytest.mark.parametrize("content, message", [
    ('selct = ["blame"]\n', "sba-lint.toml: unknown key 'selct'"),
    ('fail-on = "sometimes"\n', "sba-lint.toml: 'fail-on': 'sometimes' is not one of"),
    ('[severity]\nblame = "loud"\n', "sba-lint.toml: 'severity.blame': 'loud' is not one of"),
    ("select = [\n", "sba-lint.toml: not valid TOML"),
])
def test_bad_config_is_one_line_naming_file_and_key(tmp_path, content, message):
    (tmp_path / "sba-lint.toml").write_text(content)
    (tmp_path / "n.txt").write_text("Hello.\n")
    r = run("check", str(tmp_path / "n.txt"))
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and str(tmp_path) in lines[0]


def test_explicit_config_flag(tmp_path):
    cfg = tmp_path / "other.toml"
    cfg.write_text('select = ["plain"]\n')
    (tmp_path / "n.txt").write_text("Mum failed to engage. We will utilise it.\n")
    out = json.loads(run("check", "--format", "json", "--config", str(cfg), str(tmp_path / "n.txt")).output)
    assert [f["rule"] for f in out["files"][0]["findings"]] == ["plain.utilise"]
    r = run("check", "--config", str(tmp_path / "missing.toml"), str(tmp_path / "n.txt"))
    assert r.exit_code == 2 and "no such configuration file" in r.stderr


def test_suppression_comments(tmp_path):
    p = tmp_path / "n.md"
    p.write_text(
        "Mum failed to engage.\n"
        "<!-- sba-lint: disable-next-line=blame -->\n"
        "Dad failed to engage.\n"
        "<!-- sba-lint: disable=plain.utilise -->\n"
        "We utilise it. Dad failed to engage.\n"
        "<!-- sba-lint: enable=plain.utilise -->\n"
        "We utilise it.\n"
    )
    out = json.loads(run("check", "--format", "json", str(p)).output)
    assert [(f["line"], f["rule"]) for f in out["files"][0]["findings"]] == [
        (1, "blame.failed-to-engage"), (5, "blame.failed-to-engage"), (7, "plain.utilise"),
    ]


def test_rules_list_show_and_test():
    r = run("rules", "list")
    assert r.exit_code == 0 and "blame.failed-to-engage" in r.output and "(off by default)" in r.output
    r = run("rules", "show", "jargon.contact")
    assert r.exit_code == 0 and "family time" in r.output and "part of speech: NOUN, PROPN" in r.output
    assert run("rules", "show", "jargon.nope").exit_code == 2
    r = run("rules", "test")
    assert r.exit_code == 0 and " passed, 0 failed" in r.output


def test_no_traceback_for_a_broken_rule_pack(tmp_path):
    (tmp_path / "mine.yml").write_text("pack: mine\ncategory: x\nrules:\n  - id: a\n    kind: phrase\n")
    (tmp_path / "n.txt").write_text("Hello.\n")
    r = run("check", "--rules", str(tmp_path), str(tmp_path / "n.txt"))
    assert r.exit_code == 2
    assert r.stderr.strip() == (
        f"sba-lint: error: {tmp_path / 'mine.yml'}: rule 'a': "
        "'examples', 'message' and 'phrases' are required")


def test_console_script_runs_as_a_real_process(tmp_path):
    """The installed command, as a hook would call it: stdin in, JSON out."""
    exe = Path(sys.executable).with_name("sba-lint")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "sba_lint"]
    proc = subprocess.run(cmd + ["check", "--format", "json", "-"], input="Dad is an addict.\n",
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["findings"][0]["rule"] == "person-first.addict"
    assert proc.stderr == ""
