"""Stage 1: each reader gives the right text, and a map back to where it came from."""

from __future__ import annotations

import codecs
import hashlib

import docx
import pytest
from docx_builder import add_text_box, sample_docx, text_box_docx

from sba_lint import source
from sba_lint.errors import InputError


# -- plain text ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        b"Mum said hello.\n",
        codecs.BOM_UTF8 + b"Mum said hello.\n",
        codecs.BOM_UTF16_LE + "Mum said hello.\n".encode("utf-16-le"),
        codecs.BOM_UTF16_BE + "Mum said hello.\n".encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom"],
)
def test_text_encodings_decode_to_the_same_text(data):
    doc = source.read_bytes(data, "note.txt")
    assert doc.text == "Mum said hello.\n"


def test_invalid_utf8_names_the_byte_and_line():
    with pytest.raises(InputError) as e:
        source.read_bytes(b"line one\nbad \x81 byte\n", "note.txt")  # not Windows-1252 either
    assert str(e.value) == (
        "note.txt: is not valid UTF-8 (byte 0x81 on line 2); save it as UTF-8 and try again")


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_text_is_an_error(data):
    with pytest.raises(InputError, match="is empty"):
        source.read_bytes(data, "empty.txt")


def test_binary_file_is_refused():
    with pytest.raises(InputError, match="binary"):
        source.read_bytes(b"\x00\x01\x02abc", "x.txt")


@pytest.mark.parametrize("name", ["report.pdf", "notes.pages", "README"])
def test_unsupported_formats(name):
    with pytest.raises(InputError, match="unsupported format"):
        source.read_bytes(b"whatever", name)


@pytest.mark.parametrize("name", ["report.doc", "notes.rtf", "plan.odt"])
def test_legacy_formats_that_are_not_what_they_say_are_refused_unconverted(name):
    with pytest.raises(InputError, match="is not a valid"):
        source.read_bytes(b"whatever", name)


def test_line_and_column_are_one_based():
    doc = source.read_bytes(b"first line\nsecond line here\n", "n.txt")
    assert doc.line_col(0) == (1, 1)
    assert doc.line_col(doc.text.index("line here")) == (2, 8)


def test_text_origin_is_the_paragraph():
    doc = source.read_bytes(b"One.\n\nTwo.\nStill two.\n\nThree.", "n.txt")
    assert doc.origin(doc.text.index("Still"), doc.text.index("Still") + 5) == {"paragraph": 2}
    assert doc.origin(doc.text.index("Three"), doc.text.index("Three") + 5) == {"paragraph": 3}


# -- Markdown ----------------------------------------------------------------------------
MD = """---
title: contact placement
---
# Visit

Lola has contact with Mum. See `contact` in [the guide](http://x.org/placement).

```
placement respite
```

    indented placement code

Plain words again.
"""


def test_markdown_keeps_prose_and_offsets_and_blanks_the_rest():
    doc = source.read_bytes(MD.encode(), "n.md")
    assert len(doc.text) == len(MD)
    assert doc.text.count("\n") == MD.count("\n")
    assert "Lola has contact with Mum." in doc.text
    assert "Plain words again." in doc.text
    for hidden in ("title:", "`contact`", "placement respite", "indented placement", "x.org/placement"):
        assert hidden not in doc.text
    assert "[the guide]" in doc.text
    i = doc.text.index("Lola")
    assert doc.line_col(i) == (6, 1)


def test_markdown_of_only_code_is_empty():
    with pytest.raises(InputError, match="is empty"):
        source.read_bytes(b"```\ncode\n```\n", "n.md")


# -- Word ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return sample_docx(tmp_path_factory.mktemp("docx") / "case.docx")


def test_docx_reads_every_part_in_order(sample):
    doc = source.read_path(sample)
    lines = doc.text.split("\n")
    assert lines[0] == "Visit on Monday. Dad failed to engage with the service."
    assert "Supervised contact on Fridays." in lines
    assert "Respite plan for Tom" in lines
    assert "Case closure due in May" in lines
    assert "Mum is an addict according to the referral." in lines
    assert lines.index("Visit on Monday. Dad failed to engage with the service.") < lines.index(
        "Mum is an addict according to the referral."
    )


def test_docx_tracked_insertions_count_and_deletions_do_not(sample):
    doc = source.read_path(sample)
    assert "Mum said she utilises the bus to get to school." in doc.text
    assert "absconded" not in doc.text


def test_docx_phrase_split_over_runs_maps_back_to_each_run(sample):
    doc = source.read_path(sample)
    start = doc.text.index("failed to engage")
    end = start + len("failed to engage")
    pieces = doc.pieces_for(start, end)
    assert [(p.run, doc.text[max(p.start, start):min(p.end, end)]) for p in pieces] == [
        (1, "fail"), (2, "ed to en"), (3, "gage"),
    ]
    # each piece points at the real run of the real paragraph
    word = docx.Document(str(sample))
    runs = word.paragraphs[0].runs
    assert [runs[p.run].text for p in pieces] == ["Dad fail", "ed to en", "gage"]
    assert runs[pieces[0].run].bold and runs[pieces[1].run].italic
    assert doc.origin(start, end) == {"part": "body", "paragraph": 1}


