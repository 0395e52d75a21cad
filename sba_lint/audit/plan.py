"""What an audit will look at: every file under the paths given (or listed in a manifest),
its group (a folder level or the manifest's team), and what the manifest says about it.

A manifest is a CSV file with a header row; ``path`` is required, ``team``, ``worker``,
``document type`` (or ``type``) and ``date`` are optional.  Paths are relative to the
manifest's folder.  A document type that names a profile (``letter``) checks the file with
that profile.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from ..files import Target, collect, display_name

#: the largest manifest read (a million rows is about 100 MiB)
MAX_MANIFEST_BYTES = 256 * 1024 * 1024
_COLUMNS = {"path": "path", "file": "path", "team": "team", "worker": "worker",
            "document type": "doctype", "type": "doctype", "doctype": "doctype",
            "date": "date"}


@dataclass(frozen=True)
class Entry:
    """What a manifest row says about one file."""

    team: str = ""
    worker: str = ""
    doctype: str = ""
    month: str = ""  # YYYY-MM, from the row's date


@dataclass(frozen=True)
class Task:
    """One file for a worker: plain values only, cheap to send to another process."""

    key: str  # the absolute path: the file's identity in the database
    path: str  # the path to open
    shown: str  # the path as reports show it
    group: str
    entry: Entry = Entry()
    profile: str | None = None  # from the manifest's document type
    skipped: str | None = None  # why it is not checked (a format sba-lint does not read)
    error: str | None = None  # a folder that could not be walked
    prior: tuple[str, str] | None = None  # (content hash, rule-set version) already recorded


def parse_date(text: str) -> str | None:
    """``YYYY-MM`` for a date as people write it in a spreadsheet (2025-03-14, 14/03/2025,
    2025-03, 14.03.2025, an ISO date and time), or None."""
    text = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2})(?:[T ].*)?)?", text)
    if m:
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
    else:
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if not m:
            return None
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


def read_manifest(path: Path) -> dict[str, Entry]:
    """The manifest's rows by absolute path; a ConfigError naming the file (and row) when
    it cannot be used."""
    from ..files import read_regular

    shown = display_name(path)
    try:
        raw = read_regular(path, MAX_MANIFEST_BYTES)
    except ValueError:
        raise ConfigError(f"is larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MiB", shown) from None
    except OSError as e:
        raise ConfigError(f"cannot be read ({e.strerror or e})", shown) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")  # Excel's "CSV" on Windows
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header is None:
        raise ConfigError("is empty: a manifest needs a header row naming a 'path' column", shown)
    columns = [_COLUMNS.get(h.strip().lower().replace("_", " ")) for h in header]
    if "path" not in columns:
        raise ConfigError("has no 'path' column (the header row names path, team, worker, "
                          "document type, date)", shown)
    base = path.parent
    out: dict[str, Entry] = {}
    for number, row in enumerate(rows, start=2):
        values = {c: v.strip() for c, v in zip(columns, row, strict=False) if c}
        if not values.get("path"):
            continue
        month = ""
        if values.get("date"):
            month = parse_date(values["date"]) or ""
            if not month:
                raise ConfigError(f"row {number}: '{values['date']}' is not a date "
                                  "(write 2025-03-14 or 14/03/2025)", shown)
        key = os.path.abspath(base / values["path"])
        out[key] = Entry(values.get("team", ""), values.get("worker", ""),
                         values.get("doctype", ""), month)
    return out


def parse_group_by(value: str | None) -> tuple[str, int]:
    """``path:N`` -> ("path", N); ``team``, ``worker``, ``type`` -> (that, 0)."""
    if not value:
        return ("", 0)
    m = re.fullmatch(r"path:(\d{1,3})", value.strip())
    if m and int(m[1]) >= 1:
        return ("path", int(m[1]))
    if value.strip() in ("team", "worker", "type"):
        return (value.strip(), 0)
    raise ConfigError(f"--group-by takes path:N (N = 1 for the first folder under the audited "
                      f"folder), team, worker or type, not '{value}'")


def group_of(target: Target, root: Path, entry: Entry, by: tuple[str, int]) -> str:
    kind, level = by
    if kind == "team":
        return entry.team or "(no team)"
    if kind == "worker":
        return entry.worker or "(no worker)"
    if kind == "type":
        return entry.doctype or "(no type)"
    if not root.is_dir():
        return "(files named)"
    try:
        folders = target.path.relative_to(root).parts[:-1]
    except ValueError:
        return "(other)"
    return display_name(folders[level - 1]) if len(folders) >= level else "(top folder)"


def tasks(paths: Iterable[str], manifest: dict[str, Entry], by: tuple[str, int],
          exclude: Iterable[str], leave_out: Path | None, profiles: Iterable[str]) -> Iterator[Task]:
    """A task for every file under ``paths`` (or every manifest row when no path is
    given), in walk order; files under ``leave_out`` (the audit's own folder) are left out."""
    known = set(profiles)
    leave = os.path.abspath(leave_out) + os.sep if leave_out else None
    for raw in list(paths) or list(manifest):
        root = Path(raw)
        for target in collect([raw], exclude):
            key = os.path.abspath(target.path)
            if leave and key.startswith(leave):
                continue
            entry = manifest.get(key, Entry())
            profile = entry.doctype.lower().replace(" ", "-") if entry.doctype else ""
            yield Task(key, str(target.path), target.shown, group_of(target, root, entry, by),
                       entry, profile if profile in known else None, target.skipped, target.error)
