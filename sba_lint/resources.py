"""Where the bundled rule packs and wordlists are, installed or in a source checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def bundled_dir(name: str) -> Path:
    """``rules`` or ``wordlists``: inside the installed package, else the source tree."""
    for candidate in (_HERE / "data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled {name}/ folder is missing from this installation")


def rules_dir() -> Path:
    return bundled_dir("rules")


def wordlists_dir() -> Path:
    return bundled_dir("wordlists")


def read_wordlist(path: Path) -> list[str]:
    """Lines of a wordlist file, without comments (``#``) and blank lines."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].rstrip() if not line.lstrip().startswith("#") else ""
        if line.strip():
            out.append(line)
    return out


@cache
def wordlist_words(name: str) -> frozenset[str]:
    """The entries of a bundled wordlist ``wordlists/NAME.txt``, read once per process."""
    return frozenset(read_wordlist(wordlists_dir() / f"{name}.txt"))


@cache
def wordlist_rows(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a bundled tab-separated wordlist ``wordlists/NAME.tsv``."""
    path = wordlists_dir() / f"{name}.tsv"
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in read_wordlist(path))
