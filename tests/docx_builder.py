"""Build real .docx files for tests: split runs, tables, headers, footnotes, tracked changes."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _run(text: str, tag: str = "w:t") -> etree._Element:
    r = etree.SubElement(etree.Element(qn("w:p")), qn("w:r"))
    t = etree.SubElement(r, qn(tag))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def add_tracked(paragraph, inserted: str = "", deleted: str = "", author: str = "Editor") -> None:
    """Append a tracked insertion and/or deletion to a python-docx paragraph."""
    p = paragraph._p
    if deleted:
        d = etree.SubElement(p, qn("w:del"), {qn("w:id"): "901", qn("w:author"): author,
                                               qn("w:date"): "2026-01-01T00:00:00Z"})
        d.append(_run(deleted, "w:delText"))
    if inserted:
        i = etree.SubElement(p, qn("w:ins"), {qn("w:id"): "902", qn("w:author"): author,
                                               qn("w:date"): "2026-01-01T00:00:00Z"})
        i.append(_run(inserted))


def add_footnotes(document, notes: dict[int, str]) -> None:
    """Give the document a footnotes part with the given notes (id -> text)."""
    root = etree.Element(qn("w:footnotes"), nsmap={"w": W_NS})
    for note_id, kind in ((-1, "separator"), (0, "continuationSeparator")):
        fn = etree.SubElement(root, qn("w:footnote"), {qn("w:type"): kind, qn("w:id"): str(note_id)})
        p = etree.SubElement(fn, qn("w:p"))
        r = etree.SubElement(p, qn("w:r"))
        etree.SubElement(r, qn("w:separator"))
    for note_id, text in notes.items():
        fn = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(note_id)})
        p = etree.SubElement(fn, qn("w:p"))
        p.append(_run(text))
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    # a reference to note 1 from the first paragraph, as Word writes it
    body_p = document.paragraphs[0]._p
    r = etree.SubElement(body_p, qn("w:r"))
    etree.SubElement(r, qn("w:footnoteReference"), {qn("w:id"): str(min(notes))})


def sample_docx(path: Path) -> Path:
    """A case note exercising every part the reader must handle."""
    d = docx.Document()
    p = d.add_paragraph("Visit on Monday. ")
    # "failed to engage" split over three runs with different formatting
    r1 = p.add_run("Dad fail")
    r1.bold = True
    r2 = p.add_run("ed to en")
    r2.italic = True
    r3 = p.add_run("gage")
    r3.font.size = Pt(14)
    p.add_run(" with the service.")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Plan"
    table.cell(0, 1).text = "Next steps"
    table.cell(1, 0).text = "Family time"
    table.cell(1, 1).text = "Supervised contact on Fridays."
    tracked = d.add_paragraph("Mum said she ")
    add_tracked(tracked, inserted="utilises the bus", deleted="absconded from the bus")
    tracked.add_run(" to get to school.")
    d.add_paragraph("Tom loves football and is proud of his team.")
    header = d.sections[0].header
    header.paragraphs[0].text = "Respite plan for Tom"
    footer = d.sections[0].footer
    footer.paragraphs[0].text = "Case closure due in May"
    add_footnotes(d, {1: "Mum is an addict according to the referral."})
    d.save(path)
    return path
