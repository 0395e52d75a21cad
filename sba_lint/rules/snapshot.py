"""The bundled rules as built objects, kept from the build: a fast start.

Turning the bundled packs into rules (conditions, word lists, inflected phrases for the
trie) takes about a tenth of a second, more than the rest of a short check.  The build
(``setup.py``) and ``sba-lint rules compile`` write :data:`NAME` beside the packs: the
built rules and each rule's paths through the trie, pickled, behind a one-line header
holding a digest of everything they were built from: the packs' and wordlists' bytes, the
code that builds rules (:data:`CODE`), sba-lint's version, Python's and PyYAML's.  It is
read only while that digest is what the same files give now (a pack or a module edited
since, another Python: the packs are read and built as always), only for the bundled
packs, and only under the default limits.  Nothing is written at run time; the file lives
with sba-lint's own code and is trusted as that code is.

Like :mod:`.compiled`, this module needs only the standard library and PyYAML, so that
the build can run it before sba-lint is installed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import pickle
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .kinds import Item
    from .model import Rule

NAME = "rules.snapshot"
FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent
#: every module of sba-lint that building the bundled rules runs or whose classes the
#: snapshot holds (``tests/test_snapshot.py`` checks the list against what is imported)
CODE = (
    "__init__.py", "errors.py", "files.py", "findings.py", "installed.py", "lazyre.py", "limits.py",
    "resources.py", "analysis/__init__.py", "analysis/morph.py", "analysis/text.py",
    "rules/__init__.py", "rules/compiled.py", "rules/kinds.py", "rules/loader.py",
    "rules/model.py", "rules/snapshot.py", "source/__init__.py", "source/document.py",
    "source/legacy.py",
)

_lock = threading.Lock()
#: the snapshot read in this process, by its digest and folder
_loaded: dict[tuple[str, Path], dict[str, list[Rule]]] = {}
#: rule id -> (its spec, its conditions, its inflection, its trie paths), for the rules of
#: the snapshots read: the paths serve a rule only while it holds those very objects
_items: dict[str, tuple[Any, Any, str | None, list[Item]]] = {}


def _wordlist_folders(folder: Path) -> list[Path]:
    """The folders a bundled pack's @references are looked up in that exist, each once."""
    from .loader import wordlist_dirs

    seen: list[Path] = []
    for d in wordlist_dirs(folder):
        if d.is_dir() and d.resolve() not in seen:
            seen.append(d.resolve())
    return seen


def digest(folder: Path, version: str) -> str:
    """What the rules built from ``folder`` depend on, as one SHA-256."""
    from . import compiled
    from .loader import pack_files

    h = hashlib.sha256()
    h.update(f"{FORMAT}|{version}|{sys.implementation.cache_tag}|{compiled._pyyaml_release()}".encode())
    for rel in CODE:
        h.update(b"\0code\0" + rel.encode() + b"\0")
        h.update((_PACKAGE / rel).read_bytes())
    for path in pack_files(folder):
        h.update(b"\0pack\0" + path.name.encode() + b"\0")
        h.update(path.read_bytes())
    for n, d in enumerate(_wordlist_folders(folder)):  # not their paths: the build's differ
        for path in sorted(d.iterdir()):
            if path.is_file():
                h.update(f"\0wordlist\0{n}/{path.name}\0".encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def build(folder: Path) -> tuple[dict[str, list[Rule]], dict[str, list[Item]]]:
    """The rules of every pack in ``folder`` under the default limits, by file name, and
    each rule's trie paths."""
    from .kinds import trie_items
    from .loader import load_pack, pack_files

    files = {path.name: load_pack(path, validate=False) for path in pack_files(folder)}
    items = {rule.id: trie_items(rule) for rules in files.values() for rule in rules}
    return files, items


def write(folder: Path, version: str, out: Path | None = None) -> Path:
    """Build the rules of ``folder`` and write them to ``out`` (default: :data:`NAME` in
    ``folder``): in full or not at all (a file beside it, then renamed over it)."""
    import dataclasses
    import os
    import tempfile

    from ..errors import RulePackError

    out = out or folder / NAME
    before = digest(folder, version)
    files, items = build(folder)
    if digest(folder, version) != before:
        raise RulePackError("the packs or wordlists changed while the rules were built; run it again",
                            str(folder))
    # each rule names its pack file by name only: the folder is where it is read from
    files = {name: [dataclasses.replace(r, file=name) for r in rules] for name, rules in files.items()}
    payload = pickle.dumps((files, items), protocol=pickle.HIGHEST_PROTOCOL)
    header = json.dumps({"format": FORMAT, "digest": before,
                         "payload": hashlib.sha256(payload).hexdigest()})
    fd, tmp = tempfile.mkstemp(prefix=f".{NAME}.", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(header.encode() + b"\n" + payload)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def load(folder: Path, version: str) -> dict[str, list[Rule]] | None:
    """The bundled rules by pack file name, from the snapshot in ``folder``; None when
    there is none, or none built from exactly these files by this code."""
    path = folder / NAME
    try:
        with path.open("rb") as fh:
            header = json.loads(fh.readline())
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                return None
            wanted = digest(folder, version)
            if header.get("digest") != wanted:
                return None
            with _lock:
                if (wanted, folder) in _loaded:
                    return _loaded[(wanted, folder)]
                payload = fh.read()
                if hashlib.sha256(payload).hexdigest() != header.get("payload"):
                    return None  # cut short or changed since it was written
                enabled = gc.isenabled()
                gc.disable()  # a few thousand small objects: no collection midway
                try:
                    files, items = pickle.loads(payload)  # noqa: S301 (sba-lint's own file, see above)
                finally:
                    if enabled:
                        gc.enable()
                for name, rules in files.items():
                    for rule in rules:
                        rule.file = str(folder / name)  # where the pack is, as load_pack names it
                        _items[rule.id] = (rule.spec, rule.conditions, rule.inflect, items[rule.id])
                _loaded.clear()
                _loaded[(wanted, folder)] = files
                return files
    except Exception:  # noqa: BLE001 (whatever is wrong with it, the packs are read as always)
        return None


def entries_for(rule: Rule) -> list[Item] | None:
    """The trie paths of ``rule`` as the snapshot holds them, while the rule is the one the
    snapshot built (its spec, conditions and inflection are those very objects); else None."""
    found = _items.get(rule.id)
    if found is None or found[0] is not rule.spec or found[1] is not rule.conditions \
            or found[2] != rule.inflect:
        return None
    return found[3]
