"""What councils wrote over twenty years: Windows-1252 text, and .doc, .rtf and .odt read
through LibreOffice (when it is installed; listed as skipped, with the reason, when not)."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))

from docx_builder import realistic_case_note  # noqa: E402

from sba_lint import source  # noqa: E402
from sba_lint.cli import main  # noqa: E402
from sba_lint.errors import InputError  # noqa: E402
from sba_lint.source import legacy  # noqa: E402

NOTEPAD = "Mum failed to engage with the café group; the bus cost £3 – “too much”, she said.\r\n"
needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_windows_1252_text_is_read_and_its_encoding_recorded(linter):
    result = linter.check_bytes(NOTEPAD.encode("cp1252"), path="note.txt")
    assert result.error is None and result.encoding == "cp1252"
    assert any(f.match.startswith("failed to engage") for f in result.findings)
    assert linter.check_bytes(NOTEPAD.encode("utf-8"), path="n.txt").encoding == "utf-8"
    assert linter.check_bytes(b"\xef\xbb\xbf" + NOTEPAD.encode(), path="n.md").encoding == "utf-8-sig"


def test_another_code_page_is_refused_not_garbled():
    cyrillic = "Мама пришла на встречу вовремя и принесла документы.\n".encode("cp1251")
    with pytest.raises(InputError, match="is not valid UTF-8"):
        source.read_bytes(cyrillic, "note.txt")


def test_fix_in_place_keeps_windows_1252(tmp_path):
    note = tmp_path / "note.txt"
    note.write_bytes("We will utilise the café on Fridays – £2.\r\n".encode("cp1252"))
    r = run("fix", "--in-place", str(note))
    assert r.exit_code == 0, r.output
    assert note.read_bytes() == "We will use the café on Fridays – £2.\r\n".encode("cp1252")


def test_audit_records_each_files_encoding(tmp_path):
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "ansi.txt").write_bytes(NOTEPAD.encode("cp1252"))
    (tmp_path / "cases" / "utf8.md").write_text("Dad was late to the visit.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("audit", str(tmp_path / "cases"), "--out", str(out), "-j", "1").exit_code == 0
    assert {Path(f["file"]).name: f["encoding"] for f in rows(out / "files.csv")} == \
        {"ansi.txt": "cp1252", "utf8.md": "utf-8"}
    assert json.loads((out / "summary.json").read_text())["encodings"] == {"cp1252": 1, "utf-8": 1}


RTF = (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}}\\f0 Mum failed to engage with the plan."
       b"\\par Gran enjoys the garden.\\par}")


@pytest.fixture(scope="module")
def old_files(tmp_path_factory) -> Path:
    """A folder of a .rtf written by hand and a .doc LibreOffice made from a Word file."""
    folder = tmp_path_factory.mktemp("archive")
    (folder / "note.rtf").write_bytes(RTF)
    if shutil.which("soffice"):
        work = tmp_path_factory.mktemp("make")
        realistic_case_note(work / "visit.docx", pages=2)
        subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                        "--convert-to", "doc", "--outdir", str(folder), str(work / "visit.docx")],
                       capture_output=True, timeout=180, check=True)
    return folder


@needs_libreoffice
def test_rtf_and_doc_are_read_through_libreoffice_writing_nothing_beside_them(old_files):
    before = sorted(p.name for p in old_files.iterdir())
    r = run("check", "--format", "json", "--exit-zero", str(old_files))
    assert r.exit_code == 0, r.output
    files = {Path(f["path"]).name: f for f in json.loads(r.stdout)["files"]}
    assert set(files) == {"note.rtf", "visit.doc"}
    assert any(f["match"].startswith("failed to engage") for f in files["note.rtf"]["findings"])
    assert files["visit.doc"]["words"] > 300 and files["visit.doc"]["findings"]
    assert sorted(p.name for p in old_files.iterdir()) == before


def test_without_libreoffice_old_formats_are_skipped_with_the_reason(old_files, tmp_path, monkeypatch):
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "note.rtf").write_bytes(RTF)
    (tmp_path / "cases" / "a.txt").write_text("Dad was late to the visit.\n")
    r = run("check", str(tmp_path / "cases"))
    assert r.exit_code == 0
    assert "Skipped 1 file: 1 .rtf (needs LibreOffice (soffice) to be read, and it is not installed)" \
        in r.stdout
    r = run("check", str(tmp_path / "cases" / "note.rtf"))
    assert r.exit_code == 3
    assert "note.rtf: is a .rtf file, which needs LibreOffice (soffice) to be read" in r.stderr
    out = tmp_path / "out"
    assert run("audit", str(tmp_path / "cases"), "--out", str(out), "-j", "1").exit_code == 0
    skipped = [f for f in rows(out / "files.csv") if f["status"] == "skipped"]
    assert [(Path(f["file"]).name, f["reason"]) for f in skipped] == \
        [("note.rtf", "needs LibreOffice (soffice) to be read, and it is not installed")]


def _big_rtf(paragraphs: int) -> bytes:
    """An RTF that LibreOffice takes a few seconds to convert."""
    body = "\\par ".join(f"Mum failed to engage with the plan on day {i}, as the worker noted."
                         for i in range(paragraphs))
    return ("{\\rtf1\\ansi " + body + "}").encode()


def _office_on(folder: Path) -> list[int]:
    """This user's processes running LibreOffice on a profile under ``folder``."""
    found = []
    mark = f"-env:UserInstallation={folder.as_uri()}/".encode()
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as fh:
                if any(a.startswith(mark) for a in fh.read().split(b"\0")):
                    found.append(int(name))
        except OSError:
            continue
    return found


