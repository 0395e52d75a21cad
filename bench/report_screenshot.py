"""The README's picture of an audit report (docs/images/audit-report.png), made as a person
would see it: the bench corpus audited, then audited again after the east team's text
notes were reworded (so the second audit has a baseline that differs), and the report
opened in headless Chromium (Debian's, driven by Playwright, as the tests open it).

    python bench/report_screenshot.py [--out docs/images/audit-report.png] [--files 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import corpus  # noqa: I001  (bench/corpus.py, beside this file)

#: wording the east team changed between the two audits (their text and Markdown notes)
REWORDED = {"failed to engage with": "has not yet joined", "kicked off": "was upset",
            "was aggressive towards": "shouted at"}


def reword(folder: Path) -> int:
    """Reword the east team's text notes, keeping each file's modification time (its month)."""
    changed = 0
    for path in sorted((folder / "east").rglob("*")):
        if path.suffix not in (".txt", ".md"):
            continue
        encoding = "cp1252" if path.name.startswith("notepad") else "utf-8"
        text = path.read_bytes().decode(encoding)
        new = text
        for old, replacement in REWORDED.items():
            new = new.replace(old, replacement)
        if new != text:
            stat = path.stat()
            path.write_bytes(new.encode(encoding))
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            changed += 1
    return changed


def audit(folder: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "sba_lint", "audit", str(folder), "--out", str(out),
                    "--no-progress"], check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("docs/images/audit-report.png"))
    ap.add_argument("--files", type=int, default=1000)
    a = ap.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="sba-report-shot-"))
    try:
        corpus.build(work / "cases", a.files)
        audit(work / "cases", work / "audit")
        print("reworded", reword(work / "cases"), "east notes")
        audit(work / "cases", work / "audit")
        browser_path = next(p for p in map(shutil.which, ("chromium", "chromium-browser")) if p)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.goto((work / "audit" / "report.html").resolve().as_uri(), wait_until="load")
            # from the top to the end of the table by group
            bottom = page.eval_on_selector("#groups ~ table", "t => t.getBoundingClientRect().bottom")
            page.screenshot(path=str(a.out), full_page=True,
                            clip={"x": 0, "y": 0, "width": 1000, "height": bottom + 24})
            browser.close()
        print("wrote", a.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
