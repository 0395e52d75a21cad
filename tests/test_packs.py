"""Rule packs are data: validated with clear errors, and addable without code changes."""

from __future__ import annotations

import json
import textwrap
from importlib import metadata

import pytest

from sba_lint.config import Config
from sba_lint.errors import RulePackError
from sba_lint.linter import Linter
from sba_lint.resources import rules_dir
from sba_lint.rules import discover, load_rules
from sba_lint.rules.loader import ENTRY_POINT_GROUP, load_pack, pack_files

GOOD = """\
pack: house
category: house-style
rules:
  - id: sir
    kind: phrase
    phrases: [dear sir]
    message: '"{match}" assumes the reader is a man.'
    suggestions: ["Dear [name]"]
    examples:
      flag: ["[[Dear Sir]], thank you for your letter."]
      pass: ["Dear Ms Khan, thank you for your letter."]
"""


def write(path, text):
    path.write_text(textwrap.dedent(text))
    return path


@pytest.mark.parametrize("body, message", [
    (GOOD.replace("kind: phrase", "kind: regex"),
     "rule 'sir': kind: 'regex' is not one of phrase, pattern, acronym, metric"),
    (GOOD.replace("    message:", "    sevrity: high\n    message:"), "rule 'sir': unknown key 'sevrity'"),
    (GOOD.replace("      flag:", "      flagged:"), "rule 'sir': examples: unknown key 'flagged'"),
    (GOOD.replace("pack: house", "pack: House Style"), "pack: 'House Style' does not match"),
    (GOOD.replace("    phrases: [dear sir]\n", ""), "rule 'sir': 'phrases' is required"),
    (GOOD + "  - id: sir\n    kind: phrase\n    phrases: [x]\n    message: m\n    examples: {flag: [x]}\n",
     "rule 'sir' is defined twice"),
    (GOOD.replace('suggestions: ["Dear [name]"]', 'suggestions: ["Dear [name]"]\n    fix: safe'),
     "rule 'sir': fix 'safe' cannot use a suggestion with a [placeholder]"),
    (GOOD.replace("    phrases: [dear sir]\n",
                  '    phrases: [dear sir, {"dear madam": [{text: "Dear [name]", after: [thank]}]}]\n'),
     "rule 'sir': suggestion 'Dear [name]' is given with conditions in one place and without"),
    (GOOD.replace("    phrases: [dear sir]\n",
                  '    phrases: [{"dear sir": [{text: "Dear [name]", after: [thank]}]},'
                  ' {"dear madam": [{text: "Dear [name]", after: [we]}]}]\n')
     .replace('suggestions: ["Dear [name]"]', 'suggestions: ["Dear colleague"]'),
     "rule 'sir': suggestion 'Dear [name]' is given with different conditions in two places"),
    (GOOD.replace("    phrases: [dear sir]\n", '    phrases: [dear sir, {"dear sir": ["Dear colleague"]}]\n'),
     "rule 'sir': phrase 'dear sir' is listed twice"),
    ("pack: [unclosed\n", "line 2: not valid YAML"),
    ("- just a list\n", "a rule pack must be a YAML mapping"),
])
def test_pack_errors_name_file_rule_and_problem(tmp_path, body, message):
    p = tmp_path / "house.yml"
    p.write_text(body)
    with pytest.raises(RulePackError) as e:
        load_pack(p)
    assert str(e.value).startswith(f"{p}: ")
    assert message in str(e.value)


def test_pattern_rule_needs_a_trigger(tmp_path):
    p = write(tmp_path / "p.yml", """\
        pack: p
        category: c
        rules:
          - id: any-verb
            kind: pattern
            patterns: [[{POS: VERB}]]
            message: m
            examples: {flag: [x]}
        """)
    with pytest.raises(RulePackError, match="no trigger words"):
        load_pack(p)


def test_missing_wordlist_is_named(tmp_path):
    body = GOOD.replace("    examples:", '    not_followed_by: "@nowhere"\n    examples:')
    p = write(tmp_path / "w.yml", body)
    with pytest.raises(RulePackError, match="wordlist '@nowhere' not found"):
        load_pack(p)


