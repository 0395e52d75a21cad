"""Keeping a wording in Word: a comment of sba-lint's that the writer resolved, or answered
"sba-lint: keep", is honoured by later check, annotate and fix runs on that document, for
that rule on those words only."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections import Counter

import docx
import pytest
from click.testing import CliRunner
from docx_builder import text_box_docx
from word_reading import accept_all, anchored, comments
from word_review import InWord

from sba_lint.cli import main
from sba_lint.source import read_bytes
from sba_lint.source.word_keep import REPLIED, RESOLVED, SAME_WORDS, says_keep, still_quoted

BLAME, CONTACT, UTILISE = "blame.failed-to-engage", "jargon.contact", "plain.utilise"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def case_note(path):
    """Our own case note: the same rules on other words further on, so a kept finding can
    be told from the rest; one phrase split over runs with different formatting."""
    d = docx.Document()
    p = d.add_paragraph("Mum ")
    p.add_run("fail").bold = True
    p.add_run("ed to en").italic = True
    p.add_run("gage with the plan.")
    d.add_paragraph("Contact with Dad is on Saturdays.")
    d.add_paragraph("We will utilise the family network and commence the plan prior to the review.")
    d.add_paragraph("Dad failed to engage with the drug service in May.")
    d.add_paragraph("Contact at the family centre went well.")
    d.add_paragraph("Leo likes his new school and has made two friends.")
    d.save(path)
    return path


def findings(data: bytes, linter, name="note.docx"):
    result = linter.check_bytes(data, path=name)
    assert result.error is None, result.error
    return result.findings


def key(f):
    return f.rule, f.start, f.end


@pytest.fixture(scope="module")
def original(tmp_path_factory):
    return case_note(tmp_path_factory.mktemp("keep") / "note.docx")


@pytest.fixture(scope="module")
def reviewed(original):
    out = original.with_name("note.reviewed.docx")
    r = run("annotate", original, "-o", out)
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="module")
def kept(reviewed):
    """The reviewed copy after the writer's pass in Word: the first "failed to engage"
    resolved, replies "sba-lint: keep" on the first "Contact" and on "utilise"."""
    word = InWord(reviewed.read_bytes())
    word.resolve(word.by_rule(BLAME, "Mum failed"))
    word.reply(word.by_rule(CONTACT, "Saturdays"), "sba-lint: keep")
    word.reply(word.by_rule(UTILISE), "  SBA-lint: Keep.  ")
    out = reviewed.with_name("note.kept.docx")
    out.write_bytes(word.save())
    return out


@pytest.fixture(scope="module")
def baseline(original, linter):
    return findings(original.read_bytes(), linter)


def kept_keys(baseline, text):
    """The keys of the three findings the writer kept (first of each)."""
    first = {}
    for f in baseline:
        first.setdefault(f.rule, f)
    assert text[first[BLAME].start:first[BLAME].end] == "failed to engage"
    return {key(first[BLAME]), key(first[CONTACT]), key(first[UTILISE])}


# -- check ----------------------------------------------------------------------------------
def test_check_leaves_out_only_the_kept_findings(baseline, kept, linter):
    after = findings(kept.read_bytes(), linter)
    text = read_bytes(kept.read_bytes(), "x.docx").text
    gone = kept_keys(baseline, text)
    assert {key(f) for f in after} == {key(f) for f in baseline} - gone
    # the same rules on other words are still reported
    assert Counter(f.rule for f in after)[BLAME] == 1
    assert Counter(f.rule for f in after)[CONTACT] == 1
    assert {f.rule for f in after} >= {"plain.commence", "plain.prior-to"}


def test_the_kept_words_are_read_with_their_reasons(kept):
    doc = read_bytes(kept.read_bytes(), "x.docx")
    assert {(k.rule, k.words, k.reason) for k in doc.kept} == {
        (BLAME, "failed to engage", RESOLVED),
        (CONTACT, "Contact", REPLIED),
        (UTILISE, "utilise", REPLIED),
    }
    for k in doc.kept:
        assert doc.text[k.start:k.end] == k.words
        assert doc.line_col(k.start)[0] in (1, 2, 3)  # the first uses, not the later ones


def test_a_kept_finding_does_not_let_a_smaller_one_through(kept, linter):
    """Keeping "failed to engage" keeps the words: the shorter rule it shadowed stays out."""
    text = read_bytes(kept.read_bytes(), "x.docx").text
    end_of_first_line = text.index("\n")
    assert not [f for f in findings(kept.read_bytes(), linter) if f.start < end_of_first_line]


def test_explain_says_the_writer_kept_it(kept):
    r = run("check", "--explain", kept)
    assert "kept by the writer (resolved comment in Word)" in r.output
    assert 'kept by the writer (reply "sba-lint: keep" in Word)' in r.output
    line = next(x for x in r.output.splitlines() if "resolved comment" in x)
    assert BLAME in line and "skipped" in line and '"failed to engage"' in line


def test_json_has_no_kept_finding(kept):
    payload = json.loads(run("check", "--format", "json", kept).output)
    rules = Counter(f["rule"] for file in payload["files"] for f in file["findings"])
    assert rules[BLAME] == 1 and rules[CONTACT] == 1 and rules[UTILISE] == 0


def test_check_never_changes_the_document(kept):
    before = kept.read_bytes()
    mtime = kept.stat().st_mtime_ns
    run("check", kept)
    run("check", "--explain", kept)
    assert kept.read_bytes() == before and kept.stat().st_mtime_ns == mtime


# -- annotate -------------------------------------------------------------------------------
def test_annotate_again_adds_no_comment(kept, tmp_path):
    out = tmp_path / "again.docx"
    r = run("annotate", kept, "-o", out)
    assert r.exit_code == 0, r.output
    before, after = comments(kept.read_bytes()), comments(out.read_bytes())
    assert after == before  # nothing new: the rest were commented on the first run
    assert "0 commented" in r.output
    assert read_bytes(out.read_bytes(), "x.docx").text == read_bytes(kept.read_bytes(), "x.docx").text


def test_annotate_by_someone_else_skips_only_the_kept(kept, baseline, tmp_path):
    """A second reviewer's run comments on every finding again, except the kept ones."""
    out = tmp_path / "second.docx"
    r = run("annotate", kept, "-o", out, "--author", "Second Look")
    assert r.exit_code == 0, r.output
    notes = comments(out.read_bytes())
    spans = anchored(out.read_bytes())
    theirs = [cid for cid, c in notes.items() if c["author"] == "Second Look"]
    commented = Counter((spans[cid], notes[cid]["text"].rsplit("\n", 1)[-1].split(" ")[0])
                        for cid in theirs)
    expected = Counter((f.match, f.rule) for f in baseline)
    expected -= Counter({("failed to engage", BLAME): 1, ("Contact", CONTACT): 1,
                         ("utilise", UTILISE): 1})
    assert commented == expected


