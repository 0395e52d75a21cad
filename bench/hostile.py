"""The hostile-input battery (issue 10): each case in its own process, with a time limit
and a memory cap, its exit code, time and peak memory against what it should be.

    python bench/hostile.py              # every case (a few minutes on 2 cores)
    python bench/hostile.py dots zip     # the cases whose names contain these words

Cases make their own inputs in a temporary folder (about 250 MB at the largest) and
remove them afterwards.  A case passes when its exit code is the expected one, it ends
before its time limit, its peak memory is under the cap, it printed no traceback, every
error is one line naming the file, and the inputs are byte-identical afterwards.
"""

from __future__ import annotations

import hashlib
import io
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CAP = 2 * 1024 ** 3  # bytes of address space a case may use
SBA = [sys.executable, "-m", "sba_lint"]
TIME = shutil.which("time") if Path("/usr/bin/time").exists() else None


@dataclass
class Case:
    name: str
    make: Callable[[Path], list[str]]  # builds inputs, returns the command's arguments
    codes: tuple[int, ...]
    timeout: int = 180
    stdin: Callable[[Path], bytes | None] | str | None = None
    say: str = ""  # words the error line must hold
    keep: list[str] = field(default_factory=list)  # inputs that must stay byte-identical


def _write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("placeholder")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                start = data.index(b"<w:p>")
                end = data.index(b"</w:p>") + len(b"</w:p>")
                data = data[:start] + body + data[end:]
            z.writestr(info.filename, data)
    return out.getvalue()


