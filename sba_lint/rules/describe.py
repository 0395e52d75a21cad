"""Human-readable description of a rule, for ``sba-lint rules show`` and the docs."""

from __future__ import annotations

from .model import Rule


def conditions_text(rule: Rule) -> list[str]:
    c = rule.conditions
    out = []
    if c.case_sensitive:
        out.append("case-sensitive")
    if c.pos:
        out.append("part of speech: " + ", ".join(sorted(c.pos)))
    if c.not_dep:
        out.append("not as: " + ", ".join(sorted(c.not_dep)))
    if c.not_object:
        out.append("not when its object is: " + ", ".join(sorted(c.not_object)))
    if c.objects:
        out.append("only when its object is: " + ", ".join(sorted(c.objects)))
    if c.sense:
        out.append(f"sense: {c.sense}")
    if c.subject:
        out.append("subject is a child" if c.subject == "child"
                   else "subject is a child under 16" if c.subject == "young-child"
                   else f"subject is a {c.subject} (family member, child, adult we support)")
    for name in ("preceded_by", "not_preceded_by", "followed_by", "not_followed_by"):
        seqs = getattr(c, name)
        if seqs:
            shown = ", ".join(" ".join(s) for s in seqs[:8]) + (" ..." if len(seqs) > 8 else "")
            out.append(f"{name.replace('_', ' ')}: {shown}")
    if not c.in_quotes:
        out.append("not inside quotation marks")
    return out


def describe(rule: Rule) -> str:
    lines = [
        f"{rule.id}  ({rule.kind}, {rule.severity}, {rule.category}"
        f"{'' if rule.enabled else ', off by default'})",
        "",
        rule.message,
    ]
    if rule.suggestions:
        lines += ["", "Suggestions: " + "; ".join(rule.suggestions)]
    if rule.fix != "none":
        lines.append(f"Fix: {rule.fix} (replaces the words with the first suggestion)")
    if rule.kind == "phrase":
        lines += ["", "Matches: " + "; ".join(rule.spec["phrases"])
                  + (f" (and their {rule.inflect} forms)" if rule.inflect != "none" else "")]
    elif rule.kind == "acronym":
        lines += ["", f"Acronyms: {len(rule.spec['acronyms'])} known"
                  + (", and unknown capitalised words" if rule.spec["unknown"] else "")]
    elif rule.kind == "metric":
        limits = ", ".join(f"{k} {rule.spec[k]}" for k in ("max", "min") if k in rule.spec)
        lines += ["", f"Measures: {rule.spec['metric']} ({limits})"]
    cond = conditions_text(rule)
    if cond:
        lines += ["Conditions: " + "; ".join(cond)]
    if rule.source:
        lines += ["", "Source: " + "; ".join(rule.source)]
    if rule.note:
        lines += ["Note: " + rule.note]
    lines += ["", "Flagged:"] + [f"  - {e.text}" for e in rule.flag]
    if rule.ok:
        lines += ["Not flagged:"] + [f"  - {e.text}" for e in rule.ok]
    lines.append(f"\nDefined in {rule.file}")
    return "\n".join(lines)
