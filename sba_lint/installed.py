"""Two facts about the installed distributions, read without importlib.metadata when that
is safe: whether any declares entry points in a group (rule packs from other packages),
and a distribution's version.

Importing importlib.metadata and asking it for entry points reads every installed
distribution's metadata: about 40 ms of a start that should take a quarter of a second.
Where every distribution sits in a ``.dist-info`` or ``.egg-info`` folder of a directory
on ``sys.path`` (a virtual environment, a system install), the folders are looked at
directly; anything else that could hold distributions (a zip or an egg on the path, an
import finder of another kind that finds distributions) makes both answers ``None``, and
the caller asks importlib.metadata as before.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache


def _standard(finder: object) -> bool:
    from importlib.machinery import PathFinder

    return finder is PathFinder


def _metadata_folders() -> tuple[str, ...] | None:
    """Every ``.dist-info`` and ``.egg-info`` folder (or old-style ``.egg-info`` file) of
    the directories on ``sys.path``, in path order; None where distributions may be found
    some other way."""
    if any(hasattr(f, "find_distributions") and not _standard(f) for f in sys.meta_path):
        return None
    return _folders(tuple(sys.path))


@cache
def _folders(path_entries: tuple[str, ...]) -> tuple[str, ...] | None:
    out = []
    for entry in path_entries:
        path = entry or os.getcwd()
        if not os.path.isdir(path):
            if os.path.exists(path):  # a zip or an egg: metadata may be inside it
                return None
            continue
        try:
            names = sorted(os.listdir(path))
        except OSError:
            continue
        for name in names:
            if name.endswith(".egg"):
                return None
            if name.endswith((".dist-info", ".egg-info")):  # an .egg-info may be a file
                out.append(os.path.join(path, name))
    return tuple(out)


def declares(group: str) -> bool | None:
    """Whether some installed distribution may declare entry points in ``group`` (its
    ``entry_points.txt`` names the section); None when that cannot be told this way."""
    folders = _metadata_folders()
    if folders is None:
        return None
    section = re.compile(rf"^\s*\[\s*{re.escape(group)}\s*\]", re.MULTILINE)
    for folder in folders:
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8", errors="replace") as fh:
                if section.search(fh.read()):
                    return True
        except OSError:
            continue
    return False


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def version(distribution: str) -> str | None:
    """The version of the first installed ``distribution`` on the path, from its
    metadata folder's name (``PyYAML-6.0.2.dist-info``); None when not found this way."""
    folders = _metadata_folders()
    if folders is None:
        return None
    wanted = _canonical(distribution)
    for folder in folders:
        stem = os.path.basename(folder).rsplit(".", 1)[0]
        name, _, rest = stem.partition("-")
        if _canonical(name) == wanted:
            # the first on the path is the one importlib.metadata reads; a name without
            # its version ("PyYAML.egg-info") or a metadata file: ask importlib.metadata
            return rest.split("-", 1)[0] if rest and os.path.isdir(folder) else None
    return None