def test_user_pack_folder_with_its_own_wordlist(tmp_path):
    style = tmp_path / "style"
    (style / "wordlists").mkdir(parents=True)
    (style / "wordlists" / "greetings.txt").write_text("# greetings to avoid\ndear sir\ndear madam\n")
    write(style / "house.yml", GOOD.replace("phrases: [dear sir]", "phrases: [dear sir, dear madam]"))
    linter = Linter(Config(rules=(style,)))
    found = linter.check_text("Dear Madam, thank you.").findings
    assert [(f.rule, f.match) for f in found] == [("house.sir", "Dear Madam")]
    assert found[0].suggestions == ("Dear [name]",)


def test_pack_from_an_installed_entry_point(tmp_path, monkeypatch):
    pkg = tmp_path / "acme_rules"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    write(pkg / "house.yml", GOOD)
    # installed as pip installs a package: its metadata folder names the entry point
    info = tmp_path / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\nacme = acme_rules\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)] == ["acme"]
    rules = load_rules(discover())
    assert "house.sir" in {r.id for r in rules}
    assert "blame.failed-to-engage" in {r.id for r in rules}


def test_no_installed_pack_reads_no_metadata(monkeypatch):
    """Without a distribution naming the entry-point group (tests/test_installed.py),
    discovery does not ask importlib.metadata (which reads every distribution's metadata)."""
    from sba_lint import installed
    from sba_lint.rules import loader

    monkeypatch.setattr(installed, "declares", lambda group: False)
    monkeypatch.setattr(metadata, "entry_points", lambda **kw: pytest.fail("metadata read"))

    assert loader._entry_point_folders() == []


def test_two_packs_with_one_name_is_an_error(tmp_path):
    write(tmp_path / "a.yml", GOOD)
    write(tmp_path / "b.yml", GOOD)
    with pytest.raises(RulePackError, match="pack 'house' is already defined"):
        load_rules(discover([tmp_path], bundled=False, entry_points=False))


def test_missing_rule_folder(tmp_path):
    with pytest.raises(RulePackError, match="no such rule folder"):
        discover([tmp_path / "nope"])


@pytest.mark.parametrize("pack", pack_files(rules_dir()), ids=lambda p: p.name)
def test_every_bundled_pack_is_valid(pack):
    """sba-lint check trusts the bundled packs without the JSON Schema (a tenth of a second
    a process): this is where they are validated, with every other check of a pack."""
    assert load_pack(pack, validate=True)


def test_only_user_packs_are_validated_when_checking(tmp_path, monkeypatch):
    from sba_lint.rules import loader

    seen = []
    real = loader._validate
    monkeypatch.setattr(loader, "_validate", lambda data, file: seen.append(file) or real(data, file))
    loader._load_cached.cache_clear()
    write(tmp_path / "house.yml", GOOD)
    Linter(Config(rules=(tmp_path,)))
    assert seen == [str((tmp_path / "house.yml").resolve())]
    seen.clear()
    load_rules(discover(entry_points=False), validate_bundled=True)  # sba-lint rules test
    assert len(seen) == len(pack_files(rules_dir()))
    loader._load_cached.cache_clear()


# -- the bundled packs compiled by the build (rules/compiled.py) --------------------------
def test_the_compiled_packs_are_the_yaml():
    from sba_lint import __version__
    from sba_lint.rules import compiled

    table = compiled.compile_folder(rules_dir(), __version__)
    assert sorted(table["packs"]) == [p.name for p in pack_files(rules_dir())]
    for pack in pack_files(rules_dir()):
        text = pack.read_bytes().decode("utf-8")
        entry = table["packs"][pack.name]
        assert json.loads(entry["data"]) == compiled.parse(text)
        assert entry["depth"] == compiled.depth(text)


@pytest.fixture
def bundled_copy(tmp_path, monkeypatch):
    """A copy of the bundled packs standing in for them, with a compiled table."""
    import shutil

    from sba_lint import __version__
    from sba_lint.rules import compiled, loader

    folder = tmp_path / "rules"
    # the table alone: rules built from it (rules.snapshot, tests/test_snapshot.py) would
    # not read it
    shutil.copytree(rules_dir(), folder, ignore=shutil.ignore_patterns("rules.snapshot"))
    monkeypatch.setattr(loader, "rules_dir", lambda: folder)
    compiled.write(folder, __version__)
    compiled._packs.cache_clear()
    loader._load_cached.cache_clear()
    hits = []
    real = compiled.lookup
    monkeypatch.setattr(compiled, "lookup", lambda *a: hits.append(real(*a) is not None) or real(*a))
    yield folder, hits
    compiled._packs.cache_clear()
    loader._load_cached.cache_clear()


