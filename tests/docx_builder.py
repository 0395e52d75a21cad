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


def add_existing_comment(document, paragraph, text: str, author: str = "Team Manager") -> None:
    """A comment someone else left, anchored on a paragraph's runs."""
    document.add_comment(paragraph.runs, text=text, author=author, initials="TM")


_CASE_PARAGRAPHS = [
    "I visited the family at home on {day}. Mum made tea and we talked in the kitchen while "
    "Leo played with his cars.",
    "Dad failed to engage with the drug and alcohol service in {month}, and Mum said he was "
    "aggressive when the worker rang.",
    "Leo enjoys football and is proud of his swimming badge. He told me he likes his teacher.",
    "Amy has contact with her brothers on Saturdays at the contact centre.",
    "We will utilise the family network and commence the plan prior to the review.",
    "Mum said she has kept every appointment since {month} and is able to get the children to "
    "school on time.",
    "The school nurse says Leo is settled and has made friends in his class.",
    "In order to support Dad, the team will facilitate a meeting with the housing officer.",
]


def realistic_case_note(path: Path, pages: int = 10) -> Path:
    """A long case note like a real one: headings, paragraphs with split formatting, tables,
    a header and footer, footnotes, and comments and tracked changes left by other people.
    One visit a page: ten pages, about 1,600 words, as LibreOffice lays it out."""
    d = docx.Document()
    d.sections[0].header.paragraphs[0].text = "OFFICIAL - SENSITIVE: Respite plan review"
    d.sections[0].footer.paragraphs[0].text = "Case closure is not planned"
    d.add_heading("Case note: the Taylor family", level=1)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    months = ["January", "February", "March", "April", "May", "June"]
    first = None
    for page in range(pages):
        d.add_heading(f"Visit {page + 1}", level=2)
        for k, template in enumerate(_CASE_PARAGRAPHS):
            text = template.format(day=days[(page + k) % 5], month=months[(page + k) % 6])
            p = d.add_paragraph()
            if k == 1:  # the blaming phrase split over differently formatted runs
                head, tail = text.split("failed to engage", 1)
                p.add_run(head)
                p.add_run("fail").bold = True
                p.add_run("ed to en").italic = True
                p.add_run("gage")
                p.add_run(tail)
            else:
                p.add_run(text)
            if first is None:
                first = p
            if k == 3 and page % 3 == 0:
                add_existing_comment(d, p, "Please check the dates with Mum.")
            if k == 6 and page % 2 == 0:
                add_tracked(p, inserted=" She is doing well.", deleted=" No concerns.")
        table = d.add_table(rows=3, cols=2)
        table.style = "Table Grid"
        cells = [("Who", "What we agreed"), ("Mum", "Supervised contact on Fridays"),
                 ("Social worker", "Ring Dad about the placement")]
        for r, (a, b) in enumerate(cells):
            table.cell(r, 0).text = a
            table.cell(r, 1).text = b
        d.add_page_break()
    add_footnotes(d, {1: "Mum is an addict according to the referral.",
                      2: "The LAC review date is to be confirmed."})
    d.save(path)
    return path
