"""Stage 3, *rules*: packs of data, compiled into a rule set that produces findings.

- :mod:`.schema`, :mod:`.loader`: find, validate and load YAML packs;
- :mod:`.model`: the Rule, its Conditions and Examples;
- :mod:`.kinds`: the closed set of rule kinds, compiled for the fast pass;
- :mod:`.conditions`: lexical and syntactic conditions;
- :mod:`.engine`: candidates -> conditions -> findings;
- :mod:`.examples`: run every rule's own examples.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from fnmatch import fnmatchcase

from ..errors import ConfigError
from ..findings import Severity
from .kinds import RuleSet
from .loader import discover, load_rules
from .model import Rule


def matches(rule: Rule, selector: str) -> bool:
    """A selector names a rule id, a pack, a category, a glob of ids, or ALL."""
    s = selector.strip()
    return (
        s == "ALL"
        or s == rule.id
        or s == rule.pack
        or s.lower() == rule.category.lower()
        or (any(ch in s for ch in "*?[") and fnmatchcase(rule.id, s))
    )


def _check_known(rules: list[Rule], selectors: Iterable[str], what: str) -> None:
    for s in selectors:
        if not any(matches(r, s) for r in rules):
            raise ConfigError(f"{what}: no rule, pack or category is called '{s}'")


def select(rules: list[Rule], *, select: list[str] | None = None,
           extend_select: Iterable[str] = (), ignore: Iterable[str] = (),
           severity: dict[str, str] | None = None) -> list[Rule]:
    """Choose rules like ruff: ``select`` replaces the default set (rules enabled in their
    pack), ``extend_select`` adds, ``ignore`` removes; ``severity`` overrides by selector."""
    extend_select, ignore = list(extend_select), list(ignore)
    _check_known(rules, select or [], "select")
    _check_known(rules, extend_select, "extend-select")
    _check_known(rules, ignore, "ignore")
    if select is None:
        chosen = [r for r in rules if r.enabled]
    else:
        chosen = [r for r in rules if any(matches(r, s) for s in select)]
    ids = {r.id for r in chosen}  # by id: comparing whole rules was quadratic in the rules
    chosen += [r for r in rules if r.id not in ids and any(matches(r, s) for s in extend_select)]
    chosen = [r for r in chosen if not any(matches(r, s) for s in ignore)]
    overrides = severity or {}
    _check_known(rules, overrides, "severity")
    out = []
    for r in chosen:
        for sel, value in overrides.items():
            if matches(r, sel):
                try:
                    r = dataclasses.replace(r, severity=Severity.parse(value))
                except ValueError as e:
                    raise ConfigError(f"severity for '{sel}': {e}") from None
        out.append(r)
    return out


__all__ = ["Rule", "RuleSet", "discover", "load_rules", "matches", "select"]
