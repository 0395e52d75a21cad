"""``sba-lint annotate``: the practitioner's own Word document back, with a comment on
each finding anchored on exactly the flagged words.

A comment holds the message, the suggestions, the advice and the rule id.  A finding in a text box
of the body is commented on in the box, as Word and LibreOffice show comments there.
Findings where Word shows no comments (headers and footers, their text boxes too) or
that belong to the whole document (reading grade) go into one summary comment at the
start of the body, naming where each one is.  The text
of the document is not changed: only comments are added.
"""

from __future__ import annotations

from collections import Counter

from ..findings import FileResult, Finding
from ..source.document import describe_origin
from ..source.docx_edit import WordEditor


def comment_text(f: Finding, redact: bool = False) -> list[str]:
    """The paragraphs of one finding's comment."""
    lines = [f.shown_message(redact)]
    if f.suggestions:
        lines.append("Try: " + "; ".join(f.shown_suggestions(redact)))
    if f.advice:
        lines.append(f.shown_advice(redact) or "")
    lines.append(f"{f.rule} ({f.severity})")
    return lines


def summary_lines(result: FileResult) -> list[str]:
    """The document's statistics and strengths balance, for ``--summary``."""
    counts = Counter(f.severity for f in result.findings)
    detail = ", ".join(f"{counts[s]} {s}" for s in sorted(counts, reverse=True)) or "none"
    st = result.stats
    lines = [f"sba-lint review: {len(result.findings)} findings ({detail})."]
    if "words" in st:
        bits = [f"{st['words']} words"]
        if "sentences" in st:
            bits.append(f"{st['sentences']} sentences")
        if "grade" in st:
            bits.append(f"reading grade {st['grade']}")
        lines.append(", ".join(bits) + ".")
    if "strengths" in st:
        lines.append(f"Strengths balance: {st['strengths']} strengths statements, "
                     f"{st.get('deficit', 0)} deficit findings.")
    return lines


def place_of(f: Finding) -> str:
    where = describe_origin(f.origin)
    return where or "the whole document"


def annotate(editor: WordEditor, result: FileResult, *, summary: bool = False,
             redact: bool = False, skip: frozenset[int] = frozenset()) -> tuple[int, int]:
    """Add the comments to ``editor``; returns how many findings were commented on, and
    how many already had a comment from an earlier run.

    ``skip`` holds indexes of findings already dealt with (fixed as tracked changes).
    A finding that already has this author's comment on the same words (from an earlier
    run over the reviewed copy) is not commented on twice.
    """
    unplaced: list[str] = []
    done = already = 0
    for i, f in enumerate(result.findings):
        if i in skip:
            continue
        if f.end > f.start and editor.already_commented(f.start, f.end, f.rule):
            already += 1  # a comment from an earlier run says this already
            continue
        placed = f.end > f.start and editor.comment(f.start, f.end, comment_text(f, redact))
        if placed:
            done += 1
        else:
            words = "" if redact or not f.match or f.end - f.start > 80 else f'"{f.match}": '
            unplaced.append(f"In {place_of(f)}: {words}{f.shown_message(redact)} ({f.rule})")
    head: list[str] = summary_lines(result) if summary else []
    if unplaced:
        head.append(f"{len(unplaced)} finding{'s' if len(unplaced) != 1 else ''} where Word "
                    "shows no comment:")
        head.extend(unplaced)
    if head and editor.has_comment(head):
        already += len(unplaced)
    elif head:
        editor.summary_comment(head)
        done += len(unplaced)
    return done, already