def test_annotate_a_newly_written_finding_still_gets_its_comment(kept, tmp_path):
    word = InWord(kept.read_bytes())
    p = word.paragraph_with("Leo likes")
    t = list(p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))[-1]
    t.text += " Mum failed to engage with the nursery. He will utilise the bus pass."
    edited = tmp_path / "edited.docx"
    edited.write_bytes(word.save())
    out = tmp_path / "edited.reviewed.docx"
    r = run("annotate", edited, "-o", out)
    assert r.exit_code == 0, r.output
    new = {cid: c for cid, c in comments(out.read_bytes()).items()
           if cid not in comments(edited.read_bytes())}
    assert [anchored(out.read_bytes())[cid] for cid in new] == ["failed to engage"]
    assert "1 commented" in r.output
    # a plain-English word is explained once a document: the kept "utilise" was that once,
    # as it was before the writer answered
    explained = run("check", "--explain", edited).output
    assert '"utilise": skipped, explained once, at line 3' in explained


# -- fix ------------------------------------------------------------------------------------
def test_fix_makes_no_change_for_a_kept_finding(kept, tmp_path):
    out = tmp_path / "fixed.docx"
    r = run("fix", kept, "-o", out)
    assert r.exit_code == 0, r.output
    accepted = read_bytes(accept_all(out.read_bytes()), "x.docx").text
    assert "We will utilise the family network and start the plan before the review." in accepted
    # and no new comment on the kept words either
    spans = anchored(out.read_bytes())
    new = [cid for cid in comments(out.read_bytes()) if cid not in comments(kept.read_bytes())]
    assert "utilise" not in [spans[cid] for cid in new]


