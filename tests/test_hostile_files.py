"""Hostile files and output traps: an output never replaces an input, a link or a device;
``--in-place`` writes through links; only regular files are read; configuration found by
the search cannot be planted by someone else."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx_builder import sample_docx

from sba_lint import config as config_module
from sba_lint.cli import main

NOTE = "Mum failed to engage.\nWe will utilise the plan.\n"


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(stderr: str, *words: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    for w in words:
        assert w in lines[0], (w, lines[0])


@pytest.fixture
def note(tmp_path):
    p = tmp_path / "visit.txt"
    p.write_text(NOTE)
    return p


# -- outputs ------------------------------------------------------------------------
def test_check_report_never_overwrites_its_input(note):
    before = digest(note)
    r = run("check", "-o", note, note)
    assert r.exit_code == 2
    one_error_line(r.stderr, str(note), "is the input file")
    assert digest(note) == before


def test_check_report_never_overwrites_a_file_of_a_checked_folder(note, tmp_path):
    before = digest(note)
    r = run("check", "-o", note, tmp_path)
    assert r.exit_code == 2 and "is the input file" in r.stderr
    assert digest(note) == before


def test_an_input_by_another_name_is_still_the_input(note, tmp_path):
    other = tmp_path / "other.txt"
    os.link(note, other)
    link = tmp_path / "link.txt"
    link.symlink_to(note)
    before = digest(note)
    assert run("check", "-o", other, note).exit_code == 2
    assert run("check", "-o", link, note).exit_code == 2
    assert run("fix", "-o", other, note).exit_code == 2
    assert digest(note) == before and link.is_symlink()


def test_check_report_onto_a_symlink_is_refused(note, tmp_path):
    target = tmp_path / "keep.log"
    target.write_text("precious\n")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    r = run("check", "-o", link, note)
    assert r.exit_code == 2
    one_error_line(r.stderr, str(link), "symbolic link")
    assert link.is_symlink() and target.read_text() == "precious\n"


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_word_copy_onto_a_pipe_or_device_is_refused(tmp_path, command):
    src = sample_docx(tmp_path / "case.docx")
    before = digest(src)
    fifo = tmp_path / "out.docx"
    os.mkfifo(fifo)
    r = run(command, src, "-o", fifo)
    assert r.exit_code == 2
    one_error_line(r.stderr, str(fifo), "not a regular file")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and digest(src) == before
    device = tmp_path / "null.docx"
    try:
        os.mknod(device, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except (PermissionError, OSError):
        return  # not root: no device node to try
    r = run(command, src, "-o", device)
    assert r.exit_code == 2 and "not a regular file" in r.stderr
    assert stat.S_ISCHR(os.lstat(device).st_mode)


def test_word_copy_onto_a_symlink_is_refused(tmp_path):
    src = sample_docx(tmp_path / "case.docx")
    target = tmp_path / "elsewhere.docx"
    target.write_bytes(b"not mine")
    link = tmp_path / "case.reviewed.docx"
    link.symlink_to(target)
    r = run("annotate", src)
    assert r.exit_code == 2 and "symbolic link" in r.stderr
    assert link.is_symlink() and target.read_bytes() == b"not mine"


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_word_copy_needs_a_docx_name(tmp_path, command):
    src = sample_docx(tmp_path / "case.docx")
    r = run(command, src, "-o", tmp_path / "copy")
    assert r.exit_code == 2
    one_error_line(r.stderr, str(tmp_path / "copy"), ".docx")
    assert "unsupported format" not in r.stderr
    assert not (tmp_path / "copy").exists()


def test_fix_in_place_writes_through_a_symlink(note, tmp_path):
    link = tmp_path / "shortcut.txt"
    link.symlink_to(note.name)
    r = run("fix", "--in-place", link)
    assert r.exit_code == 0, r.output
    assert link.is_symlink() and os.readlink(link) == note.name
    assert "We will use the plan." in note.read_text()


def test_fix_in_place_keeps_hard_links(note, tmp_path):
    twin = tmp_path / "twin.txt"
    os.link(note, twin)
    mode = note.stat().st_mode
    r = run("fix", "--in-place", note)
    assert r.exit_code == 0, r.output
    assert os.path.samefile(note, twin) and note.stat().st_nlink == 2
    assert "We will use the plan." in twin.read_text()
    assert note.stat().st_mode == mode


def test_fix_in_place_keeps_the_encoding_and_mode(tmp_path):
    p = tmp_path / "win.txt"
    p.write_bytes(b"\xef\xbb\xbfWe will utilise the plan.\r\n")
    p.chmod(0o640)
    assert run("fix", "--in-place", p).exit_code == 0
    assert p.read_bytes() == b"\xef\xbb\xbfWe will use the plan.\r\n"
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


# -- special files as inputs ----------------------------------------------------------
def _cli(*args, input=b"", timeout=60):
    return subprocess.run([sys.executable, "-m", "sba_lint", *map(str, args)], input=input,
                          capture_output=True, timeout=timeout)


def test_pipes_and_devices_are_skipped_never_read(tmp_path, note):
    """A FIFO named .txt or .docx (in a folder, on the command line, behind a link) and
    /dev/zero behind a .docx link: one line each, exit 3, the real note still checked."""
    folder = tmp_path
    os.mkfifo(folder / "x.txt")
    os.mkfifo(folder / "x.docx")
    (folder / "zero.docx").symlink_to("/dev/zero")
    (folder / "pipe-link.md").symlink_to(folder / "x.txt")
    r = _cli("check", "--format", "json", folder, folder / "x.docx")
    assert r.returncode == 3, r.stderr
    err = r.stderr.decode()
    assert "Traceback" not in err
    for name in ("x.txt", "x.docx", "zero.docx", "pipe-link.md"):
        assert any(name in line and "not a regular file" in line for line in err.splitlines()), err
    assert b"visit.txt" in r.stdout and b"blame.failed-to-engage" in r.stdout


# -- configuration search -------------------------------------------------------------
@pytest.fixture
def planted(tmp_path):
    """A shared folder with a config that would switch the checker off, and a project
    below it with a note."""
    shared = tmp_path / "shared"
    project = shared / "work"
    project.mkdir(parents=True)
    (shared / "sba-lint.toml").write_text('fail-on = "never"\nignore = ["blame"]\n')
    (project / "visit.txt").write_text(NOTE)
    config_module.find.cache_clear()
    config_module._warned.clear()
    yield shared
    config_module.find.cache_clear()


def test_config_others_may_write_is_ignored_with_a_warning(planted):
    (planted / "sba-lint.toml").chmod(0o666)
    r = run("check", planted / "work" / "visit.txt")
    assert r.exit_code == 1 and "blame.failed-to-engage" in r.stdout
    assert f"warning: {planted / 'sba-lint.toml'}: ignored" in r.stderr
    assert "writable" in r.stderr


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_config_owned_by_another_user_is_ignored(planted):
    os.chown(planted / "sba-lint.toml", 4242, 4242)
    (planted / "sba-lint.toml").chmod(0o644)
    r = run("check", planted / "work" / "visit.txt")
    assert r.exit_code == 1 and "blame.failed-to-engage" in r.stdout
    assert "owned by another user (uid 4242)" in r.stderr
    # --config always wins
    r = run("check", "--config", planted / "sba-lint.toml", planted / "work" / "visit.txt")
    assert r.exit_code == 0 and "blame" not in r.stdout


def test_config_search_stops_at_the_project_root(planted):
    (planted / "sba-lint.toml").chmod(0o644)
    assert run("check", planted / "work" / "visit.txt").exit_code == 0  # found: it is ours
    config_module.find.cache_clear()
    (planted / "work" / ".git").mkdir()
    r = run("check", planted / "work" / "visit.txt")
    assert r.exit_code == 1 and "blame.failed-to-engage" in r.stdout


def test_config_search_stops_at_home(planted, monkeypatch):
    (planted / "sba-lint.toml").chmod(0o644)
    monkeypatch.setenv("HOME", str(planted / "work"))
    r = run("check", planted / "work" / "visit.txt")
    assert r.exit_code == 1 and "blame.failed-to-engage" in r.stdout


def test_pyproject_section_marks_the_root(planted):
    (planted / "sba-lint.toml").chmod(0o644)
    (planted / "work" / "pyproject.toml").write_text('[tool.sba-lint]\nfail-on = "error"\n')
    r = run("check", planted / "work" / "visit.txt")
    assert r.exit_code == 0 and "blame.failed-to-engage" in r.stdout  # found, not ignored


@pytest.mark.parametrize("content, message", [
    ("fail-on = 'never'\n".encode("utf-16"), "is not UTF-8 text"),
    (b"\x00\x01\x02\xff binary", "is not UTF-8 text"),
    (b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
    (b"x = 1\n" * 200_000, "the limit for a configuration file"),
])
def test_bad_config_files_give_one_line(tmp_path, content, message):
    (tmp_path / "sba-lint.toml").write_bytes(content)
    (tmp_path / "visit.txt").write_text(NOTE)
    config_module.find.cache_clear()
    for args in (["check", tmp_path / "visit.txt"],
                 ["check", "--config", tmp_path / "sba-lint.toml", tmp_path / "visit.txt"]):
        r = run(*args)
        assert r.exit_code == 2
        one_error_line(r.stderr, str(tmp_path / "sba-lint.toml"), message)


# -- standard streams and file names --------------------------------------------------
def test_stdin_closed_or_endless(tmp_path):
    r = subprocess.run([sys.executable, "-m", "sba_lint", "check", "-"], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
    assert r.returncode == 3 and b"is empty" in r.stderr  # nothing there: said so
    closed = subprocess.run(f"'{sys.executable}' -m sba_lint check - <&-", shell=True,
                            capture_output=True, timeout=60)
    assert closed.returncode == 3
    one_error_line(closed.stderr.decode(), "standard input is closed")
    endless = _cli("check", "--limit", "file-mb=1", "-", input=b"\0" * (3 * 1024 * 1024))
    assert endless.returncode == 3
    one_error_line(endless.stderr.decode(), "standard input gives more than 1 MiB", "file-mb")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
def test_stdout_on_a_full_disk(note):
    with open("/dev/full", "wb") as full:
        r = subprocess.run([sys.executable, "-m", "sba_lint", "check", str(note)], stdout=full,
                           stderr=subprocess.PIPE, timeout=60)
    assert r.returncode == 2
    one_error_line(r.stderr.decode(), "cannot write to standard output", "No space left")


def test_stdout_a_closed_pipe(note):
    p = subprocess.Popen([sys.executable, "-m", "sba_lint", "check", "--format", "json", str(note)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.close()
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 2
    one_error_line(err, "cannot write to standard output")


def test_names_that_are_not_utf8_or_hold_a_line_break(tmp_path):
    import json

    folder = tmp_path / "names"
    folder.mkdir()
    (Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt"))).write_text(NOTE)
    (folder / "two\nlines.txt").write_text(NOTE)
    r = run("check", "--format", "json", folder)
    paths = sorted(f["path"] for f in json.loads(r.stdout)["files"])
    assert paths == [f"{folder}/caf\\xe9.txt", f"{folder}/two\\nlines.txt"]
    text = run("check", folder).stdout
    assert f"{folder}/two\\nlines.txt:1:5  blame.failed-to-engage" in text
    assert f"{folder}/caf\\xe9.txt:1:5  blame.failed-to-engage" in text


def test_cr_only_lines_are_counted(linter):
    r = linter.check_bytes(b"Hello there.\rMum failed to engage.\r", path="old-mac.txt")
    assert [(f.line, f.column) for f in r.findings] == [(2, 5)]
