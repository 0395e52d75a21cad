"""Word .docx: the visible text of body, tables, headers, footers, footnotes and endnotes.

Reading order: the body (paragraphs and tables as they stand, cell by cell), then
footnotes, endnotes, headers and footers.  Each paragraph becomes one line of the text.
Tracked insertions count as text; tracked deletions, field codes and moved-from text do
not.

Text boxes (``w:txbxContent``, in a DrawingML shape or a VML ``v:textbox``) are read as
lines of their own, straight after the paragraph that anchors them, so the anchoring
paragraph's sentence is not cut in two.  Word writes most text boxes twice, a DrawingML
shape in ``mc:Choice`` and a VML copy in ``mc:Fallback``: only the first choice of an
``mc:AlternateContent`` is read (the fallback only when there is no choice), so the
text comes once.  Their origin keeps the anchoring paragraph's place and adds
``text_box`` (the box's ordinal in that story, counted like tables) and
``text_box_paragraph`` (the paragraph's ordinal inside the box; a table in a box is read
cell by cell and its paragraphs counted on).

Comments of sba-lint's that the writer resolved or answered "sba-lint: keep" are read
into :attr:`Document.kept <sba_lint.source.document.Document.kept>` (see
:mod:`~sba_lint.source.word_keep`); nothing else of the comments is read.

Every character taken from a ``w:t`` element is recorded as a :class:`Piece`, so a phrase
split over runs with different formatting maps back to exactly those runs.  A piece's
paragraph ordinal counts every ``w:p`` of the part, those in text boxes (both copies)
included, and its run ordinal every ``w:r`` of the paragraph, a box's runs included, as
:mod:`~sba_lint.source.docx_edit` counts them when it finds the runs again.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Container, Iterator
from typing import Any

from lxml import etree

from ..errors import InputError
from ..limits import DEFAULT, Limits
from .document import Document, Piece, Segment
from .plaintext import require_text

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def _q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, TBL, TR, TC = _q("p"), _q("r"), _q("t"), _q("tbl"), _q("tr"), _q("tc")
SDT, SDT_CONTENT, CUSTOM_XML = _q("sdt"), _q("sdtContent"), _q("customXml")
TAB, BR, CR, NB_HYPHEN = _q("tab"), _q("br"), _q("cr"), _q("noBreakHyphen")
TXBX_CONTENT = _q("txbxContent")
COMMENT_START, COMMENT_END = _q("commentRangeStart"), _q("commentRangeEnd")
ALTERNATE, CHOICE, FALLBACK = f"{{{MC}}}AlternateContent", f"{{{MC}}}Choice", f"{{{MC}}}Fallback"
#: containers whose text is not part of the paragraph's own line (a text box is read on
#: lines of its own, see :func:`text_boxes`)
_HIDDEN = {_q("del"), _q("moveFrom"), TXBX_CONTENT, _q("pPr"), _q("rPr")}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class _Builder:
    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.pos = 0
        self.segments: list[Segment] = []
        self.pieces: list[Piece] = []
        self.paragraph_no = 0
        #: each read ``w:t`` element -> the characters of the text it gave
        self.offsets: dict[Any, tuple[int, int]] = {}

    def emit(self, s: str) -> None:
        self.chunks.append(s)
        self.pos += len(s)

    def paragraph(self, p: Any, part: str, p_index: int, origin: dict[str, Any]) -> None:
        start = self.pos
        run_index = {r: i for i, r in enumerate(p.iter(R))}
        for run in _visible_runs(p):
            r_i = run_index[run]
            element = 0
            for child in run:
                tag = child.tag
                if tag == T:
                    text = child.text or ""
                    if text:
                        self.pieces.append(
                            Piece(self.pos, self.pos + len(text), part, p_index, r_i, element, 0)
                        )
                        self.offsets[child] = (self.pos, self.pos + len(text))
                        self.emit(text)
                    element += 1
                elif tag == TAB:
                    self.emit("\t")
                elif tag in (BR, CR):
                    self.emit(" ")
                elif tag == NB_HYPHEN:
                    self.emit("-")
        self.segments.append(Segment(start, self.pos, origin))
        self.emit("\n")

    def text(self) -> str:
        return "".join(self.chunks)


def comment_ranges(root: Any, where: Callable[[Any], tuple[int, int] | None],
                   wanted: Container[str] | None = None) -> dict[str, tuple[int, int]]:
    """Comment id -> ``(start, end)`` of the words its range holds in the text: from the
    first read ``w:t`` after its ``w:commentRangeStart`` to the last before its
    ``w:commentRangeEnd``, in document order.  ``where`` gives a ``w:t``'s characters, or
    None for one that was not read (deleted, or a text box's fallback copy); a range
    around no read text (a point, a fallback copy) has none.  ``wanted`` limits the ids."""
    found: dict[str, tuple[int, int]] = {}
    open_: dict[str, list[int]] = {}
    for el in root.iter(COMMENT_START, COMMENT_END, T):
        if el.tag == COMMENT_START:
            cid = el.get(_q("id"))
            if cid is not None and (wanted is None or cid in wanted):
                open_[cid] = []
        elif el.tag == COMMENT_END:
            cid = el.get(_q("id"))
            bounds = open_.pop(cid, None)
            if bounds and cid not in found:
                found[cid] = (bounds[0], bounds[1])
        elif open_:
            span = where(el)
            if span is None:
                continue
            for bounds in open_.values():
                if not bounds:
                    bounds.extend(span)
                else:
                    bounds[1] = span[1]
    return found


def _chosen(alternate: Any) -> Any:
    """The branch of an ``mc:AlternateContent`` that is read: the first ``mc:Choice`` (Word
    writes the DrawingML there), else the ``mc:Fallback``; never both."""
    branch = alternate.find(CHOICE)
    return branch if branch is not None else alternate.find(FALLBACK)


def _visible_runs(el: Any) -> Iterator[Any]:
    for child in el:
        tag = child.tag
        if tag == R:
            yield child
        elif tag in _HIDDEN or tag == P or not isinstance(tag, str):
            continue
        elif tag == ALTERNATE:
            branch = _chosen(child)
            if branch is not None:
                yield from _visible_runs(branch)
        else:  # w:ins, w:hyperlink, w:smartTag, w:fldSimple, inline w:sdt, w:moveTo ...
            yield from _visible_runs(child)


def _boxes_in(el: Any) -> Iterator[Any]:
    """``w:txbxContent`` elements under ``el`` in document order, the chosen branch of
    each ``mc:AlternateContent`` only, not descending into a box (a box in a box is found
    from the paragraph that anchors it)."""
    for child in el:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        if tag == TXBX_CONTENT:
            yield child
        elif tag == ALTERNATE:
            branch = _chosen(child)
            if branch is not None:
                yield from _boxes_in(branch)
        elif tag not in (CHOICE, FALLBACK):
            yield from _boxes_in(child)


def text_boxes(p: Any) -> list[Any]:
    """The text boxes a paragraph anchors, once each, in document order.  Boxes in deleted
    or moved-from runs are not part of the document and are left out."""
    return [box for run in _visible_runs(p) for box in _boxes_in(run)]


class _PartWalker:
    """Walks one XML part (body, header, footnotes) block by block.

    The part's paragraph index (what :class:`Piece` records) is built once; ``walk`` may
    then be called for each story in the part (each footnote), numbering its paragraphs
    and tables from 1 under its own ``base`` origin.
    """

    def __init__(self, builder: _Builder, part: str, root: Any):
        self.b = builder
        self.part = part
        self.p_index = {p: i for i, p in enumerate(root.iter(P))}
        self.base: dict[str, Any] = {}
        self.tables = 0
        self.paragraphs = 0
        self.boxes = 0

    def walk(self, container: Any, base: dict[str, Any]) -> None:
        self.base, self.tables, self.paragraphs, self.boxes = base, 0, 0, 0
        self._blocks(container, {}, None)

    def _blocks(self, container: Any, where: dict[str, Any], box: _Box | None) -> None:
        """Paragraphs and tables of ``container``; ``box`` is the text box they are in."""
        for child in container:
            tag = child.tag
            if tag == P:
                if box is None:
                    self.paragraphs += 1
                    origin = {**self.base, **where, "paragraph": self.paragraphs}
                else:
                    box.paragraphs += 1
                    origin = {**box.origin, "text_box_paragraph": box.paragraphs}
                self.b.paragraph(child, self.part, self.p_index[child], origin)
                anchor = origin if box is None else box.anchor
                for content in text_boxes(child):
                    self.boxes += 1
                    self._blocks(content, where, _Box(anchor, self.boxes))
            elif tag == TBL:
                if box is None:
                    self.tables += 1
                table = self.tables
                for r, row in enumerate(child.iterchildren(TR), 1):
                    for c, cell in enumerate(row.iterchildren(TC), 1):
                        # a table in a text box: its paragraphs are counted as the box's
                        self._blocks(cell, {"table": table, "row": r, "cell": c}
                                     if box is None else where, box)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self._blocks(content, where, box)
            elif tag == CUSTOM_XML:
                self._blocks(child, where, box)


class _Box:
    """A text box being read: the origin of the paragraph that anchors it, its ordinal."""

    def __init__(self, anchor: dict[str, Any], number: int):
        self.anchor = anchor
        self.origin = {**anchor, "text_box": number}
        self.paragraphs = 0


def _check_parts(data: bytes, path: str, limits: Limits) -> None:
    """Refuse a package with too many parts or a part declared to unzip to more than the
    ``part-mb`` limit, and read every part through in bounded chunks, keeping nothing, so
    that a part whose bytes do not match its checksum (a zip bomb lying about its size:
    ``zipfile`` gives no more than the size declared) is damage.  Before python-docx's
    ``Document()``, which unzips every part; the reader itself unzips only the parts it
    reads (:class:`_Unzipped`)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for info in _directory(z, path, limits):
            if not info.is_dir():
                with z.open(info) as fh:
                    while fh.read(1 << 20):
                        pass


#: what unzipping one part may raise besides :class:`InputError`: damage (a checksum or a
#: deflate stream that is wrong), a compression or encryption ``zipfile`` cannot read
PART_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError)