def _load(folder):
    import dataclasses

    rules = load_rules(pack_files(folder))
    return [dataclasses.replace(r, file=r.file.rsplit("/", 1)[-1]) for r in rules]


def test_compiled_packs_load_as_their_yaml_does(bundled_copy):
    folder, hits = bundled_copy
    assert _load(folder) == _load(rules_dir())
    assert hits and all(hits)
    written = {p.name for p in folder.iterdir()} - {p.name for p in rules_dir().iterdir()}
    assert written <= {"packs.compiled.json"}  # nothing else written


def test_a_changed_pack_is_read_from_its_yaml(bundled_copy):
    from sba_lint.rules import compiled

    folder, hits = bundled_copy
    blame = folder / "blame.yml"
    added = ("rules:\n  - id: zz-added\n    kind: phrase\n    phrases: [zzqx word]\n"
             "    message: Added.\n    examples: {flag: [zzqx word]}\n")
    blame.write_text(blame.read_text(encoding="utf-8").replace("rules:\n", added, 1),
                     encoding="utf-8")
    rules = {r.id: r for r in load_rules(pack_files(folder))}
    assert rules["blame.zz-added"].message == "Added."
    assert hits.count(False) == 1 and hits.count(True) == len(hits) - 1
    hits.clear()
    table = folder / compiled.NAME
    table.write_text(table.read_text(encoding="utf-8").replace('"format": 1', '"format": 0'))
    compiled._packs.cache_clear()
    from sba_lint.rules import loader

    loader._load_cached.cache_clear()
    load_rules(pack_files(folder))
    assert hits and not any(hits)  # a table from another sba-lint is not read at all


_CHILD = """
import sys
from pathlib import Path

from sba_lint.rules import loader

loader.rules_dir = lambda: Path(sys.argv[1])
from sba_lint.linter import Linter

result = Linter().check_text("Mum failed to engage. We met at the family centre.")
print(sorted(f.rule for f in result.findings))
print(sorted(m for m in ("yaml", "jsonschema", "tomllib") if m in sys.modules))
"""


