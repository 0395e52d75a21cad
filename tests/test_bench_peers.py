"""bench/peers.py: a peer that cannot be installed or does not run is left out with a
note, never an error; one already in the cache is used as it is (no install, no network)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import peers  # noqa: E402  (bench/peers.py)

MISSING = "/nonexistent/bin/tool"


def test_peers_that_cannot_be_installed_are_left_out_with_a_note(tmp_path):
    notes: list[str] = []
    got = peers.install(tmp_path / "cache", python=MISSING, npm=MISSING, note=notes.append)
    assert got == []
    assert [n.split(":")[0].strip() for n in notes] == ["proselint", "alex", "write-good"]
    assert all("left out, it could not be installed" in n and "\n" not in n for n in notes)


def _script(path: Path, body: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_a_peer_in_the_cache_is_used_without_installing(tmp_path):
    cache = tmp_path / "cache"
    exe = _script(cache / "node" / "node_modules" / ".bin" / "write-good", "echo very is a weasel word")
    notes: list[str] = []
    got = peers.install(cache, ("write-good",), python=MISSING, npm=MISSING, note=notes.append)
    assert got == [peers.Peer("write-good", (str(exe),))]
    assert notes == []


def test_a_peer_that_flags_nothing_or_fails_does_not_count(tmp_path):
    cache = tmp_path / "cache"
    _script(cache / "node" / "node_modules" / ".bin" / "alex", "exit 0")
    notes: list[str] = []
    assert peers.install(cache, ("alex",), python=MISSING, npm=MISSING, note=notes.append) == []
    assert len(notes) == 1 and "alex: left out, it does not run here" in notes[0]
    assert peers.probe(peers.Peer("x", (MISSING,))) is not None
    assert peers.probe(peers.Peer("x", (sys.executable, "-c", "print('fireman')"))) is None


def test_the_default_cache_is_outside_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert peers.default_cache() == tmp_path / "sba-lint-bench"
    repo = Path(__file__).resolve().parent.parent
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert repo not in peers.default_cache().parents
