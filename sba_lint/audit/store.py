"""``DIR/audit.sqlite``: every file and finding of an audit, written as they come.

One row per file (path, pseudonym, content hash, rule-set version, words, group, month and
where the month came from, profile, encoding, status and reason) and one per finding.  A
file's row and its findings go in one transaction, committed every few files, so a run
that is killed leaves a database holding whole files only.  An *audit* is one complete
pass over the paths: a run that was interrupted is resumed by the next run with the same
settings; once an audit finished, the next run starts a new one, reusing the results of
unchanged files, and the finished one is its baseline.  The pseudonyms' mapping to file
names exists only here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..findings import Finding

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audits (
    id INTEGER PRIMARY KEY, settings TEXT NOT NULL, started TEXT NOT NULL,
    finished TEXT, summary TEXT);
CREATE TABLE IF NOT EXISTS files (
    audit INTEGER NOT NULL, key TEXT NOT NULL, path TEXT NOT NULL, pseudonym TEXT NOT NULL,
    status TEXT NOT NULL, reason TEXT, redacted_reason TEXT, kind TEXT, hash TEXT,
    ruleset TEXT, words INTEGER NOT NULL DEFAULT 0, findings INTEGER NOT NULL DEFAULT 0,
    strengths INTEGER NOT NULL DEFAULT 0, deficit INTEGER NOT NULL DEFAULT 0, stats TEXT,
    grp TEXT NOT NULL, month TEXT, month_source TEXT, profile TEXT, encoding TEXT,
    team TEXT, worker TEXT, doctype TEXT, redacted INTEGER NOT NULL DEFAULT 0,
    run INTEGER NOT NULL,
    PRIMARY KEY (audit, key));
CREATE TABLE IF NOT EXISTS findings (
    audit INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, rule TEXT NOT NULL,
    category TEXT NOT NULL, severity TEXT NOT NULL, message TEXT NOT NULL, match TEXT,
    line INTEGER, col INTEGER, suggestions TEXT, advice TEXT, reported INTEGER NOT NULL,
    PRIMARY KEY (audit, key, n));
CREATE TABLE IF NOT EXISTS rules (id TEXT PRIMARY KEY, category TEXT, source TEXT);
"""
FILE_COLUMNS = ("key", "path", "pseudonym", "status", "reason", "redacted_reason", "kind", "hash",
                "ruleset", "words", "findings", "strengths", "deficit", "stats", "grp", "month",
                "month_source", "profile", "encoding", "team", "worker", "doctype", "redacted")
#: what a later run may change on an unchanged file's row (the grouping may differ)
_FRESH = ("path", "grp", "month", "month_source", "team", "worker", "doctype")


@dataclass
class Record:
    """What a worker sends back for one file: plain values, no document."""

    key: str
    path: str
    status: str  # checked | unreadable | skipped | unchanged
    group: str
    kind: str = ""
    reason: str | None = None
    redacted_reason: str | None = None
    hash: str | None = None
    ruleset: str | None = None
    words: int = 0
    stats: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    month: str | None = None
    month_source: str | None = None
    profile: str | None = None
    encoding: str | None = None
    team: str = ""
    worker: str = ""
    doctype: str = ""
    redacted: bool = False


class StoreError(Exception):
    """The database cannot be used (not an audit database, or from a newer sba-lint)."""