def test_fix_of_the_original_still_changes_it(original, tmp_path):
    """The control: without the writer's answer, utilise is fixed."""
    out = tmp_path / "fixed.docx"
    assert run("fix", original, "-o", out).exit_code == 0
    accepted = read_bytes(accept_all(out.read_bytes()), "x.docx").text
    assert "We will use the family network" in accepted


# -- which answers count ----------------------------------------------------------------------
def test_unanswered_comments_keep_nothing(reviewed, baseline, linter):
    assert read_bytes(reviewed.read_bytes(), "x.docx").kept == []
    assert {key(f) for f in findings(reviewed.read_bytes(), linter)} == {key(f) for f in baseline}
    word = InWord(reviewed.read_bytes())  # saved by Word: ids and commentsExtended, none done
    assert read_bytes(word.save(), "x.docx").kept == []


def test_other_answers_and_other_authors_keep_nothing(reviewed, baseline, linter):
    word = InWord(reviewed.read_bytes())
    word.reply(word.by_rule(BLAME, "Mum failed"), "Please reword this before Friday.", "Team Manager")
    word.reply(word.by_rule(CONTACT, "Saturdays"), "sba-lint: keep this one, change the rest")
    # someone else's comment on the very words sba-lint commented on, resolved
    start = word.anchored_text(word.by_rule(UTILISE))[0].getparent()
    word.comment_on_runs(start, start, "Use plain English here.", resolved=True)
    # "sba-lint: keep" over two whole paragraphs: not the words of any finding
    first, second = word.paragraph_with("Dad failed"), word.paragraph_with("family centre")
    r_first = first.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")
    r_last = second.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}r")[-1]
    word.comment_on_runs(r_first, r_last, "sba-lint: keep", resolved=True)
    data = word.save()
    assert read_bytes(data, "x.docx").kept == []
    assert {key(f) for f in findings(data, linter)} == {key(f) for f in baseline}


def test_resolving_a_reply_is_not_resolving_the_comment(reviewed, linter):
    word = InWord(reviewed.read_bytes())
    reply = word.reply(word.by_rule(CONTACT, "Saturdays"), "Agreed, will change.")
    word.resolve(reply)
    assert read_bytes(word.save(), "x.docx").kept == []


def test_a_resolved_thread_with_a_disagreeing_reply_is_still_kept(reviewed):
    word = InWord(reviewed.read_bytes())
    cid = word.by_rule(CONTACT, "Saturdays")
    word.reply(cid, "I think this is fine as it is.", "Team Manager")
    word.resolve(cid)
    assert [(k.rule, k.reason) for k in read_bytes(word.save(), "x.docx").kept] == [(CONTACT, RESOLVED)]


def test_a_reply_to_a_reply_counts_for_the_thread(reviewed):
    word = InWord(reviewed.read_bytes())
    cid = word.by_rule(UTILISE)
    manager = word.reply(cid, "Do you want to keep this?", "Team Manager")
    word.reply(manager, "sba-lint: keep")
    assert [(k.rule, k.reason) for k in read_bytes(word.save(), "x.docx").kept] == [(UTILISE, REPLIED)]


