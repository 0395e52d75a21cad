"""Editing a .docx in place of its runs: the other half of the reader's origin map.

The reader records, for every character of the text, the ``w:t`` element it came from
(:class:`~sba_lint.source.document.Piece`).  :class:`WordEditor` opens the same bytes,
finds those elements again, splits runs so that a range of the text starts and ends on
run boundaries (each half keeps the run's formatting), and then

- anchors a Word comment exactly on the range (:meth:`comment`), or
- replaces it with a tracked change, a ``w:del`` of the original runs and a ``w:ins`` of
  the new words in the first run's formatting (:meth:`replace`).

Nothing else in the package is touched: existing comments, tracked changes, fields,
images and settings come through as they were.

Text boxes are edited where the reader read them: the DrawingML copy in ``mc:Choice``.
Comments are anchored there as in any paragraph (Word and LibreOffice show comments in
text boxes); a range that starts in a box and ends outside it (or in another box) gets
no comment of its own.  After a tracked change in a box, the box's VML copy in
``mc:Fallback`` is made again from the changed one (without comment marks, with revision
ids of its own), so an application that reads the fallback sees the same change; a
change in a box whose fallback cannot be matched to it is not made (it becomes a
comment).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from bisect import bisect_right
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import InputError
from ..limits import DEFAULT, Limits
from .document import Document
from .docx import (
    _RT,
    ALTERNATE,
    CHOICE,
    FALLBACK,
    TXBX_CONTENT,
    P,
    R,
    T,
    W,
    _open,
    _q,
    _visible_runs,
    comment_ranges,
)

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
RPR, DEL, INS, DEL_TEXT = _q("rPr"), _q("del"), _q("ins"), _q("delText")
_ID = _q("id")
#: stories where findings go into the summary comment instead of their own: Word shows no
#: comments in headers and footers, and LibreOffice will not open a document with a
#: comment inside a footnote or endnote (seen with LibreOffice 7.4)
NO_COMMENTS = ("header", "footer", "footnote", "endnote")


@dataclass
class _Span:
    """Characters ``[start, end)`` of the document text held by one ``w:t`` element."""

    start: int
    end: int
    t: Any
    part: str


class WordEditor:
    """One .docx opened for comments and tracked changes.  Use once, then :meth:`save`."""

    def __init__(self, data: bytes, document: Document, *, author: str = "sba-lint",
                 initials: str = "SBA", date: dt.datetime | None = None,
                 limits: Limits = DEFAULT):
        # python-docx's Document() unzips every part, so every part is held to the limits
        # first (reading the text unzipped only the parts with text)
        self.doc = _open(data, document.path, limits)
        self.document = document
        self.author = author
        self.initials = initials
        self.date = (date or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0)
        self._blob_roots: dict[str, tuple[Any, Any]] = {}  # part name -> (part, parsed root)
        self._revision = self._max_revision_id() + 1
        self.spans = self._resolve()
        self._existing: dict[tuple[int, int], list[str]] | None = None
        self._next_comment_id: int | None = None
        self._own_texts: set[str] = set()
        #: mc:AlternateContent whose Choice text box took a tracked change, and so whose
        #: Fallback copy is to be made again on saving
        self._stale_fallbacks: list[Any] = []

    # -- finding the elements again --------------------------------------------------
    def _roots(self) -> dict[str, Any]:
        main = self.doc.part
        roots = {str(main.partname): self.doc.element.body}
        for rel in main.rels.values():
            if rel.is_external:
                continue
            part = rel.target_part
            name = str(part.partname)
            element = getattr(part, "element", None)
            if element is not None:
                roots[name] = element
            elif rel.reltype in (_RT + "footnotes", _RT + "endnotes"):  # as the reader finds them
                root = etree.fromstring(part.blob)
                self._blob_roots[name] = (part, root)
                roots[name] = root
        return roots

    def _resolve(self) -> list[_Span]:
        roots = self._roots()
        paragraphs: dict[str, list[Any]] = {}
        runs: dict[tuple[str, int], list[Any]] = {}
        spans = []
        for piece in self.document.pieces:
            if piece.part not in roots:
                raise InputError(f"part {piece.part} has changed since it was read", self.document.path)
            if piece.part not in paragraphs:
                paragraphs[piece.part] = list(roots[piece.part].iter(P))
            key = (piece.part, piece.paragraph)
            if key not in runs:
                runs[key] = list(paragraphs[piece.part][piece.paragraph].iter(R))
            run = runs[key][piece.run]
            texts = [c for c in run if c.tag == T]
            spans.append(_Span(piece.start, piece.end, texts[piece.element], piece.part))
        return spans

    def _max_revision_id(self) -> int:
        ids = [0]
        for el in self.doc.element.iter(INS, DEL):
            try:
                ids.append(int(el.get(_ID, "0")))
            except ValueError:
                pass
        return max(ids)

    # -- splitting runs ---------------------------------------------------------------
    def _span_index(self, offset: int) -> int | None:
        """The span with ``offset`` strictly inside it (spans are in text order)."""
        i = bisect_right(self.spans, offset, key=lambda s: s.start) - 1
        if i >= 0 and self.spans[i].start < offset < self.spans[i].end:
            return i
        return None

    def _touching(self, start: int, end: int) -> list[_Span]:
        i = max(bisect_right(self.spans, start, key=lambda s: s.start) - 1, 0)
        out = []
        while i < len(self.spans) and self.spans[i].start < end:
            if start < self.spans[i].end:
                out.append(self.spans[i])
            i += 1
        return out

    def cut(self, offset: int) -> None:
        """Make ``offset`` a run boundary (if it falls inside a run's text)."""
        i = self._span_index(offset)
        if i is None:
            return
        s = self.spans[i]
        k = offset - s.start
        t = s.t
        run = t.getparent()
        new_run = run.makeelement(R, dict(run.attrib))
        rpr = run.find(RPR)
        if rpr is not None:
            new_run.append(copy.deepcopy(rpr))
        new_t = t.makeelement(T, {})
        text = t.text or ""
        t.text, new_t.text = text[:k], text[k:]
        t.set(_XML_SPACE, "preserve")
        new_t.set(_XML_SPACE, "preserve")
        new_run.append(new_t)
        for sibling in list(t.itersiblings()):
            new_run.append(sibling)
        run.addnext(new_run)
        self.spans[i:i + 1] = [_Span(s.start, offset, t, s.part), _Span(offset, s.end, new_t, s.part)]

    def runs(self, start: int, end: int) -> list[Any]:
        """The runs holding ``[start, end)``, after cutting at both ends; in order."""
        self.cut(start)
        self.cut(end)
        out: list[Any] = []
        for s in self._touching(start, end):
            run = s.t.getparent()
            if not out or out[-1] is not run:
                out.append(run)
        return out

    # -- comments -----------------------------------------------------------------------
    def existing(self) -> dict[tuple[int, int], list[str]]:
        """Comments this author already left in the body: (start, end) of the words they
        are anchored on -> their texts.  Lets a second run skip what the first one said."""
        if self._existing is not None:
            return self._existing
        found: dict[tuple[int, int], list[str]] = {}
        texts: dict[str, str] = {}
        try:
            for c in self.doc.comments:
                if c.author == self.author:
                    texts[str(c.comment_id)] = "\n".join(p.text for p in c.paragraphs)
        except Exception:  # no comments part, or one python-docx cannot read
            texts = {}
        if texts:
            offset = {id(sp.t): (sp.start, sp.end) for sp in self.spans}
            ranges = comment_ranges(self.doc.element.body, lambda t: offset.get(id(t)), texts)
            for cid, span in ranges.items():
                found.setdefault(span, []).append(texts[cid])
        self._existing = found
        self._own_texts = set(texts.values())
        return found

    def has_comment(self, paragraphs: list[str]) -> bool:
        """Whether this author already left a comment with exactly these paragraphs."""
        self.existing()
        return "\n".join(p.replace("\n", " ") for p in paragraphs) in self._own_texts

    def already_commented(self, start: int, end: int, rule: str) -> bool:
        return any(rule in text for text in self.existing().get((start, end), ()))

    def _new_comment(self, paragraphs: list[str]) -> int:
        """Add a comment to the comments part; its id.

        python-docx's own ``add_comment`` reads every existing id as a number each time
        (a document with ids that are not numbers stops it, and ten thousand comments take
        minutes): the ids here are counted on from the largest number found once, and an
        id that is not a number is left alone."""
        from docx.comments import Comment
        from docx.oxml.parser import parse_xml

        comments = self.doc.comments
        element = comments._comments_elm
        if self._next_comment_id is None:
            used = [x.strip() for x in element.xpath("./w:comment/@w:id")]
            self._next_comment_id = max((int(x) for x in used if x.isascii() and x.isdigit()),
                                        default=-1) + 1
        cid = self._next_comment_id
        self._next_comment_id += 1
        comment_elm = parse_xml(
            f'<w:comment xmlns:w="{W}" w:id="{cid}" w:author=""><w:p><w:pPr>'
            '<w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr>'
            '<w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r></w:p>'
            '</w:comment>')
        element.append(comment_elm)
        comment_elm.author = self.author
        comment_elm.initials = self.initials
        comment_elm.date = self.date
        comment = Comment(comment_elm, comments._comments_part)
        texts = [p.replace("\n", " ") for p in paragraphs] or [""]
        comment.paragraphs[0].add_run(texts[0])
        for text in texts[1:]:
            comment.add_paragraph(text=text)
        return cid

    def comment(self, start: int, end: int, paragraphs: list[str]) -> bool:
        """Anchor a comment on exactly ``[start, end)``; False if Word cannot show one there."""
        inside = self._touching(start, end)
        if not inside or not self._commentable(inside[0].t):
            return False
        if _box_of(inside[0].t) is not _box_of(inside[-1].t):
            return False  # from a text box out into its anchor's story, or into another box
        runs = self.runs(start, end)
        if not runs:
            return False
        self._mark(runs[0], runs[-1], self._new_comment(paragraphs))
        return True

    @staticmethod
    def _mark(first: Any, last: Any, cid: int) -> None:
        """The range markers and the reference run Word writes around commented runs."""
        first.addprevious(first.makeelement(_q("commentRangeStart"), {_ID: str(cid)}))
        ref = last.makeelement(R, {})
        rpr = etree.SubElement(ref, RPR)
        etree.SubElement(rpr, _q("rStyle"), {_q("val"): "CommentReference"})
        etree.SubElement(ref, _q("commentReference"), {_ID: str(cid)})
        last.addnext(ref)
        last.addnext(last.makeelement(_q("commentRangeEnd"), {_ID: str(cid)}))

    def _commentable(self, run: Any) -> bool:
        root = run.getroottree().getroot()
        return root.tag not in (_q("hdr"), _q("ftr"), _q("footnotes"), _q("endnotes"))

    def summary_comment(self, paragraphs: list[str]) -> None:
        """A comment on the first words of the body (findings with no place of their own)."""
        body = self.doc.element.body
        for p in body.iter(P):
            if _box_of(p) is not None:
                continue  # the summary goes on the body's own words, not a text box's
            runs = [r for r in _visible_runs(p) if any(c.tag == T and c.text for c in r)]
            if runs:
                self._mark(runs[0], runs[-1], self._new_comment(paragraphs))
                return
        # a body with no text at all (the findings are all in headers or footnotes): a
        # comment on an empty run at the start of the first paragraph
        p = next(body.iter(P), None)
        if p is None:
            p = body.makeelement(P, {})
            body.insert(0, p)
        run = p.makeelement(R, {})
        p.insert(1 if len(p) and p[0].tag == _q("pPr") else 0, run)
        self._mark(run, run, self._new_comment(paragraphs))

    # -- tracked changes ------------------------------------------------------------------
    def replace(self, start: int, end: int, replacement: str) -> bool:
        """Replace ``[start, end)`` with a tracked deletion and insertion; False if the range
        cannot take one (it crosses a hyperlink, field or paragraph boundary)."""
        runs = self.runs(start, end)
        if not runs:
            return False
        parent = runs[0].getparent()
        if any(r.getparent() is not parent for r in runs):
            return False
        siblings = list(parent)
        first, last = siblings.index(runs[0]), siblings.index(runs[-1])
        if siblings[first:last + 1] != runs:
            return False  # something else (a bookmark, a comment marker) sits between
        if any(c.tag not in (RPR, T) for r in runs for c in r):
            return False  # tabs, breaks, footnote marks: leave to the person
        alternates = _choices_around(parent)
        if alternates is None:
            return False  # in a text box whose fallback copy cannot be matched to it
        stamp = self.date.strftime("%Y-%m-%dT%H:%M:%SZ")
        deletion = parent.makeelement(DEL, {_ID: str(self._next_id()), _q("author"): self.author,
                                            _q("date"): stamp})
        runs[0].addprevious(deletion)
        for r in runs:
            deletion.append(r)
            for t in r.findall(T):
                t.tag = DEL_TEXT
                t.set(_XML_SPACE, "preserve")
        insertion = parent.makeelement(INS, {_ID: str(self._next_id()), _q("author"): self.author,
                                             _q("date"): stamp})
        new_run = parent.makeelement(R, {})
        rpr = runs[0].find(RPR)
        if rpr is not None:
            new_run.append(copy.deepcopy(rpr))
        t = etree.SubElement(new_run, T)
        t.text = replacement
        t.set(_XML_SPACE, "preserve")
        insertion.append(new_run)
        deletion.addnext(insertion)
        self.spans = [s for s in self.spans if not (start <= s.start and s.end <= end)]
        self._stale_fallbacks.extend(a for a in alternates if a not in self._stale_fallbacks)
        return True

    def _next_id(self) -> int:
        self._revision += 1
        return self._revision

    # -- saving -----------------------------------------------------------------------------
    def _refresh_fallbacks(self) -> None:
        """Make each changed text box's VML copy again from its DrawingML one, innermost
        first (a box in a box is copied before the box around it)."""
        for alternate in sorted(self._stale_fallbacks, key=_depth, reverse=True):
            pairs = _paired_boxes(alternate)
            assert pairs is not None  # checked before the change was made
            for choice_box, fallback_box in pairs:
                for child in list(fallback_box):
                    fallback_box.remove(child)
                for child in choice_box:
                    fallback_box.append(self._plain_copy(child))
        self._stale_fallbacks = []

    def _plain_copy(self, element: Any) -> Any:
        """A copy for a fallback: no comment marks (a comment is anchored once), and new
        ids for tracked changes (each revision id used once in the part)."""
        out = copy.deepcopy(element)
        for el in list(out.iter(_q("commentRangeStart"), _q("commentRangeEnd"),
                                _q("commentReference"))):
            holder = el.getparent() if el.tag == _q("commentReference") else el
            if holder is not None and holder.getparent() is not None:
                holder.getparent().remove(holder)
        for el in out.iter(INS, DEL):
            el.set(_ID, str(self._next_id()))
        return out

    def tobytes(self) -> bytes:
        self._refresh_fallbacks()
        for part, root in self._blob_roots.values():
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                        standalone=True)
        out = io.BytesIO()
        try:
            self.doc.save(out)
        except Exception as e:  # python-docx on a package it read but cannot write again
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            raise InputError("is not a valid .docx: the package is damaged and cannot be written "
                             "again", self.document.path, reason) from None
        return out.getvalue()


