"""Stage 1: each reader gives the right text, and a map back to where it came from."""

from __future__ import annotations

import codecs
import hashlib

import docx
import pytest
from docx_builder import sample_docx

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
        source.read_bytes(b"line one\nbad \xff byte\n", "note.txt")
    assert str(e.value) == (
        "note.txt: is not valid UTF-8 (byte 0xff on line 2); save it as UTF-8 and try again")


@pytest.mark.parametrize("data", [b"", b"   \n\n"])
def test_empty_text_is_an_error(data):
    with pytest.raises(InputError, match="is empty"):
        source.read_bytes(data, "empty.txt")


def test_binary_file_is_refused():
    with pytest.raises(InputError, match="binary"):
        source.read_bytes(b"\x00\x01\x02abc", "x.txt")


@pytest.mark.parametrize("name", ["report.doc", "report.pdf", "notes.rtf", "README"])
def test_unsupported_formats(name):
    with pytest.raises(InputError, match="unsupported format"):
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