def test_edited_words_are_not_kept(reviewed, linter):
    """A comment resolved, then its words retyped: the same rule on the new words is a
    different finding and is reported."""
    word = InWord(reviewed.read_bytes())
    blame, utilise = word.by_rule(BLAME, "Mum failed"), word.by_rule(UTILISE)
    word.resolve(blame)
    word.reply(utilise, "sba-lint: keep")
    word.retype(blame, "fails to engage")
    word.retype(utilise, "utilised")
    data = word.save()
    doc = read_bytes(data, "x.docx")
    assert doc.text.startswith("Mum fails to engage with the plan.\n")
    assert doc.kept == []
    found = {(f.rule, f.match) for f in findings(data, linter)}
    assert {(BLAME, "fails to engage"), (UTILISE, "utilised")} <= found


def test_kept_words_move_with_the_text(kept, linter):
    """Text added before the kept words moves them; they are still kept."""
    word = InWord(kept.read_bytes())
    p = word.paragraph_with("Mum fail")
    t = p.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")
    t.text = "On Tuesday, " + t.text
    data = word.save()
    doc = read_bytes(data, "x.docx")
    assert doc.text.startswith("On Tuesday, Mum failed to engage")
    assert len(doc.kept) == 3
    rules = Counter(f.rule for f in findings(data, linter))
    assert rules[BLAME] == 1 and rules[CONTACT] == 1 and rules[UTILISE] == 0


def test_a_redacted_comment_is_kept_by_its_rule_and_words(original, tmp_path, linter):
    out = tmp_path / "redacted.docx"
    assert run("annotate", original, "-o", out, "--redact").exit_code == 0
    word = InWord(out.read_bytes())
    cid = word.by_rule(CONTACT, "Saturdays")
    assert "Contact" not in comments(out.read_bytes())[cid]["text"]
    word.resolve(cid)
    data = word.save()
    assert [(k.rule, k.words) for k in read_bytes(data, "x.docx").kept] == [(CONTACT, "Contact")]
    assert Counter(f.rule for f in findings(data, linter))[CONTACT] == 1


# -- LibreOffice and hand-made documents: no paragraph ids, no threads ------------------------
def test_without_threads_a_keep_comment_on_the_same_words_counts(reviewed, baseline, linter):
    word = InWord(reviewed.read_bytes(), threads=False)
    word.comment_on_same_words(word.by_rule(CONTACT, "Saturdays"), "sba-lint: keep!")
    word.reply(word.by_rule(UTILISE), "Sba-lint: keep")  # a reply as LibreOffice writes it
    data = word.save()
    doc = read_bytes(data, "x.docx")
    assert {(k.rule, k.words, k.reason) for k in doc.kept} == {
        (CONTACT, "Contact", SAME_WORDS), (UTILISE, "utilise", SAME_WORDS)}
    rules = Counter(f.rule for f in findings(data, linter))
    assert rules[CONTACT] == 1 and rules[UTILISE] == 0 and rules[BLAME] == 2


def test_commentsextended_that_names_no_paragraph_keeps_nothing(reviewed):
    """commentsExtended.xml whose ids match no comment paragraph (the ids were lost)."""
    word = InWord(reviewed.read_bytes())
    word.resolve(word.by_rule(CONTACT, "Saturdays"))
    for p in word.comments.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
        for attr in list(p.attrib):
            if "paraId" in attr or "textId" in attr:
                del p.attrib[attr]
    assert read_bytes(word.save(), "x.docx").kept == []


