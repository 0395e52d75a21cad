"""The workspace every front end shares: configuration per folder, a bounded Linter cache,
the walk (every file accounted for) and detached results."""

from __future__ import annotations

import json
import pickle
import sys
from pathlib import Path

from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from docx_builder import realistic_case_note  # noqa: E402

from sba_lint.cli import main  # noqa: E402
from sba_lint.config import Config  # noqa: E402
from sba_lint.workspace import Workspace, skipped_summary  # noqa: E402


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_detached_result_reports_as_the_full_one(linter, tmp_path):
    path = realistic_case_note(tmp_path / "note.docx")
    from sba_lint.linter import Linter
    from sba_lint.reporters import REPORTERS

    explaining = Linter(explain=True)
    full = explaining.check_file(path)
    plain = full.detached()
    assert plain.document is None and full.document is not None
    assert plain.format == "docx"
    for fmt in ("json", "text"):
        assert REPORTERS[fmt]([plain]) == REPORTERS[fmt]([full])
    assert pickle.loads(pickle.dumps(plain)).to_dict() == full.to_dict()
    # small and plain enough to send to another process: no text, no map of runs
    usual = linter.check_file(path)
    assert len(pickle.dumps(usual.detached())) < len(pickle.dumps(usual)) / 2


def test_linter_cache_is_bounded_and_remembers_redaction(tmp_path):
    ws = Workspace(options={}, max_linters=2)
    configs = [Config(allow=(f"word{i}",)) for i in range(3)] + [Config(redact=True)]
    for c in configs:
        ws.linter(c)
    assert len(ws.cache) == 2
    assert ws.redact  # a configuration let go of still counts


def test_walk_accounts_for_unsupported_files_and_own_copies(tmp_path):
    (tmp_path / "a.txt").write_text("Dad was late to the visit.\n")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "old.wpd").write_bytes(b"WordPerfect")
    (tmp_path / "a.reviewed.docx").write_bytes(b"PK")
    (tmp_path / "a.fixed.docx").write_bytes(b"PK")
    ws = Workspace()
    targets = ws.targets([str(tmp_path)], skipped=True)
    assert [t.path.name for t in targets if not t.skipped] == ["a.txt"]
    assert skipped_summary(targets) == (
        "skipped 4 files: 1 .pdf, 1 .wpd (formats sba-lint does not read; it reads .docx, .md, "
        ".txt); 2 of sba-lint's own copies (*.reviewed.docx, *.fixed.docx)")
    assert [t.path.name for t in ws.targets([str(tmp_path)])] == ["a.txt"]


def test_folder_of_only_unsupported_files_exits_3_naming_them(tmp_path):
    (tmp_path / "one.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "two.pdf").write_bytes(b"%PDF-1.4")
    r = run("check", str(tmp_path))
    assert r.exit_code == 3
    assert "No findings" not in r.output
    assert "nothing was checked: skipped 2 files: 2 .pdf" in r.stderr
    r = run("check", "--format", "json", str(tmp_path))
    assert r.exit_code == 3 and json.loads(r.stdout)["summary"]["files"] == 0


def test_empty_folder_exits_3(tmp_path):
    r = run("check", str(tmp_path))
    assert r.exit_code == 3 and "nothing was checked" in r.stderr


def test_text_report_names_skipped_files_but_json_is_unchanged(tmp_path):
    (tmp_path / "a.txt").write_text("Dad was late to the visit.\n")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    r = run("check", str(tmp_path))
    assert r.exit_code == 0
    assert "No findings in 1 file. Skipped 1 file: 1 .pdf" in r.stdout
    r = run("check", "--format", "json", str(tmp_path))
    assert r.exit_code == 0 and r.stderr == ""
    assert [Path(f["path"]).name for f in json.loads(r.stdout)["files"]] == ["a.txt"]


def test_own_copy_named_on_the_command_line_is_checked(tmp_path):
    (tmp_path / "n.reviewed.docx").write_bytes((realistic_case_note(tmp_path / "n.docx")).read_bytes())
    r = run("check", "--format", "json", str(tmp_path / "n.reviewed.docx"))
    assert json.loads(r.stdout)["files"][0]["findings"]


def test_ctrl_c_exits_130(monkeypatch, tmp_path):
    (tmp_path / "a.txt").write_text("Dad was late.\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    import sba_lint.source

    monkeypatch.setattr(sba_lint.source, "read_path", interrupted)  # while reading a file
    r = run("check", str(tmp_path))
    assert r.exit_code == 130 and "interrupted" in r.stderr