def test_docx_origins_name_table_cell_header_footer_and_footnote(sample):
    doc = source.read_path(sample)

    def origin_of(phrase):
        i = doc.text.index(phrase)
        return doc.origin(i, i + len(phrase))

    assert origin_of("Supervised contact") == {"part": "body", "table": 1, "row": 2, "cell": 2,
                                               "paragraph": 5}
    assert origin_of("Respite") == {"part": "header", "name": "header1", "paragraph": 1}
    assert origin_of("Case closure") == {"part": "footer", "name": "footer1", "paragraph": 1}
    assert origin_of("addict") == {"part": "footnote", "footnote": 1, "paragraph": 1}


# -- Word text boxes ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def boxes(tmp_path_factory):
    return text_box_docx(tmp_path_factory.mktemp("boxes") / "boxes.docx")


def _origin_of(doc, phrase):
    assert doc.text.count(phrase) == 1, f"{phrase!r} read {doc.text.count(phrase)} times"
    i = doc.text.index(phrase)
    return doc.origin(i, i + len(phrase))


def test_text_box_is_read_once_on_lines_after_its_anchor(boxes):
    doc = source.read_path(boxes)
    lines = doc.text.split("\n")
    # the DrawingML copy (mc:Choice) is read and its VML copy (mc:Fallback) is not
    assert doc.text.count("failed to engage") == 1
    # the anchoring paragraph reads whole; the box follows it, a line a paragraph
    i = lines.index("Home visit at the flat; Leo played.")
    assert lines[i + 1:i + 3] == ["Mum failed to engage with the nursery.",
                                  "We will utilise the family network."]
    assert lines[i - 1] == "Visit on Monday."
    # a bare VML text box (no AlternateContent), one in a table cell, one in the header
    j = lines.index("Old form: ")
    assert lines[j + 1] == "Dad is an addict according to the referral."
    k = lines.index("Next steps")
    assert lines[k + 1] == "Supervised contact on Fridays."
    assert lines[k + 2] == "Tom loves football."
    assert lines[lines.index("Case note") + 1] == "Respite plan for Tom"


def test_text_box_origins_name_the_box_and_its_anchor(boxes):
    doc = source.read_path(boxes)
    box = {"part": "body", "paragraph": 2, "text_box": 1}
    assert _origin_of(doc, "failed to engage") == {**box, "text_box_paragraph": 1}
    assert _origin_of(doc, "utilise") == {**box, "text_box_paragraph": 2}
    assert _origin_of(doc, "the flat") == {"part": "body", "paragraph": 2}
    assert _origin_of(doc, "addict") == {"part": "body", "paragraph": 3, "text_box": 2,
                                         "text_box_paragraph": 1}
    assert _origin_of(doc, "Supervised contact") == {
        "part": "body", "table": 1, "row": 1, "cell": 2, "paragraph": 5, "text_box": 3,
        "text_box_paragraph": 1}
    # the paragraphs of the story are counted without the boxes' own
    assert _origin_of(doc, "Tom loves") == {"part": "body", "paragraph": 6}
    assert _origin_of(doc, "Respite") == {"part": "header", "name": "header1", "paragraph": 1,
                                          "text_box": 1, "text_box_paragraph": 1}


def test_text_box_origins_are_described_for_a_person():
    describe = source.describe_origin
    assert describe({"part": "body", "paragraph": 2, "text_box": 1,
                     "text_box_paragraph": 1}) == "paragraph 2, text box 1"
    assert describe({"part": "body", "paragraph": 2, "text_box": 1, "text_box_paragraph": 2}
                    ) == "paragraph 2, text box 1 (its paragraph 2)"
    assert describe({"part": "body", "table": 1, "row": 1, "cell": 2, "paragraph": 5,
                     "text_box": 3, "text_box_paragraph": 1}
                    ) == "table 1, row 1, cell 2, paragraph 5, text box 3"
    assert describe({"part": "header", "name": "header1", "paragraph": 1, "text_box": 1}
                    ) == "header (header1), paragraph 1, text box 1"


def _word_paragraphs(path, part="word/document.xml"):
    import zipfile

    from lxml import etree

    from sba_lint.source.docx import P

    with zipfile.ZipFile(path) as z:
        return list(etree.fromstring(z.read(part)).iter(P))