def test_a_damaged_commentsextended_part_is_ignored(reviewed):
    word = InWord(reviewed.read_bytes())
    word.resolve(word.by_rule(CONTACT, "Saturdays"))
    data = word.save()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename == "word/commentsExtended.xml":
                blob = blob[: len(blob) // 2]
            dst.writestr(item, blob)
    doc = read_bytes(out.getvalue(), "x.docx")
    assert doc.kept == [] and doc.text.startswith("Mum failed to engage")


def test_a_commentsextended_part_whose_checksum_is_wrong_is_ignored(reviewed):
    """The part is unzipped only when the kept findings are read: damage to its bytes is
    read as the part missing, like damage to its XML, not as a file that cannot be read."""
    word = InWord(reviewed.read_bytes())
    word.resolve(word.by_rule(CONTACT, "Saturdays"))
    src = zipfile.ZipFile(io.BytesIO(word.save()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:  # stored, so that one byte can be spoiled
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename == "word/commentsExtended.xml":
                blob += b"<!-- spoil-me -->"
            dst.writestr(item.filename, blob, zipfile.ZIP_STORED)
    data = bytearray(out.getvalue())
    at = data.index(b"spoil-me")
    data[at:at + 8] = b"SPOIL-ME"
    doc = read_bytes(bytes(data), "x.docx")
    assert doc.kept == [] and doc.text.startswith("Mum failed to engage")


def test_a_document_without_comments_reads_as_before(original):
    assert read_bytes(original.read_bytes(), "x.docx").kept == []


needs_libreoffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                       reason="LibreOffice is not installed (.ci/run installs it)")


@needs_libreoffice
def test_kept_survives_a_libreoffice_round_trip(kept, tmp_path, linter):
    """LibreOffice keeps the resolved state (it writes its own paragraph ids) and turns the
    replies into comments of their own on the same words."""
    folder = tmp_path / "lo"
    profile = tmp_path / "profile"
    cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
           "--convert-to", "docx", "--outdir", str(folder), str(kept)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    data = (folder / kept.name).read_bytes()
    doc = read_bytes(data, "x.docx")
    assert {(k.rule, k.words) for k in doc.kept} == {
        (BLAME, "failed to engage"), (CONTACT, "Contact"), (UTILISE, "utilise")}
    assert next(k.reason for k in doc.kept if k.rule == BLAME) == RESOLVED
    rules = Counter(f.rule for f in findings(data, linter))
    assert rules[BLAME] == 1 and rules[CONTACT] == 1 and rules[UTILISE] == 0


# -- text boxes ------------------------------------------------------------------------------
def test_a_comment_in_a_text_box_can_be_kept(tmp_path, linter):
    original = text_box_docx(tmp_path / "boxes.docx")
    reviewed = tmp_path / "boxes.reviewed.docx"
    assert run("annotate", original, "-o", reviewed).exit_code == 0
    before = findings(original.read_bytes(), linter)
    word = InWord(reviewed.read_bytes())
    cid = word.by_rule(BLAME)
    assert "".join(t.text for t in word.anchored_text(cid)) == "failed to engage"
    assert any(a.tag.endswith("txbxContent") for a in word.anchored_text(cid)[0].iterancestors())
    word.resolve(cid)
    data = word.save()
    after = findings(data, linter)
    assert [f.rule for f in before if f not in after] == [BLAME]
    fixed = tmp_path / "boxes.fixed.docx"
    (tmp_path / "boxes.kept.docx").write_bytes(data)
    assert run("fix", tmp_path / "boxes.kept.docx", "-o", fixed).exit_code == 0
    assert BLAME not in {c["text"].rsplit("\n", 1)[-1].split(" ")[0]
                         for cid_, c in comments(fixed.read_bytes()).items()
                         if cid_ not in comments(data)}


# -- the words of an answer -------------------------------------------------------------------
@pytest.mark.parametrize("text", ["sba-lint: keep", "SBA-LINT: KEEP", "  sba-lint:keep.  ",
                                  "Sba-lint: keep!", "(sba-lint: keep)", "sba\u2011lint: keep",
                                  "sba-lint keep"])
def test_says_keep(text):
    assert says_keep(text)


@pytest.mark.parametrize("text", ["keep", "sba-lint: keep this, change the rest",
                                  "sba-lint: remove", "Please keep the sba-lint comment", ""])
def test_does_not_say_keep(text):
    assert not says_keep(text)


def test_still_quoted():
    comment = ['"utilise" means "use".', "Try: use", "plain.utilise (info)"]
    assert still_quoted(comment, "utilise")
    assert still_quoted(comment, "Utilise")
    assert not still_quoted(comment, "utilised")
    assert still_quoted(['"…" means "use".', "plain.utilise (info)"], "utilised")  # redacted
    assert still_quoted(["A long sentence.", "readability.sentence (info)"], "any words")
