"""Read back what annotate and fix wrote, the way Word would: comments and their anchored
words, and the document's text with tracked changes accepted or rejected."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part(data: bytes, name: str) -> etree._Element | None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if name not in z.namelist():
            return None
        return etree.fromstring(z.read(name))


def comments(data: bytes) -> dict[str, dict[str, str]]:
    """Comment id -> author, text."""
    root = part(data, "word/comments.xml")
    out: dict[str, dict[str, str]] = {}
    if root is None:
        return out
    for c in root.iter(q("comment")):
        paras = ["".join(t.text or "" for t in p.iter(q("t"))) for p in c.iter(q("p"))]
        out[c.get(q("id"))] = {"author": c.get(q("author")), "text": "\n".join(paras)}
    return out


def anchored(data: bytes, part_name: str = "word/document.xml") -> dict[str, str]:
    """Comment id -> the visible words between its range start and end (document order)."""
    root = part(data, part_name)
    active: dict[str, list[str]] = {}
    done: dict[str, str] = {}
    for el in root.iter():
        if el.tag == q("commentRangeStart"):
            active[el.get(q("id"))] = []
        elif el.tag == q("commentRangeEnd"):
            cid = el.get(q("id"))
            done[cid] = "".join(active.pop(cid, []))
        elif el.tag == q("t") and not any(a.tag == q("del") for a in el.iterancestors()):
            for words in active.values():
                words.append(el.text or "")
    return done


def _each_xml_part(data: bytes, change: Any) -> bytes:
    """A copy of the package with ``change(root)`` applied to every ``word/*.xml`` part."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            blob = src.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                root = etree.fromstring(blob)
                change(root)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(item, blob)
    return out.getvalue()


def _rewrite(data: bytes, keep_insertions: bool, author: str | None) -> bytes:
    def change(root: Any) -> None:
        for el in list(root.iter(q("ins"), q("del"))):
            if author is not None and el.get(q("author")) != author:
                continue
            parent = el.getparent()
            if parent is None:
                continue
            accept = (el.tag == q("ins")) == keep_insertions
            if accept:  # unwrap: the content stays as ordinary text
                for t in el.iter(q("delText")):
                    t.tag = q("t")
                index = parent.index(el)
                for child in reversed(list(el)):
                    parent.insert(index, child)
            parent.remove(el)

    return _each_xml_part(data, change)


def accept_all(data: bytes, author: str | None = None) -> bytes:
    """Accept every tracked change (or only ``author``'s): keep insertions, drop deletions."""
    return _rewrite(data, True, author)


def reject_all(data: bytes, author: str | None = None) -> bytes:
    """Reject every tracked change (or only ``author``'s): drop insertions, keep deletions."""
    return _rewrite(data, False, author)


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def fallback_only(data: bytes) -> bytes:
    """The document as an application that reads no DrawingML sees it: every ``mc:Choice``
    dropped, so each text box is read from its VML copy in ``mc:Fallback``."""

    def change(root: Any) -> None:
        for choice in list(root.iter(f"{{{MC}}}Choice")):
            choice.getparent().remove(choice)

    return _each_xml_part(data, change)


def in_text_box(data: bytes, element: str, part_name: str = "word/document.xml") -> list[str]:
    """For each ``element`` (``commentRangeStart``, ``ins``...) in the part: where it is,
    ``"choice"`` or ``"fallback"`` for a text box's copies, ``"vml"`` for a bare VML
    box, ``"story"`` outside any text box."""
    root = part(data, part_name)
    out = []
    for el in root.iter(q(element)):
        tags = [a.tag for a in el.iterancestors()]
        if f"{{{MC}}}Choice" in tags:
            out.append("choice")
        elif f"{{{MC}}}Fallback" in tags:
            out.append("fallback")
        elif q("txbxContent") in tags:
            out.append("vml")
        else:
            out.append("story")
    return out