def test_text_box_pieces_point_at_the_runs_of_the_drawingml_copy(boxes):
    from sba_lint.source.docx import CHOICE, FALLBACK, R, T

    doc = source.read_path(boxes)
    paragraphs = {"/word/document.xml": _word_paragraphs(boxes),
                  "/word/header1.xml": _word_paragraphs(boxes, "word/header1.xml")}

    def runs_of(phrase):
        i = doc.text.index(phrase)
        out = []
        for piece in doc.pieces_for(i, i + len(phrase)):
            p = paragraphs[piece.part][piece.paragraph]
            run = list(p.iter(R))[piece.run]
            t = [c for c in run if c.tag == T][piece.element]
            assert doc.text[piece.start:piece.end] == t.text[piece.offset:]
            out.append((t.text, [a.tag for a in run.iterancestors(CHOICE, FALLBACK)]))
        return out

    assert runs_of("failed to engage") == [("Mum fail", [CHOICE]),
                                           ("ed to engage with the nursery.", [CHOICE])]
    assert runs_of("utilise") == [("We will utilise the family network.", [CHOICE])]
    assert runs_of("addict") == [("Dad is an addict according to the referral.", [])]
    # the anchoring paragraph's own runs are counted past the runs of its box
    assert runs_of("the flat") == [("the flat; Leo played.", [])]
    assert runs_of("Respite") == [("Respite plan for Tom", [CHOICE])]


@pytest.mark.parametrize("kind", ["drawing", "vml"])
def test_text_box_without_a_fallback_is_read(tmp_path, kind):
    path = tmp_path / "one.docx"
    d = docx.Document()
    add_text_box(d.add_paragraph("Anchor."), ["Mum failed to engage."], kind=kind)
    d.save(path)
    doc = source.read_path(path)
    assert doc.text == "Anchor.\nMum failed to engage.\n"
    assert _origin_of(doc, "failed") == {"part": "body", "paragraph": 1, "text_box": 1,
                                         "text_box_paragraph": 1}


def test_text_box_in_a_deleted_run_is_not_read(tmp_path):
    from docx.oxml.ns import qn

    path = tmp_path / "deleted.docx"
    d = docx.Document()
    p = d.add_paragraph("Anchor.")
    add_text_box(p, ["Mum failed to engage."])
    run = p._p[-1]
    deletion = p._p.makeelement(qn("w:del"), {qn("w:id"): "7", qn("w:author"): "Editor"})
    run.addprevious(deletion)
    deletion.append(run)
    d.save(path)
    assert source.read_path(path).text == "Anchor.\n"


def test_a_phrase_in_a_text_box_is_found_once(boxes, linter):
    result = linter.check_bytes(boxes.read_bytes(), path="boxes.docx")
    found = [f for f in result.findings if f.rule == "blame.failed-to-engage"]
    assert len(found) == 1
    f = found[0]
    assert f.match == "failed to engage" and result.document.text[f.start:f.end] == f.match
    assert f.origin == {"part": "body", "paragraph": 2, "text_box": 1, "text_box_paragraph": 1}


def test_docx_is_read_without_being_changed(sample):
    before = hashlib.sha256(sample.read_bytes()).hexdigest()
    source.read_path(sample)
    assert hashlib.sha256(sample.read_bytes()).hexdigest() == before


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"PK\x03\x04 this is not really a zip", "not a valid .docx"),
        (b"plain text pretending", "not a valid .docx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "password-protected"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "Word 97-2003"),
        (b"", "is empty"),
    ],
    ids=["bad-zip", "not-zip", "encrypted", "legacy-doc", "empty"],
)
def test_bad_docx_gives_one_clear_line(data, reason):
    with pytest.raises(InputError) as e:
        source.read_bytes(data, "draft.docx")
    message = str(e.value)
    assert message.startswith("draft.docx: ") and reason in message and "\n" not in message


def test_zip_that_is_not_a_word_document(tmp_path):
    import zipfile

    p = tmp_path / "fake.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InputError, match="fake.docx: is not"):
        source.read_path(p)


# -- Word files are read without python-docx's Document ----------------------------------
def _as_read(data: bytes) -> tuple:
    try:
        d = source.read_bytes(data, "note.docx")
    except InputError as e:
        return ("error", str(e), e.detail)
    return (d.text, d.segments, d.pieces, d.kept, d.hard_breaks)


@pytest.fixture
def python_docx_only(monkeypatch):
    """Read as sba-lint read before: the main part from python-docx's Document()."""
    from sba_lint.source import docx as reader

    def read():
        monkeypatch.setattr(reader, "_package", lambda d, p, lim: reader._open(d, p, lim).part)

    return read


def test_word_text_offsets_and_kept_comments_are_python_docxs(sample, boxes, tmp_path,
                                                             python_docx_only, linter):
    from docx_builder import realistic_case_note

    annotated = linter.annotate(sample.read_bytes(), path="sample.docx")
    documents = [sample.read_bytes(), boxes.read_bytes(), annotated,
                 realistic_case_note(tmp_path / "long.docx").read_bytes()]
    fast = [_as_read(d) for d in documents]
    python_docx_only()
    assert fast == [_as_read(d) for d in documents]
    assert all(f[0] != "error" for f in fast)


