"""Applying fixes: the findings whose rule offers a mechanical replacement.

- :mod:`.text`: .txt and .md, as a new text, a unified diff or in place;
- :mod:`.word`: .docx, as tracked changes the practitioner accepts or rejects in Word.

Only fixes marked safe are applied unless unsafe ones are asked for (as ruff does).
Where two fixes overlap, the first is applied and the other is left as a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..findings import FileResult


@dataclass(frozen=True)
class Plan:
    """Which findings of a result are fixed, and which are left for a person."""

    fixed: list[int]  # indexes into result.findings
    left: list[int]


def plan(result: FileResult, *, unsafe: bool = False) -> Plan:
    fixed: list[int] = []
    left: list[int] = []
    last_end = -1
    for i, f in sorted(enumerate(result.findings), key=lambda x: (x[1].start, x[1].end)):
        usable = f.fix is not None and (f.fix.safe or unsafe) and f.end > f.start
        if usable and f.start >= last_end:
            fixed.append(i)
            last_end = f.end
        else:
            left.append(i)
    return Plan(sorted(fixed), sorted(left))


__all__ = ["Plan", "plan"]
