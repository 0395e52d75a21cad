"""The ``sba-lint`` command.  Exit codes: 0 clean, 1 findings at or above --fail-on,
2 usage or configuration error, 3 at least one file could not be read."""

from __future__ import annotations

import json as jsonlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from . import __version__
from .config import Config
from .config import for_path as config_for_path
from .config import load as load_config
from .errors import SbaLintError
from .files import collect
from .findings import FileResult
from .reporters import REPORTERS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def _split(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"sba-lint: error: {message}", err=True)
    sys.exit(code)


class _Linters:
    """One Linter per distinct configuration, built on first use."""

    def __init__(self, forced: Config | None, options: dict[str, Any]):
        self.forced = forced
        self.options = options
        self.cache: dict[Config, Any] = {}

    def config_for(self, path: Path) -> Config:
        base = self.forced if self.forced is not None else config_for_path(path)
        return base.merged(**self.options)

    def linter(self, config: Config) -> Any:
        if config not in self.cache:
            from .linter import Linter

            self.cache[config] = Linter(config)
        return self.cache[config]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sba-lint")
def main() -> None:
    """Strengths-based language review for social-care case documents."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Use this configuration file instead of searching for one.")
@click.option("--profile", help="Document type: case-note, assessment, court-report, letter "
              "(see 'sba-lint rules profiles').")
@click.option("--select", multiple=True, help="Only these rules, packs or categories (comma-separated).")
@click.option("--extend-select", multiple=True, help="Add rules, packs or categories to the selection.")
@click.option("--ignore", multiple=True, help="Leave out rules, packs or categories.")
@click.option("--severity", "severities", multiple=True, metavar="SELECTOR=LEVEL",
              help="Change a severity, e.g. --severity plain=info.")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(),
              help="Also load the rule packs in this folder.")
@click.option("--allow", multiple=True, help="A word or phrase never to flag.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", help="Name (and so type) of the document read from '-'.")
@click.option("--redact", is_flag=True, default=None,
              help="Keep the document's words out of the report.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
def check(paths: tuple[str, ...], fmt: str, config_path: str | None, profile: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          severities: tuple[str, ...],
          rule_dirs: tuple[str, ...], allow: tuple[str, ...], fail_on: str | None, exit_zero: bool,
          stdin_filename: str | None, redact: bool | None, output: str | None,
          color: bool | None) -> None:
    """Check documents (.docx, .txt, .md, folders, or - for standard input)."""
    severity: list[tuple[str, str]] = []
    for item in severities:
        if "=" not in item:
            _fail(f"--severity takes SELECTOR=LEVEL, not '{item}'")
        key, value = item.split("=", 1)
        severity.append((key.strip(), value.strip()))
    options = {
        "select": _split(select) or None,
        "extend_select": _split(extend_select),
        "ignore": _split(ignore),
        "severity": tuple(severity),
        "rules": tuple(Path(d).resolve() for d in rule_dirs),
        "allow": tuple(allow),
        "fail_on": fail_on,
        "redact": redact,
        "profile": profile,
    }
    try:
        forced = load_config(Path(config_path)) if config_path else None
        linters = _Linters(forced, options)
        results, failed = _run(paths, linters, stdin_filename)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    redact_out = any(c.redact for c in linters.cache) or bool(redact)
    if fmt == "text":
        use_color = sys.stdout.isatty() if color is None and not output else bool(color)
        report = REPORTERS["text"](results, color=use_color, redact=redact_out)
    else:
        report = REPORTERS[fmt](results, redact=redact_out)
    for r in results:
        if r.error:
            click.echo(f"sba-lint: {r.error}", err=True)
    if output:
        try:
            Path(output).write_text(report, encoding="utf-8")
        except OSError as e:
            _fail(f"{output}: cannot write the report ({e.strerror or e})")
    else:
        click.echo(report, nl=False)
    if any(r.error for r in results):
        sys.exit(EXIT_UNREADABLE)
    if failed and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


def _run(paths: tuple[str, ...], linters: _Linters,
         stdin_filename: str | None) -> tuple[list[FileResult], bool]:
    results: list[FileResult] = []
    failed = False
    real = [p for p in paths if p != "-"]
    first_config = linters.config_for(Path(real[0]) if real else Path.cwd())
    for target in collect(real, first_config.exclude) if real else ():
        if target.error:
            results.append(FileResult(target.shown, error=f"{target.shown}: {target.error}"))
            continue
        config = linters.config_for(target.path)
        linter = linters.linter(config)
        result = linter.check_file(target.path, shown=target.shown)
        failed |= linter.fails(result)
        results.append(result)
    if "-" in paths:
        name = stdin_filename or "-"
        config = linters.config_for(Path(stdin_filename).parent if stdin_filename else Path.cwd())
        linter = linters.linter(config)
        data = sys.stdin.buffer.read()
        fmt = Path(stdin_filename).suffix if stdin_filename else "txt"
        result = linter.check_bytes(data, path=name, format=fmt or "txt")
        failed |= linter.fails(result)
        results.append(result)
    return results, failed


@main.group()
def rules() -> None:
    """List, show and test rules."""


def _load_all(rule_dirs: tuple[str, ...]) -> list[Any]:
    from .rules import discover, load_rules

    return load_rules(discover([Path(d) for d in rule_dirs]))


@rules.command("list")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Also load these packs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_list(rule_dirs: tuple[str, ...], fmt: str) -> None:
    """Every rule: id, kind, severity, category, and whether it is on by default."""
    try:
        all_rules = _load_all(rule_dirs)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    if fmt == "json":
        click.echo(jsonlib.dumps([
            {"id": r.id, "pack": r.pack, "kind": r.kind, "category": r.category,
             "severity": str(r.severity), "enabled": r.enabled, "message": r.message}
            for r in all_rules], indent=2, ensure_ascii=False))
        return
    width = max(len(r.id) for r in all_rules)
    for r in all_rules:
        off = "" if r.enabled else "  (off by default)"
        click.echo(f"{r.id:<{width}}  {r.kind:<8} {str(r.severity):<8} {r.category}{off}")
    click.echo(f"\n{len(all_rules)} rules in {len({r.pack for r in all_rules})} packs.")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Also load these packs.")
def rules_show(rule_id: str, rule_dirs: tuple[str, ...]) -> None:
    """Everything about one rule: message, suggestions, conditions, source, examples."""
    try:
        all_rules = _load_all(rule_dirs)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    found = [r for r in all_rules if r.id == rule_id]
    if not found:
        close = [r.id for r in all_rules if rule_id in r.id][:5]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        _fail(f"no rule '{rule_id}'{hint}")
    from .rules.describe import describe

    click.echo(describe(found[0]))


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only failures.")
def rules_test(paths: tuple[str, ...], verbose: bool) -> None:
    """Run the examples of the bundled packs, or of the packs in PATHS (files or folders)."""
    from .rules import discover, load_rules
    from .rules.examples import run_examples

    try:
        files = discover([Path(p) for p in paths], bundled=not paths, entry_points=not paths)
        all_rules = load_rules(files)
        outcomes = run_examples(all_rules)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    failures = [o for o in outcomes if not o.passed]
    for o in outcomes:
        if verbose or not o.passed:
            mark = "ok  " if o.passed else "FAIL"
            click.echo(f"{mark} {o.rule.id}: {o.describe()}")
    click.echo(f"{len(outcomes) - len(failures)} passed, {len(failures)} failed "
               f"({len(all_rules)} rules)")
    sys.exit(1 if failures else 0)


@rules.command("docs")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the reference to this file (default: standard output).")
@click.option("--check", is_flag=True,
              help="Exit 1 if the file given with -o is not what the packs generate.")
def rules_docs(output: str | None, check: bool) -> None:
    """The rule reference (docs/rules.md), generated from the bundled packs and profiles."""
    from .rules.reference import bundled

    try:
        text = bundled()
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    if check:
        if not output:
            _fail("--check needs the file to compare with: -o docs/rules.md")
        try:
            current = Path(output).read_text(encoding="utf-8")
        except OSError as e:
            _fail(f"{output}: cannot be read ({e.strerror or e})")
            return
        if current != text:
            _fail(f"{output} is out of date: run 'sba-lint rules docs -o {output}'", 1)
        click.echo(f"{output} is up to date.")
        return
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as e:
            _fail(f"{output}: cannot write the reference ({e.strerror or e})")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@rules.command("profiles")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Also load these styles.")
def rules_profiles(rule_dirs: tuple[str, ...]) -> None:
    """The document types that --profile accepts."""
    from .rules.profiles import available

    try:
        found = available([Path(d) for d in rule_dirs])
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    width = max(len(p.name) for p in found)
    for p in sorted(found, key=lambda p: p.name):
        click.echo(f"{p.name:<{width}}  {p.title}: {p.description}")


@rules.command("schema")
def rules_schema() -> None:
    """Print the JSON Schema that rule packs are validated against."""
    from .rules.schema import PACK

    click.echo(jsonlib.dumps(PACK, indent=2))


if __name__ == "__main__":  # pragma: no cover
    main()
