"""The writer's answers to sba-lint's comments in Word: "keep this wording".

``annotate`` and ``fix`` leave a comment on each finding.  Its last paragraph names the
rule, ``rule.id (severity)``, and its message quotes the flagged words.  The writer who
disagrees tells sba-lint so in Word, in one of three ways:

- **resolving** the comment: in ``word/commentsExtended.xml`` the ``w15:commentEx`` whose
  ``w15:paraId`` is the comment's last paragraph's ``w14:paraId`` has ``w15:done="1"``;
- **replying** "sba-lint: keep": a comment whose ``w15:commentEx`` has a
  ``w15:paraIdParent`` pointing at sba-lint's comment (through a reply to a reply too);
- for applications that write no threads (LibreOffice, a document made by hand): a
  comment "sba-lint: keep", by anyone, anchored on exactly the same words.  (A reply
  that does name its parent counts for that comment only, not for every comment on
  those words.)

Each becomes a :class:`~sba_lint.source.document.Kept` of the comment's rule on the words
its range holds now, and the engine leaves that finding out.  A comment whose words have
been edited since no longer quotes them and keeps nothing; one with no quoted words
(a message that quotes none, or one written with ``--redact``) is matched by its rule
and its exact span alone.  Only comments anchored in the body count (sba-lint never
comments in headers, footers or notes); nothing in the document is changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .document import Kept
from .docx import _RT, PART_ERRORS, P, T, _q, _xml, comment_ranges

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
COMMENTS_EXTENDED = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
_PARA_ID = f"{{{W14}}}paraId"
_EX, _EX_ID, _EX_PARENT, _EX_DONE = (f"{{{W15}}}{n}" for n in ("commentEx", "paraId",
                                                                  "paraIdParent", "done"))

#: the last paragraph of sba-lint's comment: ``blame.failed-to-engage (warning)``
_RULE_LINE = re.compile(r"\s*([a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)+)\s*"
                        r"\((?:error|warning|info)\)\s*")
#: "sba-lint: keep", any case, with whatever spaces and punctuation around it
_KEEP = re.compile(r"[\W_]*sba[\s\-\u2010\u2011\u2013]?lint\s*:?\s*keep[\W_]*", re.IGNORECASE)
_QUOTED = re.compile(r'["\u201c\u201d\u201e]([^"\u201c\u201d\u201e\n]+)["\u201c\u201d]')
_TRUE = ("1", "true", "on")

RESOLVED = "kept by the writer (resolved comment in Word)"
REPLIED = 'kept by the writer (reply "sba-lint: keep" in Word)'
SAME_WORDS = 'kept by the writer (comment "sba-lint: keep" on the same words in Word)'


@dataclass
class _Comment:
    cid: str
    paragraphs: list[str]
    para_ids: list[str]  # the w14:paraId of each of its paragraphs that has one (upper case)

    @property
    def text(self) -> str:
        return " ".join(p.strip() for p in self.paragraphs).strip()


def _part(main: Any, reltype: str) -> Any:
    for rel in main.rels.values():
        if not rel.is_external and rel.reltype == reltype:
            return rel.target_part
    return None


def _comments(root: Any) -> dict[str, _Comment]:
    out = {}
    for c in root.iterchildren(_q("comment")):
        cid = c.get(_q("id"))
        if cid is None:
            continue
        paragraphs = list(c.iter(P))
        out[cid] = _Comment(cid, ["".join(t.text or "" for t in p.iter(T)) for p in paragraphs],
                            [p.get(_PARA_ID).upper() for p in paragraphs if p.get(_PARA_ID)])
    return out


def _threads(main: Any) -> tuple[set[str], dict[str, str]]:
    """From commentsExtended.xml: the paragraph ids of resolved comments, and each reply's
    paragraph id -> its parent's.  Nothing when the part is missing or unreadable."""
    part = _part(main, COMMENTS_EXTENDED)
    if part is None:
        return set(), {}
    try:
        root = _xml(part)
    except (etree.XMLSyntaxError, *PART_ERRORS):  # unzipped only now: damage shows here
        return set(), {}
    done: set[str] = set()
    parent: dict[str, str] = {}
    for ex in root.iter(_EX):
        pid = (ex.get(_EX_ID) or "").upper()
        if not pid:
            continue
        if (ex.get(_EX_DONE) or "").lower() in _TRUE:
            done.add(pid)
        if ex.get(_EX_PARENT):
            parent[pid] = ex.get(_EX_PARENT).upper()
    return done, parent


def says_keep(text: str) -> bool:
    """Whether a comment says "sba-lint: keep" (any case; spaces and punctuation around)."""
    return _KEEP.fullmatch(text) is not None


def still_quoted(paragraphs: list[str], words: str) -> bool:
    """Whether sba-lint's comment is still about ``words``: its message quotes them, or it
    quotes nothing it can be checked against (no quotes, or ``--redact``'s "…")."""
    quoted = [" ".join(q.split()) for p in paragraphs[:-1] for q in _QUOTED.findall(p)]
    if not quoted or any(q in ("…", "...") for q in quoted):
        return True
    wanted = " ".join(words.split()).casefold()
    return any(q.casefold() == wanted for q in quoted)


def kept(main: Any, body: Any, text: str,
         where: Callable[[Any], tuple[int, int] | None]) -> list[Kept]:
    """The findings the writer kept, from the comments of the document's main part
    ``main`` anchored in ``body``; ``where`` gives the characters of a read ``w:t``."""
    part = _part(main, _RT + "comments")
    if part is None:
        return []
    comments = _comments(_xml(part))
    if not comments:
        return []
    spans = comment_ranges(body, where, comments)
    ours: dict[str, tuple[str, int, int]] = {}  # sba-lint's comments: id -> rule, span
    for cid, c in comments.items():
        m = _RULE_LINE.fullmatch(c.paragraphs[-1]) if c.paragraphs else None
        if m and cid in spans:
            start, end = spans[cid]
            if still_quoted(c.paragraphs, text[start:end]):
                ours[cid] = (m.group(1), start, end)
    if not ours:
        return []
    done, parent = _threads(main)
    by_para = {pid: cid for cid, c in comments.items() for pid in c.para_ids}
    out: dict[tuple[str, int, int], str] = {}

    def keep(cid: str, reason: str) -> None:
        out.setdefault(ours[cid], reason)

    for cid in ours:
        if done.intersection(comments[cid].para_ids):
            keep(cid, RESOLVED)
    for cid, c in comments.items():
        if cid in ours or not says_keep(c.text):
            continue
        replied_to = [parent[pid] for pid in c.para_ids if pid in parent]
        if replied_to:  # a reply: the comment that began its thread
            root, seen = by_para.get(replied_to[-1]), {cid}
            while root is not None and root not in seen:
                seen.add(root)
                up = [parent[pid] for pid in comments[root].para_ids if pid in parent]
                if not up:
                    break
                root = by_para.get(up[-1])
            if root in ours:
                keep(root, REPLIED)
        elif cid in spans:  # no thread: any sba-lint comment on exactly these words
            for other, (_, start, end) in ours.items():
                if (start, end) == spans[cid]:
                    keep(other, SAME_WORDS)
    return [Kept(rule, start, end, text[start:end], reason)
            for (rule, start, end), reason in sorted(out.items(), key=lambda kv: kv[0][1:])]
