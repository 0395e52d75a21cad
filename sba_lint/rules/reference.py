"""``docs/rules.md``: the rule reference, generated from the packs and profiles.

``sba-lint rules docs -o docs/rules.md`` writes it; ``--check`` fails when the file is not
what the packs would generate, so CI keeps it current.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from ..catalogue import anchor
from .describe import conditions_text
from .model import Example, Rule
from .profiles import Profile

_TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "rules.md.j2"


def _esc(text: str) -> str:
    """Text safe inside a Markdown list item (no accidental emphasis or HTML)."""
    return re.sub(r"([\\`*_<>|])", r"\\\1", text)


def _md(text: str) -> str:
    return _esc(" ".join(text.split()))


def _example(e: Example) -> str:
    if e.span is None:
        shown = _md(e.text)
    else:
        s, t = e.span
        shown = f"{_esc(e.text[:s])}**{_esc(e.text[s:t])}**{_esc(e.text[t:])}"
    if e.rewrite is not None:
        shown += f" → {_md(e.rewrite)}"
    elif e.advice_only:
        shown += " (advice only)"
    return shown


def _phrase(rule: Rule, phrase: str) -> str:
    own = rule.spec.get("phrase_suggestions", {})
    if phrase not in own:
        return _md(phrase)
    drop_ins = ", ".join(f"`{s}`" for s in own[phrase]) or "advice only"
    return f"{_md(phrase)} → {drop_ins}"


def _matches(rule: Rule) -> str:
    if rule.kind == "phrase":
        forms = f" (and their {rule.inflect} forms)" if rule.inflect != "none" else ""
        return "; ".join(_phrase(rule, p) for p in rule.spec["phrases"]) + forms
    if rule.kind == "acronym":
        known = len(rule.spec["acronyms"])
        extra = ", and any unexplained capitalised word" if rule.spec["unknown"] else ""
        return f"{known} known acronyms not yet written out in the document{extra}"
    if rule.kind == "metric":
        limits = ", ".join(f"{k} {rule.spec[k]}" for k in ("max", "min") if k in rule.spec)
        return f"{rule.spec['metric']} ({limits})"
    return "spaCy token patterns: " + _md(str(rule.spec["patterns"]))


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": rule.kind,
        "severity": str(rule.severity),
        "enabled": rule.enabled,
        "fix": rule.fix,
        "once": rule.once,
        "message": _md(rule.message),
        "suggestions": [f"`{s}`" if "`" not in s else _md(s) for s in rule.suggestions],
        "advice": _md(rule.advice),
        "matches": _matches(rule),
        "conditions": [_md(c) for c in conditions_text(rule) if c != "not inside quotation marks"],
        "source": _md("; ".join(rule.source)),
        "flag": [_example(e) for e in rule.flag],
        "ok": [_example(e) for e in rule.ok],
    }


def _profile(p: Profile) -> dict[str, Any]:
    settings = []
    if p.select is not None:
        settings.append("select: " + ", ".join(f"`{s}`" for s in p.select))
    if p.extend_select:
        settings.append("also runs: " + ", ".join(f"`{s}`" for s in p.extend_select))
    if p.ignore:
        settings.append("leaves out: " + ", ".join(f"`{s}`" for s in p.ignore))
    for sel, level in p.severity:
        settings.append(f"`{sel}` at severity {level}")
    for sel, opts in p.options:
        shown = ", ".join("first use only" if k == "once" and v else f"{k} {v}" for k, v in opts)
        settings.append(f"`{sel}`: {shown}")
    return {"name": p.name, "title": p.title, "description": _md(p.description),
            "settings": settings}


def render(rules: list[Rule], profiles: list[Profile]) -> str:
    from jinja2 import Environment, StrictUndefined

    packs: dict[str, dict[str, Any]] = {}
    for rule in rules:
        if rule.pack not in packs:
            meta = yaml.safe_load(Path(rule.file).read_text(encoding="utf-8"))
            packs[rule.pack] = {
                "id": rule.pack,
                "name": meta.get("name", rule.pack),
                "anchor": anchor(meta.get("name", rule.pack)),
                "file": Path(rule.file).name,
                "category": meta["category"],
                "deficit": bool(meta.get("deficit", False)),
                "description": _md(meta.get("description", "")),
                "rules": [],
            }
        packs[rule.pack]["rules"].append(_rule(rule))
    acronyms = sum(len(r.spec["acronyms"]) for r in rules if r.kind == "acronym")
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)
    template = env.from_string(_TEMPLATE.read_text(encoding="utf-8"))
    text = template.render(rules=rules, packs=list(packs.values()), acronyms=acronyms,
                           profiles=[_profile(p) for p in sorted(profiles, key=lambda p: p.name)])
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def bundled() -> str:
    """The reference for the bundled packs and profiles (what docs/rules.md holds)."""
    from .loader import discover, load_rules
    from .profiles import available

    return render(load_rules(discover(entry_points=False)), available())