def _directory(z: zipfile.ZipFile, path: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """The package's parts, refused where there are more than the ``parts`` limit or one
    is declared larger than ``part-mb`` (``zipfile`` never gives more than a part declares:
    a part that would is damage, so none unzips past the limit)."""
    from . import over_limit

    infos = z.infolist()
    if len(infos) > limits.parts:
        raise over_limit(path, f"holds {len(infos):,} parts, more than {limits.parts:,}", "parts")
    cap = limits.bytes("part_mb")
    for info in infos:
        if info.file_size > cap:
            raise _part_too_large(path, info.filename, limits)
    return infos


class _Unzipped:
    """python-docx's reader of a package's bytes (``docx.opc.phys_pkg._ZipPkgReader``),
    but a part is unzipped only when its bytes are asked for: the reader reads the content
    types, the relationships and the parts that hold text, not the styles, theme, fonts
    and pictures that are most of a Word file's bytes.  The package's directory is checked
    first (:func:`_directory`)."""

    def __init__(self, z: zipfile.ZipFile, path: str, limits: Limits):
        self._zip = z
        # a name twice: the last, as ZipFile reads it
        self._infos = {info.filename: info for info in _directory(z, path, limits)}

    def unzip(self, name: str) -> bytes:
        """A part's bytes: KeyError where there is no such part (as ``ZipFile.read``), one
        of :data:`PART_ERRORS` where it is damaged."""
        return self._zip.read(self._infos[name])

    def blob_for(self, pack_uri: Any) -> Callable[[], bytes]:
        """The part's bytes, later: what unzips them when they are first asked for."""
        name = pack_uri.membername
        if name not in self._infos:
            raise KeyError(name)
        return lambda: self.unzip(name)

    @property
    def content_types_xml(self) -> bytes:
        return self.unzip("[Content_Types].xml")

    def rels_xml_for(self, source_uri: Any) -> bytes | None:
        try:
            return self.unzip(source_uri.rels_uri.membername)
        except KeyError:
            return None

    def close(self) -> None:
        pass


def _part_too_large(path: str, name: str, limits: Limits) -> InputError:
    from . import over_limit

    return over_limit(path, f"its part {name} unzips to more than {limits.part_mb} MiB", "part-mb")


def _check_container(data: bytes, path: str) -> None:
    if data.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise InputError(
                "is password-protected (encrypted); remove the password in Word and try again",
                path,
            )
        raise InputError(
            "is an old-style Word 97-2003 file, not .docx; save it as .docx in Word", path
        )
    if not data:
        raise InputError("is empty: there is no text to check", path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InputError("is not a valid .docx (the file is damaged or not a Word document)", path)


def _open(data: bytes, path: str, limits: Limits | None = None) -> Any:
    """The python-docx Document; with ``limits``, the package's parts are checked first."""
    import docx  # python-docx; imported here so text-only runs never pay for it

    _check_container(data, path)
    try:
        if limits is not None:
            _check_parts(data, path, limits)
        return docx.Document(io.BytesIO(data))
    except InputError:
        raise
    except Exception as e:  # python-docx raises many types for a damaged package
        reason = str(e).splitlines()[0] if str(e) else type(e).__name__
        if "content type" in reason.lower() or "not a Word file" in reason:
            raise InputError("is not a Word .docx document", path, reason) from None
        raise InputError("is not a valid .docx: the package is damaged", path, reason) from None


class _Relationship:
    """What the reader asks of a python-docx relationship."""

    def __init__(self, reltype: str, is_external: bool, target_part: Any):
        self.reltype, self.is_external, self.target_part = reltype, is_external, target_part


class _Part:
    """What the reader asks of a python-docx part: its name, relationships and XML (parsed
    with python-docx's own parser where python-docx parses it, else left as ``blob``,
    unzipped when first read)."""

    def __init__(self, partname: str, content_type: str, reltype: str,
                 blob: Callable[[], bytes]):
        self.partname, self.content_type, self.reltype = partname, content_type, reltype
        self._blob: bytes | Callable[[], bytes] = blob
        self.element: Any = None
        self.rels: dict[str, _Relationship] = {}

    @property
    def blob(self) -> bytes:
        if callable(self._blob):
            self._blob = self._blob()
        return self._blob


#: the parts whose XML the reader reads straight away (python-docx parses them on opening)
_READ_NOW = {_RT + "officeDocument", _RT + "header", _RT + "footer", _RT + "comments"}


def _main_part(data: bytes, path: str, limits: Limits) -> _Part:
    """The main document part of a package, read as ``docx.Document()`` reads it (the same
    content types, relationships and parts, by python-docx's package reader) but parsing
    only the XML the reader reads: the body, headers, footers and comments, and unzipping
    only the parts it reads (:class:`_Unzipped`).  python-docx also parses the styles,
    numbering, settings and properties, and builds an object for every part: most of the
    time a Word file took to read.  Raises where the package is not what ``docx.Document()``
    takes; :func:`_package` then asks python-docx."""
    import docx  # noqa: F401  (registers python-docx's part classes)
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.packuri import PACKAGE_URI
    from docx.opc.part import PartFactory, XmlPart
    from docx.opc.pkgreader import PackageReader, _ContentTypeMap
    from docx.oxml.parser import parse_xml

    def parsed_by_python_docx(part: _Part) -> bool:
        selector = PartFactory.part_class_selector
        cls = selector(part.content_type, part.reltype) if selector is not None else None
        return issubclass(cls or PartFactory._part_cls_for(part.content_type), XmlPart)

    # PackageReader.from_file, over a package whose parts are unzipped when read
    physical = _Unzipped(zipfile.ZipFile(io.BytesIO(data)), path, limits)
    content_types = _ContentTypeMap.from_xml(physical.content_types_xml)
    package_rels = PackageReader._srels_for(physical, PACKAGE_URI)
    reader = PackageReader(content_types, package_rels, PackageReader._load_serialized_parts(
        physical, package_rels, content_types))
    parts = {name: _Part(str(name), ct, reltype, blob)
             for name, ct, reltype, blob in reader.iter_sparts()}
    package: dict[str, _Relationship] = {}
    for source, srel in reader.iter_srels():
        target = None if srel.is_external else parts[srel.target_partname]
        rels = package if source == "/" else parts[source].rels
        rels[srel.rId] = _Relationship(srel.reltype, srel.is_external, target)
    mains = [r.target_part for r in package.values() if r.reltype == _RT + "officeDocument"]
    if len(mains) != 1 or mains[0].content_type != CT.WML_DOCUMENT_MAIN:
        raise ValueError("not one Word main document part")
    main = mains[0]
    for part in [main] + [r.target_part for r in main.rels.values()
                          if not r.is_external and r.reltype in _READ_NOW]:
        if part.element is None and parsed_by_python_docx(part):
            part.element = parse_xml(part.blob)
    if main.element is None:
        raise ValueError("python-docx does not read the main document part as XML")
    return main


def _package(data: bytes, path: str, limits: Limits) -> Any:
    """The main document part: :func:`_main_part`, or where that fails python-docx's own
    (whose error names the damage, as it always has)."""
    _check_container(data, path)
    try:
        return _main_part(data, path, limits)
    except InputError:
        raise
    except Exception:
        return _open(data, path, limits).part


def _xml(part: Any) -> Any:
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return etree.fromstring(part.blob)


def read(data: bytes, path: str, limits: Limits = DEFAULT) -> Document:
    from . import word_keep  # it reads comments with this module's names

    main = _package(data, path, limits)
    b = _Builder()
    try:
        body = main.element.body
        _PartWalker(b, str(main.partname), body).walk(body, {"part": "body"})
        rels = sorted(main.rels.values(), key=lambda r: str(r.target_part.partname)
                      if not r.is_external else "")
        for kind in ("footnote", "endnote"):
            for rel in rels:
                if rel.is_external or rel.reltype != _RT + kind + "s":
                    continue
                root = _xml(rel.target_part)
                walker = _PartWalker(b, str(rel.target_part.partname), root)
                for note in root.iterchildren(_q(kind)):
                    if note.get(_q("type")) in ("separator", "continuationSeparator",
                                                "continuationNotice"):
                        continue
                    walker.walk(note, {"part": kind, kind: int(note.get(_q("id"), "0"))})
        for kind in ("header", "footer"):
            for rel in rels:
                if rel.is_external or rel.reltype != _RT + kind:
                    continue
                name = str(rel.target_part.partname).rsplit("/", 1)[-1].removesuffix(".xml")
                root = _xml(rel.target_part)
                _PartWalker(b, str(rel.target_part.partname), root).walk(
                    root, {"part": kind, "name": name}
                )
        text = b.text()
        kept = word_keep.kept(main, body, text, b.offsets.get)
    except InputError:
        raise
    except Exception as e:  # malformed XML inside an otherwise valid package
        raise InputError("is not a valid .docx: its text could not be read", path, str(e)) from None
    require_text(text, path)
    return Document(path=path, format="docx", text=text, segments=b.segments, pieces=b.pieces,
                    kept=kept, hard_breaks=True)
