"""What a practitioner does to a reviewed copy in Word, written as Word writes it.

Word gives each comment paragraph a ``w14:paraId`` and records every comment's state in
``word/commentsExtended.xml``: a ``w15:commentEx`` per comment whose ``w15:paraId`` is the
comment's last paragraph's, ``w15:done="1"`` once resolved, and ``w15:paraIdParent`` on a
reply.  A reply's range starts just after its parent's ``commentRangeStart`` and ends
after the parent's reference run.  ``threads=False`` writes as LibreOffice and hand-made
documents do: no paragraph ids and no commentsExtended part.
"""

from __future__ import annotations

import io
import itertools
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXTENDED_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
EXTENDED_REL = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class InWord:
    """A reviewed copy open in Word.  Change it, then :meth:`save` for the new bytes."""

    def __init__(self, data: bytes, *, threads: bool = True):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.files = {i.filename: z.read(i.filename) for i in z.infolist()}
        self.threads = threads
        self.document = etree.fromstring(self.files["word/document.xml"])
        if "word/comments.xml" in self.files:
            self.comments = etree.fromstring(self.files["word/comments.xml"])
        else:
            self.comments = etree.Element(w("comments"), nsmap={"w": W, "w14": W14})
            self._relate("comments.xml", COMMENTS_REL, "/word/comments.xml", COMMENTS_CT)
        self._ids = itertools.count(0x1A2B0001)
        self.extended = None
        if threads:
            if "word/commentsExtended.xml" in self.files:
                self.extended = etree.fromstring(self.files["word/commentsExtended.xml"])
            else:
                self.extended = etree.Element(f"{{{W15}}}commentsEx", nsmap={"w15": W15, "mc": MC})
                self.extended.set(f"{{{MC}}}Ignorable", "w15")
                self._relate("commentsExtended.xml", EXTENDED_REL, "/word/commentsExtended.xml",
                             EXTENDED_CT)
            for c in self.comments.iterchildren(w("comment")):  # Word numbers every comment
                if self._ex(c) is None:
                    etree.SubElement(self.extended, f"{{{W15}}}commentEx",
                                     {f"{{{W15}}}paraId": self._para_id(c), f"{{{W15}}}done": "0"})

    # -- the package --------------------------------------------------------------------
    def _relate(self, target: str, reltype: str, partname: str, content_type: str) -> None:
        rels = etree.fromstring(self.files["word/_rels/document.xml.rels"])
        etree.SubElement(rels, f"{{{REL_NS}}}Relationship",
                         {"Id": f"rIdReview{len(rels) + 1}", "Type": reltype, "Target": target})
        self.files["word/_rels/document.xml.rels"] = _xml(rels)
        types = etree.fromstring(self.files["[Content_Types].xml"])
        etree.SubElement(types, f"{{{CT_NS}}}Override",
                         {"PartName": partname, "ContentType": content_type})
        self.files["[Content_Types].xml"] = _xml(types)

    def save(self) -> bytes:
        self.files["word/document.xml"] = _xml(self.document)
        self.files["word/comments.xml"] = _xml(self.comments)
        if self.extended is not None:
            self.files["word/commentsExtended.xml"] = _xml(self.extended)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, blob in self.files.items():
                z.writestr(name, blob)
        return out.getvalue()

    # -- comments --------------------------------------------------------------------------
    def _comment(self, cid: str) -> etree._Element:
        return next(c for c in self.comments.iterchildren(w("comment")) if c.get(w("id")) == cid)

    def _para_id(self, comment: etree._Element) -> str:
        """The comment's last paragraph's id, given one as Word does on saving."""
        last = list(comment.iter(w("p")))[-1]
        if last.get(f"{{{W14}}}paraId") is None:
            last.set(f"{{{W14}}}paraId", f"{next(self._ids):08X}")
            last.set(f"{{{W14}}}textId", "77777777")
        return last.get(f"{{{W14}}}paraId")

    def _ex(self, comment: etree._Element) -> etree._Element | None:
        last = list(comment.iter(w("p")))[-1]
        pid = last.get(f"{{{W14}}}paraId")
        if pid is None or self.extended is None:
            return None
        return next((e for e in self.extended if e.get(f"{{{W15}}}paraId") == pid), None)

    def by_rule(self, rule: str, paragraph: str | None = None) -> str:
        """The id of sba-lint's comment on a finding of ``rule`` (in the paragraph holding
        the words ``paragraph``): the only one."""
        found = []
        for c in self.comments.iterchildren(w("comment")):
            last = "".join(t.text or "" for t in list(c.iter(w("p")))[-1].iter(w("t")))
            if not last.startswith(rule + " ("):
                continue
            start = self._marks(c.get(w("id")))[0]
            where = next(start.iterancestors(w("p")))
            if paragraph is None or paragraph in "".join(t.text or "" for t in where.iter(w("t"))):
                found.append(c.get(w("id")))
        assert len(found) == 1, (rule, paragraph, found)
        return found[0]

    def resolve(self, cid: str) -> None:
        """Mark the comment done (Word's Resolve)."""
        assert self.extended is not None, "resolving needs commentsExtended.xml"
        ex = self._ex(self._comment(cid))
        assert ex is not None
        ex.set(f"{{{W15}}}done", "1")

    def _new_comment(self, text: str, author: str) -> str:
        cid = str(max([int(c.get(w("id"))) for c in self.comments] + [-1]) + 1)
        comment = etree.SubElement(self.comments, w("comment"), {
            w("id"): cid, w("author"): author, w("date"): "2026-03-02T10:15:00Z", w("initials"): "JP"})
        p = etree.SubElement(comment, w("p"))
        p_pr = etree.SubElement(p, w("pPr"))
        etree.SubElement(p_pr, w("pStyle"), {w("val"): "CommentText"})
        ref = etree.SubElement(p, w("r"))
        etree.SubElement(etree.SubElement(ref, w("rPr")), w("rStyle"), {w("val"): "CommentReference"})
        etree.SubElement(ref, w("annotationRef"))
        t = etree.SubElement(etree.SubElement(p, w("r")), w("t"))
        t.text = text
        return cid

    def _marks(self, cid: str) -> tuple[etree._Element, etree._Element, etree._Element]:
        """A comment's range start and end, and the run holding its reference."""
        start = next(e for e in self.document.iter(w("commentRangeStart")) if e.get(w("id")) == cid)
        end = next(e for e in self.document.iter(w("commentRangeEnd")) if e.get(w("id")) == cid)
        ref = next(e for e in self.document.iter(w("commentReference")) if e.get(w("id")) == cid)
        return start, end, ref.getparent()

    @staticmethod
    def _reference(near: etree._Element, cid: str) -> etree._Element:
        run = near.makeelement(w("r"), {})
        etree.SubElement(etree.SubElement(run, w("rPr")), w("rStyle"), {w("val"): "CommentReference"})
        etree.SubElement(run, w("commentReference"), {w("id"): cid})
        return run

    def reply(self, cid: str, text: str, author: str = "Jo Practitioner") -> str:
        """Reply to a comment: anchored on the same words, threaded under it where Word
        writes threads."""
        new = self._new_comment(text, author)
        start, _, ref_run = self._marks(cid)
        start.addnext(start.makeelement(w("commentRangeStart"), {w("id"): new}))
        ref_run.addnext(self._reference(ref_run, new))
        ref_run.addnext(ref_run.makeelement(w("commentRangeEnd"), {w("id"): new}))
        if self.extended is not None:
            etree.SubElement(self.extended, f"{{{W15}}}commentEx", {
                f"{{{W15}}}paraId": self._para_id(self._comment(new)),
                f"{{{W15}}}paraIdParent": self._para_id(self._comment(cid)),
                f"{{{W15}}}done": "0"})
        return new

    def comment_on_runs(self, first: etree._Element, last: etree._Element, text: str,
                        author: str = "Team Manager", resolved: bool = False) -> str:
        """A new comment of its own (no thread) on the runs ``first`` to ``last``."""
        new = self._new_comment(text, author)
        first.addprevious(first.makeelement(w("commentRangeStart"), {w("id"): new}))
        last.addnext(self._reference(last, new))
        last.addnext(last.makeelement(w("commentRangeEnd"), {w("id"): new}))
        if self.extended is not None:
            etree.SubElement(self.extended, f"{{{W15}}}commentEx", {
                f"{{{W15}}}paraId": self._para_id(self._comment(new)),
                f"{{{W15}}}done": "1" if resolved else "0"})
        return new

    def comment_on_same_words(self, cid: str, text: str, author: str = "Jo Practitioner") -> str:
        """A new comment of its own (not a reply) on exactly the words ``cid`` is on."""
        start, end, _ = self._marks(cid)
        inside = list(itertools.takewhile(lambda e: e is not end, start.itersiblings()))
        runs = [e for e in inside if e.tag == w("r")]
        return self.comment_on_runs(runs[0], runs[-1], text, author)

    def anchored_text(self, cid: str) -> list[etree._Element]:
        """The ``w:t`` elements between a comment's range start and end."""
        start, end, _ = self._marks(cid)
        out, inside = [], False
        for el in self.document.iter():
            if el is start:
                inside = True
            elif el is end:
                break
            elif inside and el.tag == w("t"):
                out.append(el)
        return out

    def retype(self, cid: str, words: str) -> None:
        """Type ``words`` over the words a comment is anchored on (the comment stays)."""
        texts = self.anchored_text(cid)
        texts[0].text = words
        for t in texts[1:]:
            t.text = ""

    def paragraph_with(self, words: str) -> etree._Element:
        return next(p for p in self.document.iter(w("p"))
                    if words in "".join(t.text or "" for t in p.iter(w("t"))))