def test_a_check_from_the_compiled_table_imports_no_parser(bundled_copy):
    """PyYAML (and jsonschema, and the TOML reader) are imported only when something is
    parsed with them: a check whose packs all come from the table needs none of them."""
    import subprocess
    import sys

    folder, _ = bundled_copy
    got = subprocess.run([sys.executable, "-c", _CHILD, str(folder)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    assert "blame.failed-to-engage" in got[0]
    assert got[1] == "[]"


def test_the_table_is_stamped_with_the_pyyaml_that_parses():
    import yaml

    from sba_lint.rules import compiled

    assert compiled._pyyaml_release() == ".".join(yaml.__version__.split(".")[:2])


def test_rules_compile_writes_the_table_where_asked(tmp_path):
    from click.testing import CliRunner

    from sba_lint import __version__
    from sba_lint.cli import main
    from sba_lint.rules import compiled

    out = tmp_path / "packs.json"
    result = CliRunner().invoke(main, ["rules", "compile", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8")) == compiled.compile_folder(rules_dir(), __version__)


HOUSE_CONDITIONS = """\
pack: house
category: house-style
rules:
  - id: scheme
    kind: phrase
    phrases: [scheme]
    message: '"{match}" is our old word for the service.'
    suggestions:
      - {text: service, not_governed_by: [close, closure]}
    examples:
      flag: [{text: "The [[scheme]] helps.", rewrite: "The service helps."}]
  - id: skipped
    kind: phrase
    inflect: verb
    phrases: [skip]
    message: '"{match}" sounds careless.'
    suggestions:
      - {text: "<miss>", object: true}
      - {text: "<stay> away", object: false}
    examples:
      flag: [{text: "Dad [[skipped]] the group.", rewrite: "Dad missed the group."}]
"""


@pytest.mark.parametrize("text, rule, first", [
    ("The scheme helped Dad find work.", "house.scheme", "service"),
    ("The scheme closed in May.", "house.scheme", None),  # its verb's subject
    ("Since the closure of the scheme, Dad has been at home.", "house.scheme", None),  # through "of"
    ("Dad skipped the group twice.", "house.skipped", "missed"),  # a direct object
    ("Dad skipped on Monday.", "house.skipped", "stayed away"),  # none
])
def test_a_user_pack_may_offer_wording_by_what_governs_it_and_by_its_object(tmp_path, text, rule, first):
    write(tmp_path / "house.yml", HOUSE_CONDITIONS)
    found = [f for f in Linter(Config(rules=(tmp_path,))).check_text(text).findings if f.rule == rule]
    assert len(found) == 1
    assert (found[0].suggestions[0] if found[0].suggestions else None) == first


def test_object_must_be_true_or_false(tmp_path):
    write(tmp_path / "house.yml", HOUSE_CONDITIONS.replace("object: true", "object: yes please"))
    with pytest.raises(RulePackError, match="object"):
        load_pack(tmp_path / "house.yml")


HOUSE_NAMED = """\
pack: house
category: house
rules:
  - id: handed-back
    kind: pattern
    triggers: [over]
    # "Mum handed Dad over to the police" -> "Dad went to the police": the wording takes
    # the words of the tokens the pattern names
    patterns:
      - [{POS: PROPN}, {LOWER: handed}, {POS: PROPN, name: who}, {LOWER: over}, {LOWER: to, name: to}]
      - [{POS: PROPN}, {LOWER: handed}, {LOWER: {IN: [him, her]}, name: who}, {LOWER: over}]
    message: '"{match}" says who did it.'
    suggestions: ["{=who} went {=to}"]
    examples:
      flag: [{text: "[[Mum handed Dad over to]] the police.", rewrite: "Dad went to the police."}]
"""


@pytest.mark.parametrize("text, match, first", [
    ("Mum handed Dad over to the police.", "Mum handed Dad over to", "Dad went to"),
    # a name the wording needs and the match did not fill: no drop-in
    ("Mum handed him over on Friday.", "Mum handed him over", None),
])
def test_a_pattern_may_name_its_tokens_for_the_wording(tmp_path, text, match, first):
    write(tmp_path / "house.yml", HOUSE_NAMED)
    findings = Linter(Config(rules=(tmp_path,))).check_text(text).findings
    found = [f for f in findings if f.rule == "house.handed-back"]
    assert [f.match for f in found] == [match]
    assert (found[0].suggestions[0] if found[0].suggestions else None) == first


@pytest.mark.parametrize("template, groups, want", [
    ("{=who} moved back {=into}", {"who": "him", "into": "into"}, "he moved back into"),
    ("{=who} moved back {=into}", {"who": "Mr Lowe", "into": "into"}, "Mr Lowe moved back into"),
    ("{=who} moved back {=into}", {"who": "Mr Lowe", "to": "to"}, None),
    ("told {=who}", {"who": "him"}, "told him"),  # an object stays an object
])
def test_named_words_fill_the_wording(template, groups, want):
    from sba_lint.rewrite.render import Slot, render
    text = "She let him back into the flat."
    r = render(template, Slot(text, 4, 25, groups=groups))
    assert (r.replacement if r else None) == want


def test_a_rule_may_ask_for_its_verbs_object_to_be_one_of_some_nouns(tmp_path):
    write(tmp_path / "house.yml", """\
        pack: house
        category: house
        rules:
          - id: skipped
            kind: phrase
            inflect: verb
            phrases: [skip]
            objects: [lesson, class]
            message: '"{match}" sounds careless.'
            examples:
              flag: ["Dan [[skipped]] his maths lesson."]
        """)
    linter = Linter(Config(rules=(tmp_path,)))
    assert [f.match for f in linter.check_text("Dan skipped his maths lesson.").findings] == ["skipped"]
    assert [f.match for f in linter.check_text("Dan skipped breakfast.").findings] == []
    # the noun may be the first of a compound the parser splits ("follow-up")
    assert [f.match for f in linter.check_text("Dan skipped his class test.").findings] == ["skipped"]
