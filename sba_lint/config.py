"""Configuration: ``sba-lint.toml`` or ``[tool.sba-lint]`` in ``pyproject.toml``.

Found from the checked file's folder upwards (the nearest wins), or given with
``--config``.  Command-line options override the file.  Unknown keys and bad values are
errors that name the file and the key.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = ("sba-lint.toml", ".sba-lint.toml")
_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}
SCHEMA = {
    "type": "object",
    "properties": {
        "select": _LIST,
        "extend-select": _LIST,
        "ignore": _LIST,
        "severity": {
            "type": "object",
            "additionalProperties": {"enum": ["error", "warning", "info"]},
        },
        "rules": _LIST,
        "allow": _LIST,
        "exclude": _LIST,
        "fail-on": {"enum": ["error", "warning", "info", "never"]},
        "redact": {"type": "boolean"},
        "profile": {"type": "string", "minLength": 1},
    },
    "additionalProperties": False,
}


@dataclass(frozen=True)
class Config:
    """Everything that decides which rules run and how results count."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    rules: tuple[Path, ...] = ()
    allow: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    fail_on: str = "warning"
    redact: bool = False
    profile: str | None = None
    path: Path | None = field(default=None, compare=False)

    def merged(self, **options: Any) -> Config:
        """This config with command-line options laid over it (``None`` keeps the file's)."""
        changes: dict[str, Any] = {}
        for key, value in options.items():
            if value is None or value == ():
                continue
            if key in ("extend_select", "ignore", "allow", "exclude", "rules"):
                changes[key] = tuple(getattr(self, key)) + tuple(value)
            elif key == "severity":
                changes[key] = tuple(dict(self.severity, **dict(value)).items())
            elif key == "select":
                changes[key] = tuple(value)
            else:
                changes[key] = value
        return replace(self, **changes)


def _error_text(error: Any) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        import re

        keys = re.findall(r"'([^']+)'", error.message)
        where = f"[{path}] " if path else ""
        return f"{where}unknown key " + ", ".join(f"'{k}'" for k in keys)
    if error.validator == "enum":
        allowed = ", ".join(map(str, error.validator_value))
        return f"'{path}': {error.instance!r} is not one of {allowed}"
    return f"'{path}': {error.message}"


def parse(data: dict[str, Any], path: Path, *, prefix: str = "") -> Config:
    from jsonschema import Draft202012Validator

    errors = sorted(Draft202012Validator(SCHEMA).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        raise ConfigError(prefix + _error_text(errors[0]), str(path))
    base = path.parent
    return Config(
        select=tuple(data["select"]) if "select" in data else None,
        extend_select=tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        severity=tuple(data.get("severity", {}).items()),
        rules=tuple((base / p).resolve() for p in data.get("rules", ())),
        allow=tuple(data.get("allow", ())),
        exclude=tuple(data.get("exclude", ())),
        fail_on=data.get("fail-on", "warning"),
        redact=bool(data.get("redact", False)),
        profile=data.get("profile"),
        path=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"not valid TOML ({e})", str(path)) from None
    except OSError as e:
        raise ConfigError(f"cannot be read ({e.strerror or e})", str(path)) from None


def load(path: Path) -> Config:
    """Load a config file: a ``sba-lint.toml`` or a ``pyproject.toml``."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("no such configuration file", str(path))
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        section = data.get("tool", {}).get("sba-lint")
        if section is None:
            raise ConfigError("has no [tool.sba-lint] section", str(path))
        return parse(section, path, prefix="[tool.sba-lint] ")
    return parse(data, path)


@lru_cache(maxsize=1024)
def find(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder)."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "sba-lint" in _read_toml(pyproject).get("tool", {}):
                    return pyproject
            except ConfigError:
                return pyproject  # report the broken file rather than skip it
    return None


def for_path(path: Path) -> Config:
    """The configuration that applies to a file (or the defaults)."""
    folder = path if path.is_dir() else path.parent
    found = find(folder.resolve())
    return load(found) if found else Config()
