"""The bundled rule packs, parsed when sba-lint is built, for a fast start.

PyYAML builds what it reads in Python: parsing the bundled packs takes longer than the
rest of a short check.  The build (``setup.py``) and ``sba-lint rules compile`` write
:data:`NAME` beside them: for each pack file the SHA-256 of its text, how deep it nests,
and its parsed data as JSON, which loads in a few milliseconds.  A pack is taken from it
only while its text has that hash, and only from a file written by this version of
sba-lint under this feature release of PyYAML; any other pack, or one changed since, is
parsed from its YAML as always.  Nothing is written at run time.

This module needs only the standard library and PyYAML, so that the build can run it
before sba-lint is installed.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

NAME = "packs.compiled.json"
FORMAT = 1
_LEADING = re.compile(r"[ \t-]*")
_BRACKETS = re.compile(r"[\[\]{}]")


def parse(text: str) -> Any:
    """A pack's text as data, the one way sba-lint parses packs: libyaml's C parser when
    PyYAML was built with it (ten times faster), else the Python one.  PyYAML is imported
    here, not before: a check whose packs all come from the table never needs it."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)


@cache
def _pyyaml_release() -> str:
    """PyYAML's feature release ("6.0"), from its installed metadata rather than by
    importing it (15 ms); from the module itself where the metadata cannot be read."""
    from ..installed import version as installed_version

    version = installed_version("PyYAML")
    if version is None:
        from importlib import metadata

        try:
            version = metadata.version("PyYAML")
        except (metadata.PackageNotFoundError, ValueError):
            import yaml

            version = yaml.__version__
    return ".".join(version.split(".")[:2])


def depth(text: str) -> int:
    """How deep a pack's text nests: brackets, and indentation or "- " at a line's start,
    each count as a level."""
    level = deepest = 0
    for ch in _BRACKETS.findall(text):
        level += 1 if ch in "[{" else -1
        deepest = max(deepest, level)
    for line in text.splitlines():
        deepest = max(deepest, len(_LEADING.match(line).group()) // 2)  # type: ignore[union-attr]
    return deepest


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _stamp(version: str) -> dict[str, Any]:
    # PyYAML's feature release: a build fetches the newest PyYAML, a user's may be older
    # (6.0.4 and 6.0.3 read YAML alike; a new major or minor release might not)
    return {"format": FORMAT, "sba_lint": version, "pyyaml": _pyyaml_release()}


def compile_folder(folder: Path, version: str) -> dict[str, Any]:
    """The table for the packs (``*.yml``, ``*.yaml``) of ``folder``.  A pack that does
    not parse, or whose data JSON cannot hold exactly (a date, a key that is no string),
    is left out: it is read from its YAML."""
    import yaml

    packs: dict[str, Any] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            data = parse(text)
            encoded = json.dumps(data, ensure_ascii=False, allow_nan=False)
        except (yaml.YAMLError, TypeError, ValueError, RecursionError):
            continue
        if json.loads(encoded) != data:
            continue
        packs[path.name] = {"sha256": _digest(text), "depth": depth(text), "data": encoded}
    return {**_stamp(version), "packs": packs}


def write(folder: Path, version: str, out: Path | None = None) -> Path:
    """Write the table for ``folder`` to ``out`` (default: :data:`NAME` in ``folder``)."""
    out = out or folder / NAME
    table = compile_folder(folder, version)
    out.write_text(json.dumps(table, ensure_ascii=False, indent=0), encoding="utf-8")
    return out


@lru_cache(maxsize=8)
def _packs(folder: str, version: str) -> dict[str, Any] | None:
    try:
        table = json.loads((Path(folder) / NAME).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(table, dict) or {k: table.get(k) for k in _stamp(version)} != _stamp(version):
        return None
    packs = table.get("packs")
    return packs if isinstance(packs, dict) else None


def lookup(path: Path, text: str, version: str) -> tuple[Any, int] | None:
    """The data and depth of the pack ``path`` whose text is ``text``, from the table
    beside it; None when there is none for exactly this text."""
    packs = _packs(str(path.parent), version)
    entry = packs.get(path.name) if packs else None
    if not isinstance(entry, dict) or entry.get("sha256") != _digest(text):
        return None
    return json.loads(entry["data"]), int(entry["depth"])