class Store:
    def __init__(self, path: Path):
        self.path = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{path}: is not an sba-lint audit database ({e})") from None
        version = self._meta("schema", SCHEMA_VERSION)
        if version != SCHEMA_VERSION:
            raise StoreError(f"{path}: was written by another version of sba-lint (schema {version})")
        self.secret = self._meta("secret", secrets.token_hex(32))
        self.audit = 0
        self.baseline: int | None = None
        self.run = 0
        self._pending = 0

    def _meta(self, key: str, default: str) -> str:
        self.db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, default))
        return self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]

    def close(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self.db.close()

    # -- audits ----------------------------------------------------------------------
    def begin(self, settings: dict[str, Any]) -> bool:
        """Start or resume the audit for these settings; True when resuming one."""
        text = json.dumps(settings, sort_keys=True)
        self.db.execute("BEGIN IMMEDIATE")
        last = self.db.execute("SELECT id, settings FROM audits WHERE finished IS NULL "
                               "ORDER BY id DESC LIMIT 1").fetchone()
        resumed = bool(last and last[1] == text)
        if last and not resumed:  # an unfinished audit of other paths or settings: dropped
            for table in ("findings", "files", "audits"):
                self.db.execute(f"DELETE FROM {table} WHERE {'id' if table == 'audits' else 'audit'} = ?",
                                (last[0],))
        if resumed:
            self.audit = last[0]
        else:
            self.audit = self.db.execute("INSERT INTO audits (settings, started) VALUES (?, ?)",
                                         (text, _now())).lastrowid or 0
        row = self.db.execute("SELECT id FROM audits WHERE finished IS NOT NULL AND id < ? "
                              "ORDER BY id DESC LIMIT 1", (self.audit,)).fetchone()
        self.baseline = row[0] if row else None
        self.run = (self.db.execute("SELECT COALESCE(MAX(run), 0) FROM files").fetchone()[0]) + 1
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        return resumed

    def finish(self, summary: dict[str, Any]) -> None:
        """Close the audit: rows of files no longer there go, the summary is kept as the
        next audit's baseline, and the rows of earlier audits (which nothing reads again:
        this one is the next one's baseline) go, so the database does not grow with each
        audit; their summaries stay."""
        self.prune_stale()
        self.db.execute("UPDATE audits SET finished = ?, summary = ? WHERE id = ?",
                        (_now(), json.dumps(summary), self.audit))
        for table in ("findings", "files"):
            self.db.execute(f"DELETE FROM {table} WHERE audit < ?", (self.audit,))
        self.commit()

    def prune_stale(self) -> None:
        """Before a summary is made: forget the rows of files this run did not see."""
        self.db.execute("DELETE FROM findings WHERE audit = ? AND key IN "
                        "(SELECT key FROM files WHERE audit = ? AND run != ?)",
                        (self.audit, self.audit, self.run))
        self.db.execute("DELETE FROM files WHERE audit = ? AND run != ?", (self.audit, self.run))

    def baseline_summary(self) -> dict[str, Any] | None:
        if self.baseline is None:
            return None
        row = self.db.execute("SELECT summary, finished FROM audits WHERE id = ?",
                              (self.baseline,)).fetchone()
        return {**json.loads(row[0]), "finished": row[1]} if row and row[0] else None

    # -- files -----------------------------------------------------------------------
    def prior(self, key: str) -> tuple[str, str] | None:
        """The (content hash, rule-set version) recorded for a file in this audit or, failing
        that, in the baseline audit; None when there is none to reuse."""
        for audit in (self.audit, self.baseline):
            if audit is None:
                continue
            row = self.db.execute("SELECT hash, ruleset FROM files WHERE audit = ? AND key = ? "
                                  "AND hash IS NOT NULL AND status != 'skipped'",
                                  (audit, key)).fetchone()
            if row:
                return row[0], row[1]
        return None

    def pseudonym(self, key: str) -> str:
        """A stable name for a file that says nothing about it: the same file gets the same
        one in every audit in this folder, and nobody without the database can reverse it."""
        return "doc-" + hmac.new(bytes.fromhex(self.secret), key.encode("utf-8", "surrogateescape"),
                                 hashlib.sha256).hexdigest()[:12]

    def put(self, r: Record) -> None:
        """Record one file (and its findings) in the current transaction, whole or not at
        all: a Ctrl-C that lands between the file's row and its findings (the audit then
        commits what it has) must not leave the file recorded as checked with findings
        missing, which a resumed audit would take as done."""
        self.db.execute("SAVEPOINT record")
        try:
            if r.status == "unchanged":
                self._reuse(r)
            else:
                self._put(r)
        except BaseException:
            self.db.execute("ROLLBACK TO record")
            self.db.execute("RELEASE record")
            raise
        self.db.execute("RELEASE record")
        self._pending += 1

    def _put(self, r: Record) -> None:
        self.db.execute("DELETE FROM findings WHERE audit = ? AND key = ?", (self.audit, r.key))
        values = (r.key, r.path, self.pseudonym(r.key), r.status, r.reason, r.redacted_reason,
                  r.kind, r.hash, r.ruleset, r.words, len(r.findings),
                  int(r.stats.get("strengths", 0)), int(r.stats.get("deficit", 0)),
                  json.dumps(r.stats) if r.stats else None, r.group, r.month, r.month_source,
                  r.profile, r.encoding, r.team, r.worker, r.doctype, int(r.redacted))
        self.db.execute(f"INSERT OR REPLACE INTO files (audit, run, {', '.join(FILE_COLUMNS)}) "
                        f"VALUES (?, ?, {', '.join('?' * len(FILE_COLUMNS))})",
                        (self.audit, self.run, *values))
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(self.audit, r.key, n, f.rule, f.category, str(f.severity), f.shown_message(r.redacted),
              None if r.redacted else f.match, f.line, f.column,
              None if r.redacted else json.dumps(list(f.suggestions)), f.shown_advice(r.redacted),
              int(f.reported is not None)) for n, f in enumerate(r.findings)])
        self.db.executemany("INSERT OR IGNORE INTO rules VALUES (?, ?, ?)",
                            {(f.rule, f.category, f.source) for f in r.findings})

    def _reuse(self, r: Record) -> None:
        fresh = (r.path, r.group, r.month, r.month_source, r.team, r.worker, r.doctype)
        sets = ", ".join(f"{c} = ?" for c in _FRESH)
        found = self.db.execute(f"UPDATE files SET run = ?, {sets} WHERE audit = ? AND key = ?",
                                (self.run, *fresh, self.audit, r.key)).rowcount
        if not found and self.baseline is not None:  # unchanged since the last audit: copy it
            cols = ", ".join(c for c in FILE_COLUMNS if c not in _FRESH)
            self.db.execute(f"INSERT INTO files (audit, run, {', '.join(_FRESH)}, {cols}) "
                            f"SELECT ?, ?, {', '.join('?' * len(_FRESH))}, {cols} FROM files "
                            "WHERE audit = ? AND key = ?",
                            (self.audit, self.run, *fresh, self.baseline, r.key))
            self.db.execute("INSERT INTO findings SELECT ?, key, n, rule, category, severity, "
                            "message, match, line, col, suggestions, advice, reported FROM findings "
                            "WHERE audit = ? AND key = ?", (self.audit, self.baseline, r.key))

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._pending = 0
        self.db.execute("BEGIN")

    @property
    def pending(self) -> int:
        return self._pending

    # -- reading ---------------------------------------------------------------------
    def query(self, sql: str, *args: Any) -> Iterator[sqlite3.Row]:
        cursor = self.db.execute(sql, args)
        cursor.row_factory = sqlite3.Row
        yield from cursor


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