def _zip_bomb(path: Path) -> Path:
    """``word/document.xml`` inflating to 3 GiB, written in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b"<w:document>")
            chunk = b" " * (64 * 1024 * 1024)
            for _ in range(48):
                fh.write(chunk)
    return path


def _pack(path: Path, body: str) -> Path:
    return _write(path, "pack: hostile\ncategory: plain\nrules:\n" + body)


_RULE = ("  - id: r{0}\n    kind: phrase\n    message: M.\n    phrases: [w{0}]\n"
         "    examples: {{flag: ['[[w{0}]]']}}\n")


def cases() -> list[Case]:
    note = "Mum failed to engage.\n"
    out: list[Case] = [
        # -- hangs --
        Case("dots-200k-line", lambda d: [str(_write(d / "dots.txt", "." * 200_000))], (0,)),
        Case("letters-10mb-line", lambda d: [str(_write(d / "a.txt", "a" * 10_000_000))], (0,)),
        Case("dots-10mb-line", lambda d: [str(_write(d / "d.txt", "." * 10_000_000))], (0,)),
        Case("md-backtick-ladder", lambda d: [str(_write(
            d / "ladder.md", "".join("`" * i + "a" for i in range(1, 3000))))], (0,)),
        Case("md-link-bracket-storm", lambda d: [str(_write(
            d / "storm.md", "[" * 100_000 + "a" + "](" * 100_000))], (0,)),
        Case("md-unterminated-front-matter-10mb", lambda d: [str(_write(
            d / "fm.md", "---\n" + "a: b\n" * 2_000_000))], (0,)),
        Case("unterminated-disable-directive", lambda d: [str(_write(
            d / "dis.txt", "Hello. <!-- sba-lint: disable=blame" + " " * 200_000))], (0,)),
        Case("annotate-200k-paragraphs", lambda d: ["annotate", str(_write(
            d / "many.docx", _docx([f"Line {i}: Mum failed to engage." if i % 10 == 0
                                    else f"Short line {i}." for i in range(200_000)]))),
            "-o", str(d / "many.reviewed.docx")], (0, 3), timeout=300),
        Case("fifo-in-folder-and-argument", lambda d: _fifos(d), (3,), say="not a regular file"),
        Case("pack-regex-backtracking", lambda d: ["rules", "list", "--rules", str(_pack(
            d / "slow.yml", "  - id: slow\n    kind: pattern\n    message: M.\n    patterns: "
            "[[{LOWER: a}, {TEXT: {REGEX: '(a+)+$'}}]]\n    examples: {flag: ['[[a aaa]]']}\n"))],
            (2,), say="REGEX"),
        Case("pack-100000-rules", lambda d: ["rules", "list", "--rules", str(_pack(
            d / "big.yml", "".join(_RULE.format(i) for i in range(100_000))))], (2,),
            say=" limit"),
        # -- crashes --
        Case("transcript-2mb-unpunctuated", lambda d: [str(_write(
            d / "t.txt", "and then mum said she would come to the meeting with the worker and "
            * 30_000))], (0, 1, 3), timeout=240),
        Case("paragraph-3mb", lambda d: [str(_write(
            d / "p.txt", " ".join(["the child is well and happy at school"] * 80_000)))], (0, 1)),
        Case("md-table-5mb", lambda d: [str(_write(d / "table.md", "| a | b | c |\n|---|---|---|\n"
                                                    + "| one | two | three |\n" * 240_000))], (0, 1)),
        Case("text-100mb", lambda d: [str(_write(d / "huge.txt", "Tom made tea. " * 7_500_000))],
             (3,), say="file-mb"),
        Case("million-short-lines", lambda d: [str(_write(d / "lines.txt", "a\n" * 1_000_000))], (0,)),
        Case("dev-zero-via-docx-link", lambda d: [str(_link(d / "z.docx", "/dev/zero")),
                                                  str(_link(d / "u.docx", "/dev/urandom"))],
             (3,), say="not a regular file"),
        Case("dev-zero-piped-to-stdin", lambda d: ["-"], (3,), stdin="/dev/zero", say="file-mb"),
        Case("pack-billion-laughs", lambda d: ["rules", "list", "--rules", str(_write(
            d / "lol.yml", "\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [
                f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)])
            + "\npack: p\ncategory: plain\nrules: []\n"))], (2,), say="values"),
        Case("pack-sparse-3gib", lambda d: ["rules", "list", "--rules", str(_sparse(d / "s.yml"))],
             (2,), say="pack-kb"),
        Case("config-sparse-3gib", lambda d: _in_project(d, _sparse(d / "sba-lint.toml")), (2,),
             say="configuration file"),
        Case("zip-bomb-3gib-part", lambda d: [str(_zip_bomb(d / "bomb.docx"))], (3,), timeout=240,
             say="part-mb"),
        Case("pack-deeply-nested", lambda d: ["rules", "list", "--rules", str(_pack(
            d / "deep.yml", "  []\nextra: " + "[" * 100_000 + "]" * 100_000 + "\n"))], (2,),
            say="pack-depth"),
        Case("config-deep", lambda d: _in_project(d, _write(
            d / "sba-lint.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n")), (2,), say="deeply"),
        Case("config-binary", lambda d: _in_project(d, _write(d / "sba-lint.toml", os.urandom(4096))),
             (2,), say="sba-lint.toml"),
        Case("pyproject-utf16", lambda d: _in_project(d, _write(
            d / "pyproject.toml", "[tool.sba-lint]\nfail-on = 'never'\n".encode("utf-16"))),
            (2,), say="UTF-8"),
        Case("annotate-non-numeric-comment-ids", lambda d: ["annotate", str(_odd_ids(d)), "-o",
                                                            str(d / "odd.reviewed.docx")], (0,)),
        Case("fix-non-numeric-comment-ids", lambda d: ["fix", str(_odd_ids(d)), "-o",
                                                       str(d / "odd.fixed.docx")], (0,)),
        Case("stdin-closed", lambda d: ["-"], (3,), stdin="closed", say="closed"),
        Case("stdout-full-disk", lambda d: [str(_write(d / "v.txt", note))], (2,),
             stdin="full", say="standard output"),
        Case("name-not-utf8-and-newline", lambda d: ["--format", "json", str(_odd_names(d))], (1,)),
        # -- data loss and wrong writes --
        Case("check-report-onto-its-input", lambda d: ["check", "-o", str(d / "visit.txt"),
                                                       str(_write(d / "visit.txt", note))],
             (2,), say="input file", keep=["visit.txt"]),
        Case("annotate-onto-a-device", lambda d: _device(d), (2,), say="not a regular file",
             keep=["case.docx"]),
        Case("annotate-without-docx-suffix", lambda d: ["annotate", str(_write(
            d / "case.docx", _docx(["Mum failed to engage."]))), "-o", str(d / "copy")], (2,),
            say=".docx", keep=["case.docx"]),
        Case("config-planted-in-tmp", lambda d: _planted(d), (1,), say="ignored"),
    ]
    return out


def _fifos(d: Path) -> list[str]:
    folder = d / "folder"
    folder.mkdir()
    os.mkfifo(folder / "x.txt")
    os.mkfifo(d / "x.docx")
    _write(folder / "visit.txt", "Tom made tea.\n")
    return [str(folder), str(d / "x.docx")]


def _link(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def _sparse(path: Path) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(3 * 1024 ** 3)
    return path


def _in_project(d: Path, _config: Path) -> list[str]:
    (d / ".git").mkdir(exist_ok=True)
    return [str(_write(d / "visit.txt", "Tom made tea.\n"))]


def _odd_ids(d: Path) -> Path:
    import docx

    path = d / "odd.docx"
    doc = docx.Document()
    p = doc.add_paragraph("Mum failed to engage. We will utilise the plan.")
    doc.add_comment(p.runs, text="Check this", author="Team Manager", initials="TM")
    doc.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data.replace(b'w:id="0"', b'w:id="note-a"'))
    return path


def _odd_names(d: Path) -> Path:
    folder = d / "names"
    folder.mkdir()
    _write(Path(os.fsdecode(bytes(folder) + b"/caf\xe9.txt")), "Mum failed to engage.\n")
    _write(folder / "two\nlines.txt", "Mum failed to engage.\n")
    return folder


def _device(d: Path) -> list[str]:
    _write(d / "case.docx", _docx(["Mum failed to engage."]))
    device = d / "out.docx"
    try:
        os.mknod(device, 0o020600, os.makedev(1, 3))
    except OSError:
        os.mkfifo(device)
    return ["annotate", str(d / "case.docx"), "-o", str(device)]


def _planted(d: Path) -> list[str]:
    shared = d / "shared"
    (shared / "work").mkdir(parents=True)
    cfg = _write(shared / "sba-lint.toml", 'fail-on = "never"\nignore = ["blame"]\n')
    os.chmod(cfg, 0o666)
    if os.getuid() == 0:
        os.chown(cfg, 4242, 4242)
    return [str(_write(shared / "work" / "visit.txt", "Mum failed to engage.\n"))]


def _digests(folder: Path, names: list[str]) -> dict[str, str]:
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def run(case: Case, root: Path) -> tuple[bool, str]:
    folder = root / case.name
    folder.mkdir()
    args = case.make(folder)
    if args and args[0] not in ("check", "annotate", "fix", "rules"):
        args = ["check", *args]
    before = _digests(folder, case.keep)
    stdin: int | None = subprocess.DEVNULL
    stdout: int | None = subprocess.PIPE
    opened = []
    if case.stdin == "/dev/zero":
        stdin = os.open("/dev/zero", os.O_RDONLY)
        opened.append(stdin)
    elif case.stdin == "closed":
        stdin = None
    elif case.stdin == "full":
        stdout = os.open("/dev/full", os.O_WRONLY)
        opened.append(stdout)
    started = time.monotonic()
    command = SBA + args
    if case.stdin == "closed":  # the child starts with no standard input at all
        command = ["/bin/sh", "-c", 'exec "$@" <&-', "sh", *command]
    if TIME:  # GNU time reports the case's own peak memory
        command = [TIME, "-f", "sba-peak-kib %M", *command]
    proc = subprocess.Popen(command, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE,
                            preexec_fn=_limit, start_new_session=True)
    try:
        _, err = proc.communicate(timeout=case.timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        _, err = proc.communicate()
        timed_out = True
    seconds = time.monotonic() - started
    for fd in opened:
        os.close(fd)
    text = err.decode("utf-8", "replace")
    peaks = [int(line.split()[1]) * 1024 for line in text.splitlines()
             if line.startswith("sba-peak-kib ")]
    peak = peaks[-1] if peaks else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    lines = [line for line in text.splitlines() if line.startswith("sba-lint: ")]
    problems = []
    if timed_out:
        problems.append(f"no answer in {case.timeout}s")
    elif proc.returncode not in case.codes:
        problems.append(f"exit {proc.returncode}, wanted {case.codes}")
    if "Traceback" in text or "MemoryError" in text:
        problems.append("traceback")
    if peak >= CAP:
        problems.append("memory over the cap")
    if case.say and not any(case.say in line for line in lines):
        problems.append(f"no line saying '{case.say}'")
    if _digests(folder, case.keep) != before:
        problems.append("an input changed")
    shutil.rmtree(folder, ignore_errors=True)
    first = lines[0][:110] if lines else ""
    report = (f"{'ok  ' if not problems else 'FAIL'} {case.name:<36} exit {proc.returncode!s:>4} "
              f"{seconds:6.1f}s  peak≤{peak / 2**20:5.0f} MiB  {'; '.join(problems) or first}")
    return not problems, report


def main(argv: list[str]) -> int:
    wanted = [w.lower() for w in argv]
    chosen = [c for c in cases() if not wanted or any(w in c.name for w in wanted)]
    root = Path(tempfile.mkdtemp(prefix="sba-hostile-"))
    try:
        results = []
        for case in chosen:
            ok, report = run(case, root)
            print(report, flush=True)
            results.append(ok)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
