"""Other prose linters, for the speed table: proselint from the package index in a virtual
environment of its own, alex and write-good from the npm registry with this machine's npm.

Installed when the benchmark runs (never by sba-lint itself, which opens no network
connection), into a cache folder outside the repository (``~/.cache/sba-lint-bench``, or
``--peers-cache``), and reused from there by later runs.  A peer that cannot be installed
or does not run is left out with a one-line note: the benchmark goes on without it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: how long one install step may take
INSTALL_SECONDS = 900
#: a sentence every peer flags something in ("very unique", "fireman", "very"): a peer
#: whose output names neither word did not really run
PROBE = "He is a fireman and it is very unique.\n"
PROBE_WORDS = ("fireman", "very")


def default_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sba-lint-bench"


@dataclass(frozen=True)
class Peer:
    name: str
    command: tuple[str, ...]  # the files to check follow it

    def args(self, paths: list[str]) -> list[str]:
        return [*self.command, *paths]


def _run(args: list[str], timeout: float = INSTALL_SECONDS) -> None:
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=timeout)


def _proselint(cache: Path, python: str, npm: str) -> Peer:
    venv = cache / "proselint"
    exe = venv / "bin" / "proselint"
    if not exe.is_file():
        _run([python, "-m", "venv", "--clear", str(venv)])
        _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "proselint"])
    return Peer("proselint", (str(exe), "check"))


def _npm_peer(package: str, binary: str) -> Callable[[Path, str, str], Peer]:
    def install(cache: Path, python: str, npm: str) -> Peer:
        prefix = cache / "node"
        exe = prefix / "node_modules" / ".bin" / binary
        if not exe.is_file():
            prefix.mkdir(parents=True, exist_ok=True)
            _run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                  "--silent", package])
        return Peer(package, (str(exe),))
    return install


INSTALLERS: dict[str, Callable[[Path, str, str], Peer]] = {
    "proselint": _proselint,
    "alex": _npm_peer("alex", "alex"),
    "write-good": _npm_peer("write-good", "write-good"),
}


def _why(e: BaseException) -> str:
    if isinstance(e, subprocess.CalledProcessError):
        said = (e.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        return f"{Path(str(e.cmd[0])).name} exited {e.returncode}" + (f": {said[-1][:120]}" if said else "")
    if isinstance(e, subprocess.TimeoutExpired):
        return f"no answer in {e.timeout:.0f} s"
    return f"{type(e).__name__}: {e}"


def probe(peer: Peer) -> str | None:
    """Why ``peer`` does not work (it flags nothing in :data:`PROBE`, or fails), or None."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.txt"
        path.write_text(PROBE, encoding="utf-8")
        try:
            done = subprocess.run(peer.args([str(path)]), capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError) as e:
            return _why(e)
    said = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode < 0 or not any(w in said for w in PROBE_WORDS):
        last = said.strip().splitlines()[-1][:120] if said.strip() else "no output"
        return f"flagged nothing in the probe sentence (exit {done.returncode}: {last})"
    return None


def install(cache: Path | None = None, names: tuple[str, ...] = tuple(INSTALLERS), *,
            python: str = sys.executable, npm: str | None = None,
            note: Callable[[str], None] = print) -> list[Peer]:
    """The peers that install and run, in ``names`` order; one note for each left out."""
    cache = cache or default_cache()
    npm = npm or shutil.which("npm") or "npm"
    peers = []
    for name in names:
        try:
            cache.mkdir(parents=True, exist_ok=True)
            peer = INSTALLERS[name](cache, python, npm)
        except (OSError, subprocess.SubprocessError) as e:
            note(f"  {name}: left out, it could not be installed ({_why(e)})")
            continue
        problem = probe(peer)
        if problem:
            note(f"  {name}: left out, it does not run here ({problem})")
            continue
        peers.append(peer)
    return peers
