"""Fixes for .docx: each as a tracked change (a deletion and an insertion, with author and
date), so the practitioner accepts or rejects each one in Word.  The new words take the
formatting of the first replaced run.  Findings that are not fixed (no mechanical fix, an
unsafe one not asked for, or a place Word cannot take a tracked change) get a comment,
so nothing is silently dropped.
"""

from __future__ import annotations

from ..findings import FileResult
from ..reporters.word import annotate
from ..source.docx_edit import WordEditor
from . import Plan


def apply(editor: WordEditor, result: FileResult, chosen: Plan, *, summary: bool = False,
          redact: bool = False) -> tuple[Plan, int]:
    """Make the tracked changes and the comments.  Returns the plan as carried out (a fix
    Word cannot take, say across a hyperlink's edge, becomes a comment) and how many
    findings were commented on."""
    fixed: set[int] = set()
    # right to left, so a change never moves the text of one still to come
    for i in sorted(chosen.fixed, key=lambda i: result.findings[i].start, reverse=True):
        f = result.findings[i]
        assert f.fix is not None
        if editor.replace(f.start, f.end, f.fix.replacement):
            fixed.add(i)
    commented, _ = annotate(editor, result, summary=summary, redact=redact, skip=frozenset(fixed))
    done = Plan(sorted(fixed), sorted(set(range(len(result.findings))) - fixed))
    return done, commented
