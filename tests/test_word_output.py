"""annotate and fix on Word documents: comments anchored on exactly the flagged words,
fixes as tracked changes that accept to the fixed text and reject to the original, and
the rest of the document (existing comments, tracked changes, formatting) untouched."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter

import docx
import pytest
from click.testing import CliRunner
from docx_builder import add_text_box, realistic_case_note, sample_docx, text_box_docx
from word_reading import accept_all, anchored, comments, fallback_only, in_text_box, part, q, reject_all

from sba_lint.cli import main
from sba_lint.fixes import plan
from sba_lint.fixes import text as text_fixes
from sba_lint.source import read_bytes

AUTHOR = "sba-lint"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def long_note(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long")
    return realistic_case_note(folder / "case-note.docx")


@pytest.fixture(scope="module")
def reviewed(long_note, linter):
    out = long_note.with_name("case-note.reviewed.docx")
    r = run("annotate", long_note, "-o", out, "--summary")
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def fixed(long_note):
    out = long_note.with_name("case-note.fixed.docx")
    r = run("fix", long_note, "-o", out)
    assert r.exit_code == 0, r.output
    return out


def text_of(data: bytes) -> str:
    return read_bytes(data, "x.docx").text


def test_annotated_text_is_exactly_the_original(long_note, reviewed):
    before, after = long_note.read_bytes(), reviewed.read_bytes()
    assert text_of(after) == text_of(before)
    paras = [p.text for p in docx.Document(str(long_note)).paragraphs]
    assert [p.text for p in docx.Document(str(reviewed)).paragraphs] == paras


def test_each_comment_is_anchored_on_exactly_the_flagged_words(long_note, reviewed, linter):
    result = linter.check_bytes(long_note.read_bytes(), path="case-note.docx")
    in_body = [f for f in result.findings if f.origin.get("part") == "body"]
    notes = comments(reviewed.read_bytes())
    ours = {cid: c for cid, c in notes.items() if c["author"] == AUTHOR}
    spans = anchored(reviewed.read_bytes())
    per_finding = [cid for cid in ours if not ours[cid]["text"].startswith("sba-lint review")]
    anchored_words = Counter(spans[cid] for cid in per_finding)
    assert anchored_words == Counter(f.match for f in in_body)
    # the comment says what the finding says: message, suggestions, rule id
    for cid, c in ours.items():
        if c["text"].startswith("sba-lint review"):
            continue
        f = next(f for f in in_body if f.match == spans[cid] and f.rule in c["text"])
        assert f.message in c["text"]
        if f.suggestions:
            assert "Try: " + "; ".join(f.suggestions) in c["text"]


def test_split_runs_keep_their_formatting(reviewed):
    d = docx.Document(str(reviewed))
    p = next(p for p in d.paragraphs if "failed to engage" in p.text)
    runs = [(r.text, r.bold, r.italic) for r in p.runs if r.text]
    assert ("fail", True, None) in runs and ("ed to en", None, True) in runs


def test_summary_comment_names_what_word_cannot_comment_on(reviewed):
    notes = [c["text"] for c in comments(reviewed.read_bytes()).values() if c["author"] == AUTHOR]
    summary = next(t for t in notes if t.startswith("sba-lint review"))
    assert "Strengths balance:" in summary
    assert "header (header1)" in summary and "footer (footer1)" in summary
    assert "footnote 1" in summary and "addict" in summary


def test_existing_comments_and_tracked_changes_are_kept(long_note, reviewed, fixed):
    before = comments(long_note.read_bytes())
    assert before, "the sample should carry someone else's comments"
    for out in (reviewed, fixed):
        after = comments(out.read_bytes())
        for cid, c in before.items():
            assert after[cid] == c
        spans_before = anchored(long_note.read_bytes())
        spans_after = anchored(out.read_bytes())
        for cid in before:
            assert spans_after[cid] == spans_before[cid]
    # the other author's tracked changes are still there, and still theirs
    for out in (reviewed, fixed):
        original = text_of(reject_all(long_note.read_bytes(), "Editor"))
        assert text_of(reject_all(reject_all(out.read_bytes(), AUTHOR), "Editor")) == original


def test_fix_accepts_to_the_fixed_text_and_rejects_to_the_original(long_note, fixed, linter):
    data = long_note.read_bytes()
    result = linter.check_bytes(data, path="case-note.docx")
    chosen = plan(result)
    assert chosen.fixed, "the sample should have safe fixes"
    expected = text_fixes.apply(result.document.text, result, chosen)
    out = fixed.read_bytes()
    assert text_of(accept_all(out, AUTHOR)) == expected
    assert text_of(reject_all(out, AUTHOR)) == text_of(data)


def test_fix_marks_author_and_date_and_comments_the_rest(long_note, fixed, linter):
    from word_reading import part, q

    root = part(fixed.read_bytes(), "word/document.xml")
    ours = [el for el in root.iter(q("ins"), q("del")) if el.get(q("author")) == AUTHOR]
    assert ours and all(el.get(q("date")) for el in ours)
    result = linter.check_bytes(long_note.read_bytes(), path="case-note.docx")
    chosen = plan(result)
    notes = [c for c in comments(fixed.read_bytes()).values() if c["author"] == AUTHOR]
    summary = [c for c in notes if "where Word shows no comment" in c["text"]]
    commented = len(notes) - len(summary)
    unplaced = sum(1 for f in result.findings if f.origin.get("part") != "body")
    assert commented + unplaced == len(result.findings) - len(chosen.fixed)


def test_unsafe_fixes_only_when_asked(tmp_path):
    src = tmp_path / "a.docx"
    d = docx.Document()
    d.add_paragraph("Mum purchased a cot. We will utilise the plan.")
    d.save(src)
    safe = run("fix", src, "-o", tmp_path / "safe.docx", "--select", "plain.utilise,plain.purchase")
    assert "1 fixed" in safe.output
    unsafe = run("fix", src, "-o", tmp_path / "all.docx", "--select", "plain.utilise,plain.purchase",
                 "--unsafe-fixes")
    assert "2 fixed" in unsafe.output
    assert "Mum bought a cot. We will use the plan." in text_of(
        accept_all((tmp_path / "all.docx").read_bytes()))


def test_small_sample_with_every_part(tmp_path):
    src = sample_docx(tmp_path / "note.docx")
    r = run("annotate", src)
    assert r.exit_code == 0
    out = tmp_path / "note.reviewed.docx"
    assert out.exists() and text_of(out.read_bytes()) == text_of(src.read_bytes())
    spans = anchored(out.read_bytes())
    assert "failed to engage with" in spans.values() and "Supervised contact" in spans.values()


def _libreoffice_converts(paths, tmp_path, min_size=10_000):
    profile = tmp_path / "lo-profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "pdf", "--outdir", str(tmp_path)] + [str(p) for p in paths]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for name in paths:
        pdf = tmp_path / (name.stem + ".pdf")
        assert pdf.exists() and pdf.stat().st_size > min_size, proc.stdout + proc.stderr


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is not installed (.ci/run installs it)")


@needs_libreoffice
def test_libreoffice_opens_both_outputs(reviewed, fixed, tmp_path):
    _libreoffice_converts([reviewed, fixed], tmp_path)


# -- bad input: one line, non-zero exit, no output file ----------------------------------
@pytest.mark.parametrize("command", ["annotate", "fix"])
@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04 this is not really a zip", "is not a valid .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64,
         "password-protected"),
        (b"", "is empty"),
    ],
)
def test_bad_documents(tmp_path, command, content, message):
    src = tmp_path / "draft.docx"
    src.write_bytes(content)
    out = tmp_path / "out.docx"
    r = run(command, src, "-o", out)
    assert r.exit_code == 3
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and str(src) in lines[0]
    assert not out.exists() and "Traceback" not in r.output
    assert src.read_bytes() == content


@pytest.mark.parametrize("command", ["annotate", "fix"])
def test_bad_output_paths(tmp_path, command):
    src = sample_docx(tmp_path / "note.docx")
    before = src.read_bytes()
    r = run(command, src, "-o", tmp_path / "missing" / "out.docx")
    assert r.exit_code == 2 and "does not exist" in r.output
    assert not (tmp_path / "missing").exists()
    r = run(command, src, "-o", src)
    assert r.exit_code == 2 and "is the input file" in r.output
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.docx"]


def test_annotate_needs_a_word_document(tmp_path):
    src = tmp_path / "note.txt"
    src.write_text("Mum failed to engage.\n")
    r = run("annotate", src)
    assert r.exit_code == 2 and "needs a .docx" in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["note.txt"]


# -- text files ----------------------------------------------------------------------------
def test_text_fix_defaults_to_a_diff_and_changes_nothing(tmp_path):
    src = tmp_path / "note.md"
    src.write_text("# Plan\n\nWe will utilise the hub prior to May.\n")
    before = src.read_bytes()
    r = run("fix", src)
    assert r.exit_code == 1
    assert "-We will utilise the hub prior to May." in r.output
    assert "+We will use the hub before May." in r.output
    assert src.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["note.md"]


def test_text_fix_to_a_new_file_and_in_place_keeps_encoding(tmp_path):
    src = tmp_path / "note.txt"
    original = "\ufeffWe will utilise the hub.\r\nDad failed to engage.\r\n"
    src.write_bytes(original.encode("utf-8"))
    r = run("fix", src, "-o", tmp_path / "new.txt")
    assert r.exit_code == 0 and "1 fixed, 1 left" in r.output
    assert (tmp_path / "new.txt").read_bytes() == original.replace("utilise", "use").encode("utf-8")
    assert src.read_bytes() == original.encode("utf-8")
    r = run("fix", src, "--in-place")
    assert r.exit_code == 0
    assert src.read_bytes() == original.replace("utilise", "use").encode("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary files left"


def test_text_fix_refuses_docx_only_options(tmp_path):
    src = sample_docx(tmp_path / "note.docx")
    r = run("fix", src, "--diff")
    assert r.exit_code == 2 and "for .txt and .md" in r.output
    r = run("fix", src, "--in-place")
    assert r.exit_code == 2


def test_an_interrupted_write_leaves_nothing_behind(tmp_path, monkeypatch):
    import os

    from sba_lint import files

    def boom(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        files.write_atomic(tmp_path / "out.docx", b"data")
    assert list(tmp_path.iterdir()) == []


def test_findings_only_in_the_header_go_into_the_summary(tmp_path):
    src = tmp_path / "letter.docx"
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Respite plan"
    d.add_paragraph("")
    d.save(src)
    r = run("annotate", src, "-o", tmp_path / "out.docx")
    assert r.exit_code == 0, r.output
    data = (tmp_path / "out.docx").read_bytes()
    notes = [c["text"] for c in comments(data).values()]
    assert len(notes) == 1 and "header (header1)" in notes[0] and "Respite" in notes[0]
    assert text_of(data) == text_of(src.read_bytes())


def test_a_fix_word_cannot_take_becomes_a_comment(tmp_path):
    """'Prior' inside a hyperlink and 'to' outside it: no tracked change can span both."""
    from docx.oxml.ns import qn
    from lxml import etree

    src = tmp_path / "link.docx"
    d = docx.Document()
    p = d.add_paragraph("Ring us ")
    link = etree.SubElement(p._p, qn("w:hyperlink"), {qn("w:anchor"): "top"})
    r = etree.SubElement(link, qn("w:r"))
    etree.SubElement(r, qn("w:t")).text = "prior"
    p.add_run(" to the visit.")
    d.save(src)
    r = run("fix", src, "-o", tmp_path / "out.docx", "--select", "plain.prior-to")
    assert r.exit_code == 0 and "0 fixed as tracked changes, 1 commented" in r.output
    data = (tmp_path / "out.docx").read_bytes()
    assert text_of(data) == text_of(src.read_bytes())
    assert list(anchored(data).values()) == ["prior to"]


def test_a_second_annotate_adds_no_duplicate_comments(tmp_path):
    src = sample_docx(tmp_path / "note.docx")
    first, second = tmp_path / "r1.docx", tmp_path / "r2.docx"
    assert run("annotate", src, "-o", first).exit_code == 0
    r = run("annotate", first, "-o", second)
    assert r.exit_code == 0 and "0 commented, 6 already commented by sba-lint" in r.output
    assert comments(second.read_bytes()) == comments(first.read_bytes())


# -- text boxes ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def boxes(tmp_path_factory):
    return text_box_docx(tmp_path_factory.mktemp("boxes") / "boxes.docx")


@pytest.fixture(scope="module")
def boxes_reviewed(boxes):
    out = boxes.with_name("boxes.reviewed.docx")
    r = run("annotate", boxes, "-o", out)
    assert r.exit_code == 0 and "5 findings, 5 commented" in r.output, r.output
    return out


@pytest.fixture(scope="module")
def boxes_fixed(boxes):
    out = boxes.with_name("boxes.fixed.docx")
    r = run("fix", boxes, "-o", out)
    assert r.exit_code == 0 and "1 fixed as tracked changes, 4 commented" in r.output, r.output
    return out


def test_comments_are_anchored_in_body_text_boxes(boxes, boxes_reviewed):
    data = boxes_reviewed.read_bytes()
    assert text_of(data) == text_of(boxes.read_bytes())
    assert sorted(anchored(data).values()) == sorted(
        ["failed to engage", "utilise", "is an addict", "Supervised contact", "Visit on Monday."])
    # on the DrawingML copy, or the bare VML box; never on the fallback copy; the summary
    # (the header's text box) on the body's own words
    assert sorted(in_text_box(data, "commentRangeStart")) == [
        "choice", "choice", "choice", "story", "vml"]
    assert sorted(in_text_box(data, "commentReference")) == [
        "choice", "choice", "choice", "story", "vml"]
    summary = next(c["text"] for c in comments(data).values() if "Word shows no" in c["text"])
    assert "header (header1), paragraph 1, text box 1" in summary and "Respite" in summary
    # the VML copies still hold the original text, and no marks
    assert text_of(fallback_only(data)) == text_of(boxes.read_bytes())


def test_a_second_annotate_of_text_boxes_adds_no_duplicates(boxes_reviewed, tmp_path):
    again = tmp_path / "again.docx"
    r = run("annotate", boxes_reviewed, "-o", again)
    assert r.exit_code == 0 and "0 commented, 5 already commented by sba-lint" in r.output
    assert comments(again.read_bytes()) == comments(boxes_reviewed.read_bytes())


def test_fix_in_a_text_box_is_a_tracked_change_in_both_copies(boxes, boxes_fixed, linter):
    data = boxes.read_bytes()
    result = linter.check_bytes(data, path="boxes.docx")
    chosen = plan(result)
    assert [result.findings[i].match for i in chosen.fixed] == ["utilise"]
    expected = text_fixes.apply(result.document.text, result, chosen)
    out = boxes_fixed.read_bytes()
    assert "We will use the family network." in expected
    assert text_of(accept_all(out, AUTHOR)) == expected
    assert text_of(reject_all(out, AUTHOR)) == text_of(data)
    # the VML copy took the same change, so an application reading it agrees
    assert text_of(accept_all(fallback_only(out), AUTHOR)) == expected
    assert text_of(reject_all(fallback_only(out), AUTHOR)) == text_of(data)
    assert in_text_box(out, "ins") == ["choice", "fallback"]
    assert in_text_box(out, "del") == ["choice", "fallback"]
    assert "fallback" not in in_text_box(out, "commentRangeStart")
    root = part(out, "word/document.xml")
    ids = [el.get(q("id")) for el in root.iter(q("ins"), q("del"))]
    assert len(ids) == len(set(ids))
    # the rest are comments, in their boxes (and the summary on the body's first words)
    assert sorted(anchored(out).values()) == sorted(
        ["failed to engage", "is an addict", "Supervised contact", "Visit on Monday."])


def test_fix_in_a_text_box_whose_fallback_does_not_match_becomes_a_comment(tmp_path):
    src = tmp_path / "odd.docx"
    d = docx.Document()
    add_text_box(d.add_paragraph("Anchor."), ["We will utilise the plan."])
    # a fallback shape with no text box in it: the two copies cannot be kept alike
    for textbox in d.element.body.iter("{urn:schemas-microsoft-com:vml}textbox"):
        textbox.getparent().remove(textbox)
    d.save(src)
    r = run("fix", src, "-o", tmp_path / "out.docx", "--select", "plain.utilise")
    assert r.exit_code == 0 and "0 fixed as tracked changes, 1 commented" in r.output, r.output
    data = (tmp_path / "out.docx").read_bytes()
    assert text_of(data) == text_of(src.read_bytes())
    assert list(anchored(data).values()) == ["utilise"]


def test_no_comment_runs_from_a_text_box_out_into_its_anchor(boxes):
    from sba_lint.source.docx_edit import WordEditor

    data = boxes.read_bytes()
    doc = read_bytes(data, "boxes.docx")
    editor = WordEditor(data, doc)
    text = doc.text
    # "played." ends the anchoring paragraph; "Mum" begins the box read after it
    assert not editor.comment(text.index("played."), text.index("Mum fail") + 3, ["across"])
    assert not editor.comment(text.index("network."), text.index("Old form") + 3,
                              ["out of a box"])
    assert editor.comment(text.index("Mum fail"), text.index("Mum fail") + 8, ["inside"])
    out = editor.tobytes()
    assert list(anchored(out).values()) == ["Mum fail"]
    assert text_of(out) == text


def test_the_summary_comment_is_not_put_in_a_text_box(tmp_path):
    src = tmp_path / "first-box.docx"
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "Respite plan"
    add_text_box(d.add_paragraph(), ["Tom loves football."])
    d.add_paragraph("Visit on Monday.")
    d.save(src)
    r = run("annotate", src, "-o", tmp_path / "out.docx")
    assert r.exit_code == 0, r.output
    data = (tmp_path / "out.docx").read_bytes()
    assert list(anchored(data).values()) == ["Visit on Monday."]
    assert in_text_box(data, "commentRangeStart") == ["story"]


@needs_libreoffice
def test_libreoffice_opens_text_box_outputs(boxes_reviewed, boxes_fixed, tmp_path):
    _libreoffice_converts([boxes_reviewed, boxes_fixed], tmp_path, min_size=5_000)


def test_fix_in_a_header_text_box_keeps_both_copies_alike(tmp_path, linter):
    src = tmp_path / "header-box.docx"
    d = docx.Document()
    add_text_box(d.sections[0].header.paragraphs[0], ["We will utilise the plan."])
    d.add_paragraph("Visit on Monday.")
    d.save(src)
    r = run("fix", src, "-o", tmp_path / "out.docx", "--select", "plain.utilise")
    assert r.exit_code == 0 and "1 fixed as tracked changes, 0 commented" in r.output, r.output
    out = (tmp_path / "out.docx").read_bytes()
    assert in_text_box(out, "ins", "word/header1.xml") == ["choice", "fallback"]
    for copy in (out, fallback_only(out)):
        assert "We will use the plan." in text_of(accept_all(copy))
        assert text_of(reject_all(copy)) == text_of(src.read_bytes())
