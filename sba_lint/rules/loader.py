"""Find rule packs (bundled, folders, installed entry points), validate and load them."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from .. import __version__, installed
from ..errors import RulePackError
from ..findings import Severity
from ..limits import DEFAULT, Limits
from ..resources import read_wordlist, rules_dir, wordlists_dir
from . import compiled, snapshot
from .model import START, Conditions, Example, Rule

ENTRY_POINT_GROUP = "sba_lint.rules"
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words_of(phrase: str) -> tuple[str, ...]:
    """A phrase as the sequence of lower-case words the matcher compares."""
    if "’" not in phrase:
        return tuple(map(str.lower, _WORD.findall(phrase)))
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(phrase))


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from .schema import PACK

    return Draft202012Validator(PACK)


def _describe(error: Any, data: dict[str, Any], missing: list[str] | None = None) -> str:
    """One line for a schema error; ``missing`` names every required key absent there."""
    path = list(error.absolute_path)
    where = ""
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        rule = data["rules"][path[1]]
        rule_id = rule.get("id") if isinstance(rule, dict) else None
        where = f"rule '{rule_id}': " if rule_id else f"rule #{path[1] + 1}: "
        path = path[2:]
    field = ".".join(str(p) for p in path)
    message = error.message
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", message)
        message = "unknown key " + ", ".join(f"'{k}'" for k in extra)
    elif error.validator == "required":
        if missing and len(missing) > 1:
            names = ", ".join(f"'{m}'" for m in missing[:-1]) + f" and '{missing[-1]}'"
            message = f"{names} are required"
        else:
            message = message.replace(" is a required property", " is required")
    elif error.validator == "enum":
        message = f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    return f"{where}{field + ': ' if field else ''}{message}"


#: the most values a pack may expand to once its aliases (``*name``) are followed
MAX_VALUES = 1_000_000
#: the most words in one phrase, and tokens in one pattern; unbounded operators ("*",
#: "+") in one pattern; the largest bound of a "{n,m}" operator
MAX_PHRASE_WORDS = 24
MAX_PATTERN_TOKENS = 24
MAX_UNBOUNDED = 2
MAX_REPEAT = 10


def _limit_error(what: str, key: str, file: str) -> RulePackError:
    return RulePackError(f"{what} (the {key} limit; raise it with --limit {key}=N or "
                         f"[limits] {key} in the configuration)", file)


def _read_pack_text(path: Path, limits: Limits) -> str:
    from ..files import read_regular

    try:
        raw = read_regular(path, limits.bytes("pack_kb"))
    except ValueError:
        raise _limit_error(f"is larger than {limits.pack_kb} KiB", "pack-kb", str(path)) from None
    except OSError as e:
        raise RulePackError(f"cannot read rule pack ({e.strerror or e})", str(path)) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RulePackError(f"is not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})",
                            str(path)) from None


def _check_depth(deepest: int, path: Path, limits: Limits) -> None:
    """Refuse nesting deeper than the ``pack-depth`` limit (:func:`compiled.depth`,
    measured before the YAML parser sees the text: a parser asked to nest ten thousand
    levels can crash the process)."""
    if deepest > limits.pack_depth:
        raise _limit_error(f"is nested more than {limits.pack_depth} levels deep", "pack-depth",
                           str(path))


def _count_values(data: Any, path: Path) -> None:
    """Refuse a pack whose aliases expand it beyond :data:`MAX_VALUES` values (a "billion
    laughs"): counted without expanding, stopping at the bound."""
    count = 0
    stack = [data]
    while stack:
        item = stack.pop()
        count += 1
        if count > MAX_VALUES:
            raise RulePackError(f"expands to more than {MAX_VALUES:,} values once its YAML "
                                "aliases are followed", str(path))
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _parse_yaml(path: Path, limits: Limits = DEFAULT) -> dict[str, Any]:
    text = _read_pack_text(path, limits)
    # a bundled pack as the build parsed it, while its text is unchanged (rules.compiled)
    found = compiled.lookup(path, text, __version__) if _is_bundled(path) else None
    if found is not None:
        data, deepest = found
        _check_depth(deepest, path, limits)
    else:
        _check_depth(compiled.depth(text), path, limits)
        data = _parsed(text, path)
        # YAML aliases can make a small text expand to a huge value; the table's data is
        # JSON, which has none: what it holds, the build wrote out in full
        _count_values(data, path)
    if not isinstance(data, dict):
        raise RulePackError("a rule pack must be a YAML mapping with 'pack' and 'rules'", str(path))
    rules = data.get("rules")
    if isinstance(rules, list) and len(rules) > limits.pack_rules:
        raise _limit_error(f"has {len(rules):,} rules, more than {limits.pack_rules:,}",
                           "pack-rules", str(path))
    return data


def _is_bundled(path: Path) -> bool:
    return path.resolve().parent == rules_dir().resolve()


def _parsed(text: str, path: Path) -> Any:
    import yaml

    try:
        return compiled.parse(text)
    except (RecursionError, MemoryError):
        raise RulePackError("is nested too deeply to read", str(path)) from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise RulePackError(f"{line}not valid YAML ({problem})", str(path)) from None


def _check_matching(rule: dict[str, Any], file: str) -> None:
    """Phrases and patterns whose matching stays cheap on any text: a bounded number of
    words or tokens, few unbounded operators, and no regular expressions (one written to
    backtrack takes exponential time on a single word)."""
    short = rule.get("id")
    for item in rule.get("phrases") or ():
        for phrase in item if isinstance(item, dict) else [item]:
            if isinstance(phrase, str) and len(words_of(phrase)) > MAX_PHRASE_WORDS:
                raise RulePackError(f"rule '{short}': a phrase of more than {MAX_PHRASE_WORDS} "
                                    "words", file)
    for pattern in rule.get("patterns") or ():
        if len(pattern) > MAX_PATTERN_TOKENS:
            raise RulePackError(f"rule '{short}': a pattern of more than {MAX_PATTERN_TOKENS} "
                                "tokens", file)
        unbounded = 0
        for token in pattern:
            if _has_key(token, ("REGEX", "FUZZY")):
                raise RulePackError(f"rule '{short}': REGEX and FUZZY are not allowed in patterns "
                                    "(their time has no bound); use LOWER, LEMMA or IN", file)
            op = str(token.get("OP", ""))
            unbounded += op in ("*", "+")
            bounds = re.fullmatch(r"\{(\d*),?(\d*)\}", op)
            if bounds and (not bounds.group(2) and "," in op or
                           int(bounds.group(2) or bounds.group(1) or 0) > MAX_REPEAT):
                raise RulePackError(f"rule '{short}': operator {op} repeats more than {MAX_REPEAT} "
                                    "times", file)
        if unbounded > MAX_UNBOUNDED:
            raise RulePackError(f"rule '{short}': a pattern with more than {MAX_UNBOUNDED} '*' or "
                                "'+' operators", file)


def _has_key(value: Any, keys: tuple[str, ...]) -> bool:
    if isinstance(value, dict):
        return any(k in keys or _has_key(v, keys) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_key(v, keys) for v in value)
    return False


def wordlist_dirs(folder: Path) -> list[Path]:
    """Where the ``@name`` references of the packs in ``folder`` are looked up, in order."""
    return [folder / "wordlists", folder.parent / "wordlists", wordlists_dir()]


class _Wordlists:
    """Resolves ``@name`` references for one pack."""

    def __init__(self, pack_file: Path):
        self.dirs = wordlist_dirs(pack_file.parent)

    def path(self, name: str) -> Path | None:
        for d in self.dirs:
            for suffix in (".txt", ".tsv", ""):
                p = d / f"{name}{suffix}"
                if p.is_file():
                    return p
        return None

    def lines(self, ref: str, file: str, rule_id: str) -> list[str]:
        p = self.path(ref[1:])
        if p is None:
            raise RulePackError(f"rule '{rule_id}': wordlist '{ref}' not found", file)
        return read_wordlist(p)


def _word_seqs(value: Any, wl: _Wordlists, file: str, rule_id: str) -> tuple[tuple[str, ...], ...]:
    if value is None:
        return ()
    items = wl.lines(value, file, rule_id) if isinstance(value, str) else list(value)
    out = []
    for item in items:
        if isinstance(item, str) and item.startswith("@"):
            out.extend(words_of(x) for x in wl.lines(item, file, rule_id))
        elif item == START:
            out.append((START,))
        else:
            out.append(words_of(item))
    return tuple(w for w in out if w)


def _plain_list(value: Any, wl: _Wordlists, file: str, rule_id: str) -> list[str]:
    if value is None:
        return []
    return wl.lines(value, file, rule_id) if isinstance(value, str) else list(value)


def _validate(data: dict[str, Any], file: str) -> None:
    """The pack against the JSON Schema; the clearest error, as one line."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        from jsonschema.exceptions import best_match

        typos = [e for e in errors if e.validator == "additionalProperties"]
        best = typos[0] if typos else best_match(errors)  # a typo explains a missing key
        missing = sorted({m for e in errors if e.validator == "required"  # all at once
                          and list(e.absolute_path) == list(best.absolute_path)
                          for m in re.findall(r"'([^']+)' is a required", e.message)})
        raise RulePackError(_describe(best, data, missing), file)


def load_pack(path: Path, wordlists: _Wordlists | None = None,
              limits: Limits = DEFAULT, *, validate: bool = True) -> list[Rule]:
    """Load and validate one pack file; raises :class:`RulePackError` naming the problem.

    ``validate=False`` skips the JSON Schema (for the bundled packs, which the tests
    validate: jsonschema's import and a validation cost a tenth of a second a process);
    every other check still runs."""
    file = str(path)
    data = _parse_yaml(path, limits)
    if validate:
        _validate(data, file)
    wl = wordlists or _Wordlists(path)
    pack = data["pack"]
    rules = []
    seen: set[str] = set()
    for raw in data["rules"]:
        rule_id = f"{pack}.{raw['id']}"
        if rule_id in seen:
            raise RulePackError(f"rule '{raw['id']}' is defined twice", file)
        seen.add(rule_id)
        _check_matching(raw, file)
        rules.append(_build_rule(raw, data, rule_id, wl, file))
    return rules


def _build_rule(raw: dict[str, Any], pack: dict[str, Any], rule_id: str, wl: _Wordlists,
                file: str) -> Rule:
    short = raw["id"]
    conditions = Conditions(
        case_sensitive=bool(raw.get("case_sensitive", raw["kind"] == "acronym")),
        preceded_by=_word_seqs(raw.get("preceded_by"), wl, file, short),
        not_preceded_by=_word_seqs(raw.get("not_preceded_by"), wl, file, short),
        followed_by=_word_seqs(raw.get("followed_by"), wl, file, short),
        not_followed_by=_word_seqs(raw.get("not_followed_by"), wl, file, short),
        pos=frozenset(raw.get("pos", ())),
        not_dep=frozenset(raw.get("not_dep", ())),
        subject=raw.get("subject"),
        in_quotes=bool(raw.get("in_quotes", False)),
        sense=raw.get("sense"),
        not_object=frozenset(w.lower() for w in _plain_list(raw.get("not_object"), wl, file, short)),
        objects=frozenset(w.lower() for w in _plain_list(raw.get("objects"), wl, file, short)),
    )
    when: dict[str, dict[str, Any]] = {}
    plain: set[str] = set()

    def suggestion_list(items: Any) -> tuple[str, ...]:
        # a suggestion's conditions belong to its wording, for the whole rule: the same
        # wording cannot be offered with conditions in one place and without in another
        out = []
        for item in [items] if isinstance(items, str | dict) else items or ():
            if isinstance(item, dict):
                cond: dict[str, Any] = {
                    k: frozenset(w.lower() for w in _plain_list(item.get(k), wl, file, short))
                    for k in ("after", "before", "not_after", "not_before")}
                cond["not_governed_by"] = frozenset(
                    w.lower() for w in _plain_list(item.get("not_governed_by"), wl, file, short))
                cond["object"] = item.get("object")
                cond["subject"] = item.get("subject")
                cond["used_again"] = item.get("used_again")
                cond["start"] = item.get("start")
                text = item["text"]
                if text in plain:
                    raise RulePackError(
                        f"rule '{short}': suggestion '{text}' is given with conditions in one "
                        "place and without in another (conditions belong to the wording, for the "
                        "whole rule)", file)
                if when.get(text, cond) != cond:
                    raise RulePackError(
                        f"rule '{short}': suggestion '{text}' is given with different conditions "
                        "in two places (conditions belong to the wording, for the whole rule)", file)
                when[text] = cond
                item = text
            elif item in when:
                raise RulePackError(
                    f"rule '{short}': suggestion '{item}' is given with conditions in one place "
                    "and without in another (conditions belong to the wording, for the whole rule)",
                    file)
            else:
                plain.add(item)
            out.append(item)
        return tuple(out)

    suggestions = suggestion_list(raw.get("suggestions", ()))
    phrases, own = _phrases(raw.get("phrases", ()), suggestion_list)
    if len(set(phrases)) < len(phrases):  # the second would silently lose or take the wording
        twice = next(p for i, p in enumerate(phrases) if p in phrases[:i])
        raise RulePackError(f"rule '{short}': phrase '{twice}' is listed twice", file)
    fix = raw.get("fix", "none")
    if fix != "none":
        firsts = [s[0] for s in (suggestions, *own.values()) if s]
        if not firsts:
            raise RulePackError(f"rule '{short}': fix '{fix}' needs a suggestion", file)
        if any("[" in first for first in firsts):
            raise RulePackError(
                f"rule '{short}': fix '{fix}' cannot use a suggestion with a [placeholder]", file
            )
    source = raw.get("source", pack.get("source", ()))
    spec: dict[str, Any] = {"when": when}
    kind = raw["kind"]
    if kind == "phrase":
        spec["phrases"] = phrases
        spec["phrase_suggestions"] = own
    elif kind == "pattern":
        spec["patterns"] = raw["patterns"]
        spec["triggers"] = [words_of(t) for t in raw.get("triggers", ())]
    elif kind == "acronym":
        acr = raw["acronyms"]
        if isinstance(acr, str):
            table = {}
            for line in wl.lines(acr, file, short):
                parts = [p.strip() for p in line.split("\t")]
                if len(parts) >= 2 and parts[0] and parts[1]:
                    table[parts[0]] = parts[1]
            acr = table
        spec["acronyms"] = dict(acr)
        spec["common"] = set(_plain_list(raw.get("common"), wl, file, short))
        spec["exclude"] = set(_plain_list(raw.get("exclude"), wl, file, short))
        spec["unknown"] = bool(raw.get("unknown", False))
    elif kind == "metric":
        spec.update({k: raw[k] for k in ("metric", "max", "min") if k in raw})
    examples = raw["examples"]
    deficit = bool(raw.get("deficit", pack.get("deficit", False)))
    rule = Rule(
        id=rule_id,
        pack=pack["pack"],
        kind=kind,
        category=raw.get("category", pack["category"]),
        severity=Severity.parse(raw.get("severity", pack.get("severity", "warning"))),
        message=raw["message"].strip(),
        suggestions=suggestions,
        fix=fix,
        source=tuple([source] if isinstance(source, str) else source),
        enabled=bool(raw.get("enabled", pack.get("enabled", True))),
        conditions=conditions,
        spec=spec,
        flag=tuple(Example.parse(e) for e in examples["flag"]),
        ok=tuple(Example.parse(e) for e in examples.get("pass", ())),
        file=file,
        note=raw.get("note", ""),
        inflect=raw.get("inflect", "none"),
        once=bool(raw.get("once", pack.get("once", False))),
        deficit=deficit,
        reported=raw.get("reported", pack.get("reported", "note" if deficit else "keep")),
        advice=" ".join(raw.get("advice", "").split()),
    )
    if kind == "pattern":
        from .kinds import pattern_triggers

        if not pattern_triggers(rule):
            raise RulePackError(
                f"rule '{short}': no trigger words: give 'triggers', or start a pattern token "
                "with LOWER, LEMMA or ORTH", file)
    return rule


def _phrases(items: Any, suggestion_list: Any) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """A rule's phrases; an item ``{phrase: [suggestions]}`` gives that phrase its own
    drop-ins (an empty list: none fits, only the advice)."""
    phrases: list[str] = []
    own: dict[str, tuple[str, ...]] = {}
    for item in items:
        if isinstance(item, dict):
            for phrase, sugs in item.items():
                phrases.append(phrase)
                own[phrase] = suggestion_list(sugs)
        else:
            phrases.append(item)
    return phrases, own


def pack_files(folder: Path) -> list[Path]:
    """The pack files of a folder (a style): ``*.yml`` and ``*.yaml``, sorted."""
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def _entry_point_folders() -> list[tuple[str, Path]]:
    if installed.declares(ENTRY_POINT_GROUP) is False:  # no distribution names the group
        return []
    from importlib import metadata

    out = []
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            obj = ep.load()
            if callable(obj) and not isinstance(obj, ModuleType):
                obj = obj()
            if isinstance(obj, ModuleType):
                folder = Path(obj.__file__ or "").parent
            else:
                folder = Path(os.fspath(obj))
        except Exception as e:
            raise RulePackError(f"rule-pack entry point '{ep.name}' ({ep.value}) failed: {e}") from None
        if not folder.is_dir():
            raise RulePackError(f"rule-pack entry point '{ep.name}' names no folder ({folder})")
        out.append((f"entry point '{ep.name}'", folder))
    return out


def discover(extra: Iterable[Path] = (), *, bundled: bool = True,
             entry_points: bool = True) -> list[Path]:
    """Every pack file: bundled, then installed entry points, then the given folders/files."""
    sources: list[Path] = []
    if bundled:
        sources.extend(pack_files(rules_dir()))
    if entry_points:
        for _, folder in _entry_point_folders():
            sources.extend(pack_files(folder))
    for p in extra:
        p = Path(p)
        if p.is_dir():
            sources.extend(pack_files(p))
        elif p.is_file():
            sources.append(p)
        else:
            raise RulePackError("no such rule folder or pack file", str(p))
    return sources


def load_rules(files: Iterable[Path], limits: Limits = DEFAULT, *,
               validate_bundled: bool = False) -> list[Rule]:
    """Load packs; pack names and rule ids must be unique across them.  Every pack but
    the bundled ones is validated against the JSON Schema; ``validate_bundled`` (``sba-lint
    rules test``) validates those too."""
    rules: list[Rule] = []
    packs: dict[str, str] = {}
    paths = [(f, Path(f).resolve()) for f in files]
    # the bundled rules as the build made them, while they are built from these very files
    built = snapshot.load(rules_dir().resolve(), __version__) \
        if limits == DEFAULT and not validate_bundled and any(_is_bundled(p) for _, p in paths) else None
    for f, path in paths:
        bundled = _is_bundled(path)
        validate = validate_bundled or not bundled
        if built is not None and bundled and path.name in built:
            loaded = built[path.name]
        else:
            loaded = _load_cached(path, _mtime(f), limits, validate)
        if loaded:
            name = loaded[0].pack
            if name in packs:
                raise RulePackError(f"pack '{name}' is already defined in {packs[name]}", str(f))
            packs[name] = str(f)
        rules.extend(loaded)
    return rules


def _mtime(f: Path) -> float:
    try:
        return Path(f).stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=256)
def _load_cached(path: Path, _mtime: float, limits: Limits, validate: bool) -> list[Rule]:
    return load_pack(path, limits=limits, validate=validate)
