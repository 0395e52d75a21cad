"""Configuration: ``sba-lint.toml`` or ``[tool.sba-lint]`` in ``pyproject.toml``.

Found from the checked file's folder upwards (the nearest wins), or given with
``--config``.  Command-line options override the file.  Unknown keys and bad values are
errors that name the file and the key.

The search stops at the project's root (a folder holding ``.git``, or a
``pyproject.toml`` with ``[tool.sba-lint]``) and at the user's home folder, so a file
planted higher up (in ``/tmp``, a shared drive) is never found.  A file found by the
search that another user owns, or that others may write to, is ignored with a warning
naming it: a shared folder must not be able to switch the checker off.  ``--config``
always wins and is read whoever owns it.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import limits as limits_module
from .errors import ConfigError

CONFIG_NAMES = ("sba-lint.toml", ".sba-lint.toml")
#: a configuration file larger than this is refused unread
MAX_CONFIG_BYTES = 1024 * 1024
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
        "limits": limits_module.SCHEMA,
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
    #: ``[limits]``: (key, value) pairs laid over :data:`sba_lint.limits.DEFAULT`
    limits: tuple[tuple[str, int], ...] = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def limit_values(self) -> limits_module.Limits:
        return limits_module.DEFAULT.merged(dict(self.limits))

    def merged(self, **options: Any) -> Config:
        """This config with command-line options laid over it (``None`` keeps the file's)."""
        changes: dict[str, Any] = {}
        for key, value in options.items():
            if value is None or value == ():
                continue
            if key in ("extend_select", "ignore", "allow", "exclude", "rules"):
                changes[key] = tuple(getattr(self, key)) + tuple(value)
            elif key in ("severity", "limits"):
                changes[key] = tuple(dict(getattr(self, key), **dict(value)).items())
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
        limits=tuple(data.get("limits", {}).items()),
        path=path,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    from .files import read_regular

    try:
        raw = read_regular(path, MAX_CONFIG_BYTES)
    except ValueError:
        raise ConfigError(f"is larger than {MAX_CONFIG_BYTES // 1024} KiB, the limit for a "
                          "configuration file", str(path)) from None
    except OSError as e:
        raise ConfigError(f"cannot be read ({e.strerror or e})", str(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ConfigError(f"is not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start}); "
                          "TOML files are UTF-8", str(path)) from None
    if sys.version_info >= (3, 11):  # imported here: most checks read no configuration file
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"not valid TOML ({e})", str(path)) from None
    except (RecursionError, MemoryError):
        raise ConfigError("is nested too deeply to read", str(path)) from None


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


_warned: set[str] = set()


def warn(message: str) -> None:
    """Tell the user once (per process) about something they should know but that does
    not stop the run: one line on standard error."""
    if message not in _warned:
        _warned.add(message)
        print(f"sba-lint: warning: {message}", file=sys.stderr)


def untrusted(path: Path) -> str | None:
    """Why a configuration file found by the search is not to be used (another user owns
    it or the link to it, or others may write to it), or None for a file that is safe."""
    getuid = getattr(os, "getuid", None)
    try:
        infos = [os.lstat(path), os.stat(path)]
    except OSError as e:
        return f"cannot be examined ({e.strerror or e})"
    for info in infos:
        if getuid is not None and info.st_uid not in (getuid(), 0):
            return f"is owned by another user (uid {info.st_uid})"
    mode = infos[1].st_mode
    if getuid is not None and mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "may be changed by other users (it is group- or world-writable)"
    return None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (OSError, RuntimeError, KeyError):
        return None


def _usable(candidate: Path) -> bool:
    why = untrusted(candidate)
    if why:
        warn(f"{candidate}: ignored: {why}; name it with --config to use it anyway")
    return why is None


@lru_cache(maxsize=1024)
def find(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder), not above the project's
    root or the user's home; files that are not safe to trust are skipped with a warning."""
    home = _home()
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file() and _usable(candidate):
                return candidate
        pyproject = folder / "pyproject.toml"
        root = (folder / ".git").exists() or folder == home
        if pyproject.is_file():
            try:
                ours = "sba-lint" in _read_toml(pyproject).get("tool", {})
            except ConfigError:
                ours = True  # report the broken file rather than skip it
            if ours and _usable(pyproject):
                return pyproject
            root = root or ours
        if root:
            break
    return None


def for_path(path: Path) -> Config:
    """The configuration that applies to a file (or the defaults)."""
    folder = path if path.is_dir() else path.parent
    found = find(folder.resolve())
    return load(found) if found else Config()