def _box_of(el: Any) -> Any:
    """The innermost text box (``w:txbxContent``) holding ``el``, or None."""
    for a in el.iterancestors(TXBX_CONTENT):
        return a
    return None


def _depth(el: Any) -> int:
    return sum(1 for _ in el.iterancestors())


def _paired_boxes(alternate: Any) -> list[tuple[Any, Any]] | None:
    """Each text box of an AlternateContent's first Choice with its copy in the Fallback,
    in document order; None when they do not pair up one to one."""
    choice, fallback = alternate.find(CHOICE), alternate.find(FALLBACK)
    if choice is None or fallback is None:
        return []
    ours, theirs = list(choice.iter(TXBX_CONTENT)), list(fallback.iter(TXBX_CONTENT))
    if len(ours) != len(theirs):
        return None
    return list(zip(ours, theirs, strict=True))


def _choices_around(el: Any) -> list[Any] | None:
    """The AlternateContent elements whose first Choice holds ``el`` and whose Fallback
    copy must follow a change to it; None if one of those copies cannot be matched."""
    out = []
    for a in el.iterancestors(CHOICE):
        alternate = a.getparent()
        if alternate is None or alternate.tag != ALTERNATE or alternate.find(CHOICE) is not a:
            continue
        if _paired_boxes(alternate) is None:
            return None
        out.append(alternate)
    return out


__all__ = ["NO_COMMENTS", "W", "WordEditor"]
