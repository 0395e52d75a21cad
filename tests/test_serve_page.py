"""The practitioner's page in a real browser (Debian's Chromium, driven by Playwright),
served by the real ``sba-lint serve``: paste a text, see the findings, accept a
suggestion from the keyboard, upload a .docx and download the reviewed copies; no console
errors, no request leaving 127.0.0.1, every control labelled, text contrast AA."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from urllib.parse import urlparse

import pytest

TEXT = "Mum failed to engage with the plan.\nWe will utilise the family centre. Lola enjoys drawing."

CONTRAST = """() => {
  const lum = (c) => { const v = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((x) => {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
  const ground = (el) => { for (; el; el = el.parentElement) {
      const b = getComputedStyle(el).backgroundColor;
      if (b && !b.startsWith("rgba(0, 0, 0, 0)")) return b; } return "rgb(255, 255, 255)"; };
  const seen = [];
  for (const el of document.querySelectorAll("h1, p, label, button, mark a, li, dt, dd, select, textarea")) {
    if (!el.offsetParent || !el.textContent.trim()) continue;
    const a = lum(getComputedStyle(el).color), b = lum(ground(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    seen.push([el.tagName + "#" + el.id + "." + el.className, ratio]);
  }
  return seen;
}"""


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
                None)


def _docx(path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("Mum failed to engage.")
    d.add_paragraph("We will utilise the plan.")
    d.save(path)


def test_the_page_in_chromium(served, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("needs Chromium (Debian package chromium)")
    _docx(tmp_path / "visit.docx")
    console: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            context = browser.new_context(accept_downloads=True, viewport={"width": 1000, "height": 1300})
            page = context.new_page()
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(served.url, wait_until="load")
            assert page.title() == "Check your writing"

            # every control has a label; the keyboard reaches them in reading order
            unlabelled = page.eval_on_selector_all(
                "input, select, textarea", "els => els.filter(e => !e.labels.length).map(e => e.id)")
            assert unlabelled == []
            order = []
            for _ in range(5):
                page.keyboard.press("Tab")
                order.append(page.evaluate("document.activeElement.id || document.activeElement.className"))
            assert order == ["skip", "doctype", "text", "file", "check"]

            # paste, choose the document type, check (keyboard only)
            page.get_by_label("Type of document").select_option("letter")
            page.get_by_label("Your text", exact=True).fill(TEXT)
            page.get_by_role("button", name="Check", exact=True).focus()
            page.keyboard.press("Enter")
            page.wait_for_selector("#findings li")
            assert page.evaluate("document.activeElement.id") == "results-title"
            marked = page.locator("#marked mark").all_inner_texts()
            assert "failed to engage" in " ".join(marked) and "utilise" in marked
            findings = page.locator("#findings").inner_text()
            assert "What to do:" in findings
            stats = page.locator("#stats").inner_text()
            assert "Reading age" in stats and "What is going well" in stats
            shot = os.environ.get("SBA_LINT_PAGE_SCREENSHOT")
            if shot:  # docs/images/serve-page.png is made this way
                page.screenshot(path=shot, full_page=True)

            # accept a suggestion with one key press
            use = page.get_by_role("button", name=re.compile("^Use “use” instead of “utilise”"))
            use.focus()
            page.keyboard.press("Enter")
            sync_api.expect(page.locator("#status")).to_contain_text("Changed", timeout=20000)
            text = page.get_by_label("Your text", exact=True).input_value()
            assert "We will use the family centre." in text
            assert "utilise" not in page.locator("#marked mark").all_inner_texts()

            ratios = page.evaluate(CONTRAST)
            low = [(what, round(r, 2)) for what, r in ratios if r < 4.5]
            assert ratios and low == []

            # a Word document: check it, download both copies
            page.set_input_files("#file", str(tmp_path / "visit.docx"))
            page.get_by_role("button", name="Check", exact=True).click()
            page.wait_for_selector("#downloads:not([hidden])")
            assert page.locator("#marked").inner_text().startswith("Mum failed to engage.")
            copies = {}
            for label in ("Download with comments", "Download with changes to accept or reject"):
                with page.expect_download() as info:
                    page.get_by_role("button", name=label).click()
                download = info.value
                copies[download.suggested_filename] = open(download.path(), "rb").read()
        finally:
            browser.close()
    assert set(copies) == {"visit.reviewed.docx", "visit.fixed.docx"}
    with zipfile.ZipFile(io.BytesIO(copies["visit.reviewed.docx"])) as z:
        assert "failed to engage" in z.read("word/comments.xml").decode()
    with zipfile.ZipFile(io.BytesIO(copies["visit.fixed.docx"])) as z:
        assert "<w:ins " in z.read("word/document.xml").decode()
    assert console == []
    outside = [u for u in requests if not u.startswith("blob:") and urlparse(u).hostname != "127.0.0.1"]
    assert requests and outside == []