def _wait_for_office(folder: Path, seconds: float = 60) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        running = _office_on(folder)
        if running:
            return running
        time.sleep(0.05)
    raise AssertionError(f"LibreOffice never ran on a profile under {folder}")


def _wait_until(check, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@needs_libreoffice
@linux_only
def test_a_process_killed_while_converting_leaves_what_sweep_removes(tmp_path):
    """A process killed (as the out-of-memory killer does) while LibreOffice converts for
    it leaves its profile and conversion folders, and LibreOffice running on them; the next
    sweep ends that LibreOffice and removes both folders, and leaves a live process's alone."""
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "big.rtf").write_bytes(_big_rtf(20_000))
    code = ("import sys; from sba_lint.source import legacy; legacy.set_root(sys.argv[1]); "
            "legacy.to_docx(open(sys.argv[2], 'rb').read(), 'big.rtf', 120, 1 << 30)")
    child = subprocess.Popen([sys.executable, "-c", code, str(root), str(tmp_path / "big.rtf")])
    try:
        _wait_for_office(root)
    finally:
        child.kill()
        child.wait()
    left = sorted(p.name for p in root.iterdir())
    assert [n.split("-")[2] for n in left] == ["convert", "office"]
    assert all(f"-{child.pid}-" in n for n in left)
    alive = root / f"sba-lint-office-{os.getpid()}-mine"  # this process's: not stale
    alive.mkdir()
    assert _office_on(root)  # LibreOffice outlived the process it converted for
    removed = legacy.sweep(str(root))
    assert sorted(Path(p).name for p in removed) == left
    assert [p.name for p in root.iterdir()] == [alive.name]
    assert _wait_until(lambda: not _office_on(root))


@needs_libreoffice
@linux_only
def test_an_audit_whose_worker_is_killed_while_converting_leaves_no_folder_behind(tmp_path):
    """An audit's worker killed while LibreOffice converts a file for it: the audit checks
    that file again (alone, in a new worker), finishes, and leaves nothing in the temporary
    folder and no LibreOffice running."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "old.rtf").write_bytes(_big_rtf(5_000))
    (cases / "a.txt").write_text("Dad was late to the visit.\n")
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    audit = subprocess.Popen([sys.executable, "-m", "sba_lint", "audit", str(cases), "--out",
                              str(tmp_path / "out"), "-j", "1", "--no-progress"],
                             env={**os.environ, "TMPDIR": str(tmp)}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_office(tmp)
        [private] = list(tmp.iterdir())  # the audit's own folder
        assert private.name.startswith("sba-lint-audit-")
        [profile] = [p for p in private.iterdir() if p.name.startswith("sba-lint-office-")]
        os.kill(int(profile.name.split("-")[3]), signal.SIGKILL)  # the worker that converts
        out, err = audit.communicate(timeout=240)
    finally:
        if audit.poll() is None:
            audit.kill()
            audit.wait()
    assert audit.returncode == 0, err
    assert {Path(f["file"]).name: f["status"] for f in rows(tmp_path / "out" / "files.csv")} == \
        {"old.rtf": "checked", "a.txt": "checked"}
    assert list(tmp.iterdir()) == []
    assert _wait_until(lambda: not _office_on(tmp))
