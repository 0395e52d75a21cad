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
    # "failed to engage" split over three runs with different formatting (the finding,
    # "failed to engage with", ends in a fourth)
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


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
_TEXT_BOX_NS = {"w": W_NS, "mc": MC_NS, "wps": WPS_NS, "wp": WP_NS, "a": A_NS, "v": V_NS}
_shape_ids = iter(range(1001, 10_000))


def _el(parent, tag: str, attrib: dict[str, str] | None = None) -> etree._Element:
    prefix, name = tag.split(":")
    return etree.SubElement(parent, f"{{{_TEXT_BOX_NS[prefix]}}}{name}", attrib or {})


def _box_content(parent, paragraphs: list[list[str] | str]) -> None:
    """A ``w:txbxContent`` holding the paragraphs; a paragraph given as a list of strings
    is written as that many runs (the first bold), as Word splits formatted text."""
    content = _el(parent, "w:txbxContent")
    for para in paragraphs:
        p = _el(content, "w:p")
        for k, text in enumerate([para] if isinstance(para, str) else para):
            r = _el(p, "w:r")
            if k == 0 and not isinstance(para, str):
                _el(_el(r, "w:rPr"), "w:b")
            t = _el(r, "w:t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            t.text = text


def _vml_pict(parent, paragraphs: list[list[str] | str], shape_id: int) -> None:
    pict = _el(parent, "w:pict")
    shape = _el(pict, "v:shape", {"id": f"Text Box {shape_id}", "type": "#_x0000_t202",
                                  "style": "position:absolute;margin-left:0;margin-top:0;"
                                           "width:180pt;height:60pt;z-index:251659264"})
    _box_content(_el(shape, "v:textbox"), paragraphs)


def add_text_box(paragraph, paragraphs: list[list[str] | str], *, kind: str = "both") -> None:
    """Append a run holding a floating text box to a python-docx paragraph, as Word writes
    one: ``kind="both"`` a DrawingML shape (``mc:Choice``) with a VML copy of the same
    text (``mc:Fallback``); ``"drawing"`` the DrawingML alone inside AlternateContent;
    ``"vml"`` a bare VML ``w:pict`` text box, as older Word wrote them."""
    shape_id = next(_shape_ids)
    run = etree.SubElement(paragraph._p, qn("w:r"), nsmap=_TEXT_BOX_NS)
    if kind == "vml":
        _vml_pict(run, paragraphs, shape_id)
        return
    alternate = _el(run, "mc:AlternateContent")
    choice = _el(alternate, "mc:Choice", {"Requires": "wps"})
    anchor = _el(_el(choice, "w:drawing"), "wp:anchor", {
        "distT": "0", "distB": "0", "distL": "114300", "distR": "114300", "simplePos": "0",
        "relativeHeight": "251659264", "behindDoc": "0", "locked": "0", "layoutInCell": "1",
        "allowOverlap": "1"})
    _el(anchor, "wp:simplePos", {"x": "0", "y": "0"})
    for axis, rel in (("H", "column"), ("V", "paragraph")):
        _el(_el(anchor, f"wp:position{axis}", {"relativeFrom": rel}), "wp:posOffset").text = "0"
    _el(anchor, "wp:extent", {"cx": "2286000", "cy": "762000"})
    _el(anchor, "wp:effectExtent", {"l": "0", "t": "0", "r": "0", "b": "0"})
    _el(anchor, "wp:wrapSquare", {"wrapText": "bothSides"})
    _el(anchor, "wp:docPr", {"id": str(shape_id), "name": f"Text Box {shape_id}"})
    _el(anchor, "wp:cNvGraphicFramePr")
    data = _el(_el(anchor, "a:graphic"), "a:graphicData", {"uri": WPS_NS})
    wsp = _el(data, "wps:wsp")
    _el(wsp, "wps:cNvSpPr", {"txBox": "1"})
    sp = _el(wsp, "wps:spPr")
    xfrm = _el(sp, "a:xfrm")
    _el(xfrm, "a:off", {"x": "0", "y": "0"})
    _el(xfrm, "a:ext", {"cx": "2286000", "cy": "762000"})
    _el(_el(sp, "a:prstGeom", {"prst": "rect"}), "a:avLst")
    _box_content(_el(wsp, "wps:txbx"), paragraphs)
    _el(wsp, "wps:bodyPr", {"rot": "0", "vert": "horz", "wrap": "square", "anchor": "t"})
    if kind == "both":
        _vml_pict(_el(alternate, "mc:Fallback"), paragraphs, shape_id)


def text_box_docx(path: Path) -> Path:
    """A case note with text boxes where Word puts them: in the body (DrawingML with a
    VML fallback, its phrase split over runs), a bare VML one, one in a table cell and
    one in the header."""
    d = docx.Document()
    d.add_paragraph("Visit on Monday.")
    p = d.add_paragraph("Home visit at ")
    add_text_box(p, [["Mum fail", "ed to engage with the nursery."],
                     "We will utilise the family network."])
    p.add_run("the flat; Leo played.")
    legacy = d.add_paragraph("Old form: ")
    add_text_box(legacy, ["Dad is an addict according to the referral."], kind="vml")
    table = d.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Plan"
    cell = table.cell(0, 1).paragraphs[0]
    cell.add_run("Next steps")
    add_text_box(cell, ["Supervised contact on Fridays."])
    d.add_paragraph("Tom loves football.")
    header = d.sections[0].header.paragraphs[0]
    header.text = "Case note"
    add_text_box(header, ["Respite plan for Tom"])
    d.save(path)
    return path


def rewrite_parts(path: Path, change) -> Path:
    """Rewrite a saved .docx's parts in place: ``change(name, data)`` gives each part's new
    bytes (for documents python-docx would not write: odd ids, a DOCTYPE, broken XML)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, change(name, data))
    return path