def test_damage_in_the_words_is_named_as_python_docx_names_it(sample, tmp_path, python_docx_only):
    from docx_builder import rewrite_parts

    broken = tmp_path / "broken.docx"
    broken.write_bytes(sample.read_bytes())
    rewrite_parts(broken, lambda name, data: data[:-20] if name == "word/document.xml" else data)
    fast = _as_read(broken.read_bytes())
    assert fast[0] == "error" and "the package is damaged" in fast[1]
    python_docx_only()
    assert _as_read(broken.read_bytes()) == fast


def test_damage_in_a_part_that_holds_no_text_is_no_longer_fatal(sample, tmp_path, python_docx_only):
    """python-docx parses the styles, settings and numbering on opening, and refused a
    package whose styles.xml was damaged; sba-lint reads only the parts with text."""
    from docx_builder import rewrite_parts

    damaged = tmp_path / "styles.docx"
    damaged.write_bytes(sample.read_bytes())
    rewrite_parts(damaged, lambda name, data: data[:-20] if name == "word/styles.xml" else data)
    assert _as_read(damaged.read_bytes()) == _as_read(sample.read_bytes())
    python_docx_only()
    assert _as_read(damaged.read_bytes())[0] == "error"


def _one_part_changed(data: bytes, name: str, content: bytes, declared: int | None = None) -> bytes:
    """The package with part ``name`` replaced by ``content``, stored uncompressed; with
    ``declared`` its headers claim that size (a zip bomb's lie), else its bytes are
    spoiled after its checksum was taken (``content`` must hold ``"spoil-me"``)."""
    import io
    import zipfile

    src = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(src, "w") as new:
        for info in old.infolist():
            if info.filename == name:
                new.writestr(name, content, zipfile.ZIP_DEFLATED if declared else zipfile.ZIP_STORED)
            else:
                new.writestr(info, old.read(info))
    out = bytearray(src.getvalue())
    if declared is None:
        at = out.index(b"spoil-me")
        out[at:at + 8] = b"SPOIL-ME"
        return bytes(out)
    for sig, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        i = out.find(sig)
        while i >= 0:
            if out[i + name_at:i + name_at + len(name)] == name.encode():
                out[i + size_at:i + size_at + 4] = declared.to_bytes(4, "little")
            i = out.find(sig, i + 4)
    return bytes(out)


def test_a_word_file_is_read_without_unzipping_the_parts_that_hold_no_text(sample, monkeypatch):
    """Styles, theme, fonts and pictures are most of a Word file's bytes and hold no text:
    the reader unzips only the parts it reads.  So a styles part whose bytes no longer match
    their checksum, or one that would unzip far past ``part-mb`` while the zip's directory
    says it is small, leaves the text as it was; python-docx's ``Document()``, which unzips
    every part (and before which every part is checked, as for a reviewed copy), refuses
    both.  A part the reader does read is still refused when damaged."""
    from sba_lint.limits import DEFAULT
    from sba_lint.source import docx as reader

    data = sample.read_bytes()
    small = DEFAULT.merged({"part_mb": 1})
    expected = source.read_bytes(data, "note.docx", None, small).text
    damaged = _one_part_changed(data, "word/styles.xml", b"<w:styles spoil-me/>")
    bomb = _one_part_changed(data, "word/styles.xml", b"<w:styles>" + b" " * (8 << 20), 1000)
    text_bomb = _one_part_changed(data, "word/document.xml", b"<w:document>" + b" " * (8 << 20), 1000)
    for package in (damaged, bomb):
        assert source.read_bytes(package, "note.docx", None, small).text == expected
    # zipfile gives no more than a part declares: the rest is a checksum that does not match
    with pytest.raises(InputError, match="damaged"):
        source.read_bytes(text_bomb, "note.docx", None, small)
    monkeypatch.setattr(reader, "_package", lambda d, p, lim: reader._open(d, p, lim).part)
    for package in (damaged, bomb):
        with pytest.raises(InputError, match="damaged"):
            source.read_bytes(package, "note.docx", None, small)


def test_a_sound_word_file_is_read_without_python_docxs_document(sample, boxes, monkeypatch):
    """python-docx's ``Document()`` is only the reader's fallback, for a package its own
    reading cannot take (whose error then names the damage as python-docx names it)."""
    from sba_lint.source import docx as reader

    def refused(*args, **kwargs):
        raise AssertionError("python-docx's Document() was asked for")

    monkeypatch.setattr(reader, "_open", refused)
    for path in (sample, boxes):
        assert source.read_bytes(path.read_bytes(), "note.docx").text

