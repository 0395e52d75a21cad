"""The bundled rules kept from the build (sba_lint/rules/snapshot.py): the very rules the
packs give, read only while everything they were built from is unchanged, never an
error, and findings the same with them as without them."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from child import run_python

from sba_lint import __version__
from sba_lint.config import Config
from sba_lint.linter import Linter
from sba_lint.resources import rules_dir
from sba_lint.rules import kinds, loader, snapshot


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of the bundled packs standing in for them, with a snapshot written."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder, ignore=shutil.ignore_patterns("rules.snapshot"))
    (tmp_path / "wordlists").mkdir()  # where a pack's own wordlists would be looked up
    (tmp_path / "wordlists" / "house.txt").write_text("scheme\n", encoding="utf-8")
    monkeypatch.setattr(loader, "rules_dir", lambda: folder)
    snapshot.write(folder, __version__)
    loader._load_cached.cache_clear()
    yield folder
    loader._load_cached.cache_clear()


def test_the_snapshot_holds_the_rules_the_packs_give(copy):
    kept = snapshot.load(copy, __version__)
    assert kept is not None
    built = {p.name: loader.load_pack(p, validate=False) for p in loader.pack_files(copy)}
    assert kept == built  # down to the pack file each rule names: this folder's
    assert all(r.file == str(copy / name) for name, rules in kept.items() for r in rules)
    for rules in kept.values():
        for rule in rules:
            assert snapshot.entries_for(rule) == kinds.trie_items(rule)


def test_a_moved_folder_names_its_own_pack_files(copy, tmp_path):
    """The files a rule names are where its packs are read now, not where they were built."""
    moved = tmp_path / "elsewhere" / "rules"
    moved.parent.mkdir()
    shutil.copytree(copy, moved)
    shutil.copytree(copy.parent / "wordlists", moved.parent / "wordlists")
    kept = snapshot.load(moved, __version__)
    assert kept is not None
    assert {r.file for rules in kept.values() for r in rules} == \
        {str(moved / p.name) for p in loader.pack_files(moved)}


def test_writing_it_leaves_nothing_else_behind(copy):
    snapshot.write(copy, __version__)
    assert [p.name for p in copy.iterdir() if p.name.startswith(".")] == []


def _stale(copy):
    loader._load_cached.cache_clear()
    snapshot._loaded.clear()  # what this process read already stays good; read the file again
    return snapshot.load(copy, __version__) is None


def test_an_edited_pack_makes_it_stale(copy):
    blame = copy / "blame.yml"
    blame.write_text(blame.read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert _stale(copy)


def test_a_new_pack_makes_it_stale(copy):
    shutil.copy(copy / "legal.yml", copy / "zz-house.yml")
    assert _stale(copy)


def test_an_edited_wordlist_makes_it_stale(copy):
    (copy.parent / "wordlists" / "house.txt").write_text("scheme\nproject\n", encoding="utf-8")
    assert _stale(copy)


def test_another_version_or_python_does_not_read_it(copy, monkeypatch):
    assert snapshot.load(copy, "0.0.0-other") is None
    monkeypatch.setattr(snapshot.sys.implementation, "cache_tag", "cpython-99")
    assert _stale(copy)


def test_changed_code_makes_it_stale(copy, monkeypatch, tmp_path):
    """Every module listed in CODE counts: one changed since is another builder."""
    package = tmp_path / "package"
    shutil.copytree(snapshot._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(snapshot, "_PACKAGE", package)
    assert not _stale(copy)
    kinds_py = package / "rules" / "kinds.py"
    kinds_py.write_text(kinds_py.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert _stale(copy)


@pytest.mark.parametrize("damage", ["header", "payload", "empty"])
def test_a_damaged_snapshot_is_passed_over(copy, damage):
    path = copy / snapshot.NAME
    data = path.read_bytes()
    head, _, body = data.partition(b"\n")
    path.write_bytes({"header": b"{not json\n" + body, "payload": head + b"\n" + body[: len(body) // 2],
                      "empty": b""}[damage])
    assert _stale(copy)
    # and the rules are built from the packs as always
    rules = loader.load_rules(loader.pack_files(copy))
    assert any(r.id == "blame.failed-to-engage" for r in rules)


def test_the_code_list_holds_every_module_that_builds_rules():
    """Building the rules imports nothing of sba-lint that CODE leaves out."""
    # the child's modules, relative to its own package (a source checkout or an install)
    child = ("import sys\nfrom pathlib import Path\nfrom sba_lint.rules import snapshot\n"
             "snapshot.build(Path(sys.argv[1]))\n"
             "print('\\n'.join(Path(m.__file__).resolve().relative_to(snapshot._PACKAGE).as_posix()"
             " for n, m in sorted(sys.modules.items())"
             " if n.split('.')[0] == 'sba_lint' and getattr(m, '__file__', None)))")
    used = set(run_python(child, str(rules_dir())).split())
    assert used and used <= set(snapshot.CODE), used - set(snapshot.CODE)


TEXTS = [
    "Mum failed to engage with the parenting course. Lola has contact with Dad on Mondays.",
    "The LAC review is booked. He absconded from his placement and was aggressive to staff.",
    "Dad is an alcoholic who lacks insight. The family is hard to reach and non-compliant.",
    "I visited Sam at home; we talked about school and the new routine.",
]
CONFIGS = [
    Config(),
    Config(ignore=("blame.failed-to-engage", "jargon")),
    Config(select=("blame", "labels"), severity=(("blame", "error"),)),
    Config(profile="letter"),
]


@pytest.mark.parametrize("config", CONFIGS, ids=["default", "ignore", "select+severity", "letter"])
def test_findings_are_the_same_without_the_snapshot(config, copy, monkeypatch):
    with_it = Linter(config)
    if config.profile is None:  # a profile's options give some rules a spec of their own
        assert all(snapshot.entries_for(r) is not None for r in with_it.rules if r.kind != "metric")
    first = [with_it.check_text(t).findings for t in TEXTS]
    loader._load_cached.cache_clear()
    monkeypatch.setattr(snapshot, "load", lambda *a: None)
    monkeypatch.setattr(snapshot, "entries_for", lambda rule: None)
    without = Linter(config)
    assert [without.check_text(t).findings for t in TEXTS] == first
    assert any(first)
    loader._load_cached.cache_clear()


def test_a_rule_changed_by_a_profile_builds_its_own_paths(copy):
    """A rule given another spec (a profile's options) is not the rule the snapshot built:
    its paths are worked out from it."""
    rule = next(r for r in Linter().rules if r.kind == "phrase")
    assert snapshot.entries_for(rule) is not None
    assert snapshot.entries_for(dataclasses.replace(rule, spec=dict(rule.spec))) is None
    assert snapshot.entries_for(dataclasses.replace(rule, severity=rule.severity)) is not None
