"""Profiles: a document type (case note, assessment, court report, letter) as a choice of
rules and targets, laid under the user's own configuration.

A profile is a YAML file in a ``profiles/`` folder of a style (the bundled ``rules/``, or a
folder given with ``--rules``)::

    profile: letter
    name: Letter to a child or family
    description: ...
    extend-select: [readability]          # like the configuration keys
    severity: {plain: warning}
    options:                              # per-rule targets
      readability.grade: {max: 6}

The user's ``select``/``extend-select``/``ignore``/``severity``/``allow`` apply on top.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, RulePackError
from ..resources import rules_dir
from . import matches
from .model import Rule

_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}
SCHEMA = {
    "type": "object",
    "properties": {
        "profile": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "select": _LIST,
        "extend-select": _LIST,
        "ignore": _LIST,
        "severity": {"type": "object", "additionalProperties": {"enum": ["error", "warning", "info"]}},
        "allow": _LIST,
        "options": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "max": {"type": "number"},
                    "min": {"type": "number"},
                    "once": {"type": "boolean"},
                },
                "additionalProperties": False,
            },
        },
    },
    "required": ["profile", "name", "description"],
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]
    severity: tuple[tuple[str, str], ...]
    allow: tuple[str, ...]
    options: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    file: str


def profile_files(rule_dirs: Iterable[Path] = ()) -> dict[str, Path]:
    """Profile name -> file: bundled first; a folder given later overrides by name."""
    found: dict[str, Path] = {}
    for folder in (rules_dir(), *[Path(d) for d in rule_dirs]):
        sub = folder / "profiles"
        if sub.is_dir():
            for f in sorted(sub.glob("*.y*ml")):
                found[f.stem] = f
    return found


def _load_file(path: Path) -> Profile:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return _load_cached(path, mtime)


@lru_cache(maxsize=64)
def _load_cached(path: Path, _mtime: int) -> Profile:
    import yaml
    from jsonschema import Draft202012Validator

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise RulePackError(f"profile cannot be read ({e})", str(path)) from None
    except yaml.YAMLError as e:
        raise RulePackError(f"profile is not valid YAML ({str(e).splitlines()[0]})", str(path)) from None
    if not isinstance(data, dict):
        raise RulePackError("a profile must be a mapping", str(path))
    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        where = ".".join(str(p) for p in errors[0].absolute_path)
        raise RulePackError(f"profile {where + ': ' if where else ''}{errors[0].message}", str(path))
    return Profile(
        name=data["profile"],
        title=data["name"],
        description=" ".join(data["description"].split()),
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        severity=tuple(data.get("severity", {}).items()),
        allow=tuple(data.get("allow", ())),
        options=tuple((k, tuple(sorted(v.items()))) for k, v in data.get("options", {}).items()),
        file=str(path),
    )


def available(rule_dirs: Iterable[Path] = ()) -> list[Profile]:
    return [_load_file(p) for p in profile_files(rule_dirs).values()]


def load_profile(name: str, rule_dirs: Iterable[Path] = ()) -> Profile:
    files = profile_files(rule_dirs)
    if name not in files:
        known = ", ".join(sorted(files)) or "none"
        raise ConfigError(f"no profile called '{name}' (available: {known})")
    return _load_file(files[name])


def apply_options(rules: list[Rule], profile: Profile) -> list[Rule]:
    """The rules with the profile's per-rule targets (``max``, ``min``, ``once``) set."""
    out = list(rules)
    for selector, items in profile.options:
        hit = False
        for k, rule in enumerate(out):
            if not matches(rule, selector):
                continue
            hit = True
            opts = dict(items)
            spec = dict(rule.spec)
            for key in ("max", "min"):
                if key in opts:
                    if rule.kind != "metric":
                        raise RulePackError(
                            f"profile '{profile.name}': '{key}' applies to metric rules, "
                            f"not '{rule.id}'", profile.file)
                    spec[key] = opts[key]
            out[k] = dataclasses.replace(rule, spec=spec, once=opts.get("once", rule.once))
        if not hit:
            raise RulePackError(
                f"profile '{profile.name}': options name no rule '{selector}'", profile.file)
    return out
