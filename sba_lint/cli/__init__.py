"""The ``sba-lint`` command.  Exit codes: 0 clean, 1 findings at or above --fail-on,
2 usage or configuration error, 3 at least one file could not be read or nothing was
checked, 130 interrupted (Ctrl-C).

The commands are thin: what they share (configuration per folder, the Linters, the walk
and the run loop) is :mod:`sba_lint.workspace`."""

from __future__ import annotations

import errno
import json as jsonlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..config import load as load_config
from ..errors import InputError, SbaLintError
from ..files import display_name as _n
from ..findings import FileResult
from ..reporters import REPORTERS, WITH_STATS
from ..workspace import Workspace, skipped_summary

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNREADABLE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def _split(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _fail(message: str, code: int = EXIT_USAGE) -> None:
    click.echo(f"sba-lint: error: {message}", err=True)
    sys.exit(code)


class _Main(click.Group):
    """The command group: whatever a command does, trouble writing standard output (a
    closed pipe, a full disk) ends the run with one line and exit 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()
            return result
        except KeyboardInterrupt:  # Ctrl-C: the shell's convention, not "findings"
            click.echo("sba-lint: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except SystemExit:
            try:
                sys.stdout.flush()
            except OSError as e:
                _output_failed(e)
            raise
        except OSError as e:
            if e.filename is not None or e.errno not in _STREAM_ERRORS:  # not the stream
                raise
            _output_failed(e)


#: what writing to a closed pipe, a full disk or a vanished terminal raises
_STREAM_ERRORS = {getattr(errno, name) for name in ("EPIPE", "ENOSPC", "EIO", "EFBIG", "EDQUOT",
                                                     "EBADF", "ECONNRESET") if hasattr(errno, name)}


def _output_failed(error: OSError) -> None:
    """Standard output cannot be written: point it at the null device (so that the final
    flush cannot fail again), say so once on standard error, exit 2."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
    try:
        click.echo(f"sba-lint: error: cannot write to standard output "
                   f"({error.strerror or error})", err=True)
    except OSError:
        pass
    sys.exit(EXIT_USAGE)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sba-lint")
def main() -> None:
    """Strengths-based language review for social-care case documents."""


_RULE_OPTIONS = [
    click.option("--config", "config_path", type=click.Path(dir_okay=False),
                 help="Use this configuration file instead of searching for one."),
    click.option("--profile", help="Document type: case-note, assessment, court-report, letter "
                 "(see 'sba-lint rules profiles')."),
    click.option("--select", multiple=True,
                 help="Only these rules, packs or categories (comma-separated)."),
    click.option("--extend-select", multiple=True,
                 help="Add rules, packs or categories to the selection."),
    click.option("--ignore", multiple=True, help="Leave out rules, packs or categories."),
    click.option("--severity", "severities", multiple=True, metavar="SELECTOR=LEVEL",
                 help="Change a severity, e.g. --severity plain=info."),
    click.option("--rules", "rule_dirs", multiple=True, type=click.Path(),
                 help="Also load the rule packs in this folder."),
    click.option("--allow", multiple=True, help="A word or phrase never to flag."),
    click.option("--redact", is_flag=True, default=None,
                 help="Keep the document's words out of the report."),
    click.option("--limit", "limits", multiple=True, metavar="KEY=N",
                 help="Change a limit, e.g. --limit file-mb=200 (see README: Limits)."),
]


def rule_options(f: Any) -> Any:
    """The options that choose rules, shared by check, annotate, fix and audit."""
    for option in reversed(_RULE_OPTIONS):
        f = option(f)
    return f


def _options(select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
             severities: tuple[str, ...], rule_dirs: tuple[str, ...], allow: tuple[str, ...],
             redact: bool | None, profile: str | None, fail_on: str | None = None,
             limits: tuple[str, ...] = ()) -> dict[str, Any]:
    from ..limits import parse_option

    severity: list[tuple[str, str]] = []
    for item in severities:
        if "=" not in item:
            _fail(f"--severity takes SELECTOR=LEVEL, not '{item}'")
        key, value = item.split("=", 1)
        severity.append((key.strip(), value.strip()))
    return {
        "select": _split(select) or None,
        "extend_select": _split(extend_select),
        "ignore": _split(ignore),
        "severity": tuple(severity),
        "rules": tuple(Path(d).resolve() for d in rule_dirs),
        "allow": tuple(allow),
        "fail_on": fail_on,
        "redact": redact,
        "profile": profile,
        "limits": tuple(_limit(item, parse_option) for item in limits),
    }


def _limit(item: str, parse: Any) -> tuple[str, int]:
    try:
        return parse(item)
    except ValueError as e:
        _fail(str(e))
        raise  # not reached: _fail exits


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@rule_options
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that makes the exit code 1 [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--stdin-filename", help="Name (and so type) of the document read from '-'.")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--color/--no-color", default=None, help="Colour the text report [default: on a terminal].")
@click.option("--explain", is_flag=True,
              help="Also show every candidate match: the rule, and the condition that kept or skipped it.")
def check(paths: tuple[str, ...], fmt: str, config_path: str | None, profile: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          severities: tuple[str, ...], rule_dirs: tuple[str, ...], allow: tuple[str, ...],
          redact: bool | None, fail_on: str | None, exit_zero: bool,
          stdin_filename: str | None, output: str | None, color: bool | None,
          explain: bool = False, text: str | None = None, limits: tuple[str, ...] = ()) -> None:
    """Check documents (.docx, .txt, .md, folders, or - for standard input)."""
    options = _options(select, extend_select, ignore, severities, rule_dirs, allow, redact,
                       profile, fail_on, limits)
    skipped = None
    try:
        forced = load_config(Path(config_path)) if config_path else None
        ws = Workspace(forced, options, explain, with_stats=fmt in WITH_STATS)
        if text is not None:
            linter = ws.linter_for(Path.cwd())
            result = linter.check_text(text, path="<text>")
            results, failed = [result], linter.fails(result)
        else:
            targets = ws.targets(paths, skipped=True)
            skipped = skipped_summary(targets)
            if output:
                from ..files import check_output

                problem = check_output(Path(output), [t.path for t in targets
                                                      if not t.error and not t.skipped])
                if problem:
                    _fail(problem)
            results, failed = _run(ws, targets, "-" in paths, stdin_filename)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    redact_out = ws.redact
    if fmt == "text":
        use_color = sys.stdout.isatty() if color is None and not output else bool(color)
        report = REPORTERS["text"](results, color=use_color, redact=redact_out, skipped=skipped)
    else:
        report = REPORTERS[fmt](results, redact=redact_out, rules=ws.catalogue())
    for r in results:
        if r.error:
            click.echo(f"sba-lint: {r.shown_error(redact_out)}", err=True)
    if output:
        from ..files import write_atomic

        try:
            write_atomic(Path(output), report.encode("utf-8"))
        except OSError as e:
            _fail(f"{output}: cannot write the report ({e.strerror or e})")
    else:
        click.echo(report, nl=False)
    if any(r.error for r in results):
        sys.exit(EXIT_UNREADABLE)
    if not results:
        click.echo(f"sba-lint: nothing was checked: {skipped or 'no .docx, .txt or .md file was found'}",
                   err=True)
        sys.exit(EXIT_UNREADABLE)
    if failed and not exit_zero:
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@main.command()
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@rule_options
@click.pass_context
def explain(ctx: click.Context, target: str, fmt: str, **options: Any) -> None:
    """Show why each candidate match in TARGET (a file, or the text itself) was kept or skipped.

    \b
      sba-lint explain "Mum failed to engage with the contact worker."
      sba-lint explain notes/visit.docx
    """
    try:
        is_file = target == "-" or ("\n" not in target and Path(target).exists())
    except (OSError, ValueError):  # a name too long for a path: it is text
        is_file = False
    ctx.invoke(check, paths=(target,) if is_file else (), fmt=fmt, fail_on=None, exit_zero=True,
               stdin_filename=None, output=None, color=None, explain=True,
               text=None if is_file else target, **options)


def _run(ws: Workspace, targets: list[Any], stdin: bool,
         stdin_filename: str | None) -> tuple[list[FileResult], bool]:
    results: list[FileResult] = []
    failed = False
    for checked in ws.run(targets):
        failed |= checked.failed
        results.append(checked.result)
    if stdin:
        name = stdin_filename or "-"
        where = Path(stdin_filename).parent if stdin_filename else Path.cwd()
        fmt = Path(stdin_filename).suffix if stdin_filename else "txt"
        limit = ws.linter_for(where).limits.bytes("file_mb")
        data: bytes | InputError
        try:
            data = _read_stdin(limit)
        except InputError as e:
            data = e
        checked = ws.check_bytes(data, name, where, fmt or "txt")
        failed |= checked.failed
        results.append(checked.result)
    return results, failed


def _read_stdin(limit: int) -> bytes:
    """Standard input's bytes, never more than ``limit``; an InputError (without the name)
    when it is closed, unreadable or too long."""
    from ..files import read_bounded

    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("standard input is closed: there is nothing to read")
    try:
        return read_bounded(stream.read, limit)
    except ValueError:
        raise InputError(f"standard input gives more than {limit // (1024 * 1024)} MiB (the "
                         "file-mb limit; raise it with --limit file-mb=N)") from None
    except OSError as e:
        raise InputError("standard input cannot be read", None, e.strerror or str(e)) from None


# -- annotate and fix: reviewed copies of the user's own documents ----------------------
def _workspace_or_fail(config_path: str | None, options: dict[str, Any]) -> Workspace:
    """The Workspace for annotate and fix, or exit 2 naming a bad --config file."""
    try:
        return Workspace(load_config(Path(config_path)) if config_path else None, options)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        raise  # not reached: _fail exits


def _error_text(error: SbaLintError, ws: Workspace) -> str:
    """An error's line, without what a library quoted of the document under --redact."""
    return error.redacted() if ws.redact else str(error)


def _docx_output(out: Path) -> str | None:
    """Why a Word copy cannot be written to ``out`` (a name without ``.docx``), or None."""
    if out.suffix.lower() != ".docx":
        return f"{_n(out)}: a Word copy must be named .docx (Word will not open it otherwise)"
    return None


def _default_output(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.stem}.{tag}{path.suffix}")


def _word_options(f: Any) -> Any:
    f = click.option("--summary", is_flag=True,
                     help="Start with a comment giving the statistics and strengths balance.")(f)
    f = click.option("--initials", default="SBA", show_default=True, help="Initials on comments.")(f)
    f = click.option("--author", default="sba-lint", show_default=True,
                     help="Author of the comments and tracked changes.")(f)
    return f


def _each(paths: tuple[str, ...], output: str | None) -> list[Path]:
    if output and len(paths) > 1:
        _fail("-o names one output file; give one input, or leave -o out to write NAME.reviewed.docx")
    return [Path(p) for p in paths]


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="The reviewed copy [default: NAME.reviewed.docx beside the input].")
@_word_options
@rule_options
def annotate(paths: tuple[str, ...], output: str | None, author: str, initials: str, summary: bool,
             config_path: str | None, profile: str | None, select: tuple[str, ...],
             extend_select: tuple[str, ...], ignore: tuple[str, ...], severities: tuple[str, ...],
             rule_dirs: tuple[str, ...], allow: tuple[str, ...], redact: bool | None,
             limits: tuple[str, ...]) -> None:
    """Write a copy of each Word document with a comment on every finding.

    The copy's text is exactly the original's; only comments are added.  To keep a
    wording, resolve its comment in Word or reply "sba-lint: keep": later check, annotate
    and fix runs on that document leave that finding out.  Exit codes: 0 written, 2 usage
    or output problem, 3 an input could not be read (the others are still done).
    """
    from .. import review
    from ..files import check_output, write_atomic
    from ..source import load_bytes

    ws = _workspace_or_fail(config_path, _options(select, extend_select, ignore, severities,
                                                     rule_dirs, allow, redact, profile,
                                                     limits=limits))
    code = EXIT_OK
    for path in _each(paths, output):
        out = Path(output) if output else _default_output(path, "reviewed")
        if path.suffix.lower() != ".docx":
            click.echo(f"sba-lint: {_n(path)}: annotate writes Word comments, so it needs a .docx "
                       "(for .txt and .md use 'check', or 'fix --diff')", err=True)
            code = max(code, EXIT_USAGE)
            continue
        problem = _docx_output(out) or check_output(out, [path])
        if problem:
            click.echo(f"sba-lint: {problem}", err=True)
            code = max(code, EXIT_USAGE)
            continue
        try:
            linter = ws.linter_for(path)
            done = review.annotate(linter, load_bytes(path, _n(path), linter.limits), _n(path),
                                   author=author, initials=initials, summary=summary, redact=redact)
            write_atomic(out, done.data)
        except SbaLintError as e:
            click.echo(f"sba-lint: {_error_text(e, ws)}", err=True)
            code = max(code, e.exit_code)
            continue
        except OSError as e:
            click.echo(f"sba-lint: {_n(out)}: cannot write the reviewed copy ({e.strerror or e})", err=True)
            code = max(code, EXIT_USAGE)
            continue
        n = len(done.result.findings)
        again = f", {done.already} already commented by {author}" if done.already else ""
        click.echo(f"{_n(out)}: {n} finding{'s' if n != 1 else ''}, {done.commented} commented{again}")
    sys.exit(code)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the fixed copy here [.docx default: NAME.fixed.docx beside the input].")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff of the fixes (.txt, .md); change nothing.")
@click.option("--in-place", is_flag=True, help="Change the .txt or .md file itself.")
@click.option("--unsafe-fixes", is_flag=True,
              help="Also apply fixes marked unsafe (check the sentence still says what you mean).")
@_word_options
@rule_options
def fix(paths: tuple[str, ...], output: str | None, show_diff: bool, in_place: bool,
        unsafe_fixes: bool, author: str, initials: str, summary: bool, config_path: str | None,
        profile: str | None, select: tuple[str, ...], extend_select: tuple[str, ...],
        ignore: tuple[str, ...], severities: tuple[str, ...], rule_dirs: tuple[str, ...],
        allow: tuple[str, ...], redact: bool | None, limits: tuple[str, ...]) -> None:
    """Apply the rules' fixes.

    For .docx, a copy with each fix as a tracked change (and a comment on every finding
    that has no mechanical fix).  For .txt and .md, a diff (the default, or --diff), a new
    file (-o) or the file itself (--in-place).  The input is never changed otherwise.
    Exit codes: 0 done, 1 --diff found changes, 2 usage or output problem, 3 an input could
    not be read.
    """
    from .. import fixes, review
    from ..files import check_output, write_atomic, write_in_place
    from ..fixes import text as text_fixes
    from ..source import load_bytes
    from ..source.plaintext import decode, encode_like

    if in_place and output:
        _fail("give either --in-place or -o, not both")
    ws = _workspace_or_fail(config_path, _options(select, extend_select, ignore, severities,
                                                     rule_dirs, allow, redact, profile,
                                                     limits=limits))
    code = EXIT_OK
    for path in _each(paths, output):
        is_docx = path.suffix.lower() == ".docx"
        if is_docx and (show_diff or in_place):
            click.echo(f"sba-lint: {_n(path)}: --diff and --in-place are for .txt and .md; a Word "
                       "document gets a copy with tracked changes (-o)", err=True)
            code = max(code, EXIT_USAGE)
            continue
        out: Path | None = None
        if is_docx:
            out = Path(output) if output else _default_output(path, "fixed")
        elif output:
            out = Path(output)
        elif in_place:
            out = path
        if out is not None and not in_place:
            problem = (_docx_output(out) if is_docx else None) or check_output(out, [path])
            if problem:
                click.echo(f"sba-lint: {problem}" + ("" if is_docx else "; use --in-place to change it"),
                           err=True)
                code = max(code, EXIT_USAGE)
                continue
        try:
            if is_docx:
                linter = ws.linter_for(path)
                done = review.fix(linter, load_bytes(path, _n(path), linter.limits), _n(path),
                                  unsafe=unsafe_fixes, author=author, initials=initials,
                                  summary=summary, redact=redact)
                assert out is not None
                write_atomic(out, done.data)
                click.echo(f"{_n(out)}: {done.fixed} fixed as tracked changes, {done.commented} "
                           f"commented ({len(done.result.findings)} findings)")
                continue
            data, result, linter = ws.read_checked(path)
            chosen = fixes.plan(result, unsafe=unsafe_fixes)
            before = decode(data, _n(path))
            after = text_fixes.apply(before, result, chosen)
            if out is None:  # --diff, the default for text
                patch = (text_fixes.redacted_diff(result, chosen, _n(path))
                         if redact or linter.config.redact else text_fixes.diff(before, after, _n(path)))
                click.echo(patch, nl=False)
                if patch:
                    code = max(code, EXIT_FINDINGS)
                continue
            if in_place:
                write_in_place(out, encode_like(data, after, _n(path)), data)
            else:
                write_atomic(out, encode_like(data, after, _n(path)))
            left = len(result.findings) - len(chosen.fixed)
            click.echo(f"{_n(out)}: {len(chosen.fixed)} fixed, {left} left for you"
                       + ("" if unsafe_fixes else " (--unsafe-fixes applies more)"
                          if any(f.fix and not f.fix.safe for f in result.findings) else ""))
        except SbaLintError as e:
            click.echo(f"sba-lint: {_error_text(e, ws)}", err=True)
            code = max(code, e.exit_code)
        except OSError as e:
            if out is None:  # standard output (the diff), not a file
                raise
            click.echo(f"sba-lint: {_n(out)}: cannot be written ({e.strerror or e})", err=True)
            code = max(code, EXIT_USAGE)
    sys.exit(code)


@main.group()
def rules() -> None:
    """List, show and test rules."""


def _load_all(rule_dirs: tuple[str, ...]) -> list[Any]:
    from ..rules import discover, load_rules

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
    from ..rules.describe import describe

    click.echo(describe(found[0]))


@rules.command("test")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--verbose", "-v", is_flag=True, help="List every example, not only failures.")
def rules_test(paths: tuple[str, ...], verbose: bool) -> None:
    """Run the examples of the bundled packs, or of the packs in PATHS (files or folders)."""
    from ..rules import discover, load_rules
    from ..rules.examples import run_examples

    try:
        files = discover([Path(p) for p in paths], bundled=not paths, entry_points=not paths)
        all_rules = load_rules(files, validate_bundled=True)
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
    from ..rules.reference import bundled

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


@rules.command("compile")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the table to this file (default: beside the bundled packs).")
def rules_compile(output: str | None) -> None:
    """Parse and build the bundled packs once, for a faster start (a build does this itself).

    Writes packs.compiled.json (the packs parsed) and rules.snapshot (the rules built
    from them) beside the bundled packs.  Each is read only while the files it was made
    from are unchanged (the packs; for the rules also the wordlists and the code that
    builds them), so a stale one costs time, never a wrong result.  For a source checkout
    (an editable install), whose packs the build does not see.  With --output, only the
    parsed packs are written, to that file."""
    from .. import __version__
    from ..resources import rules_dir
    from ..rules import compiled, snapshot

    try:
        written = [compiled.write(rules_dir(), __version__, Path(output) if output else None)]
        if not output:
            written.append(snapshot.write(rules_dir(), __version__))
    except OSError as e:
        _fail(f"cannot write the compiled packs ({e.strerror or e})")
        return
    except SbaLintError as e:
        _fail(str(e))
        return
    for path in written:
        click.echo(f"wrote {path}", err=True)


@rules.command("profiles")
@click.option("--rules", "rule_dirs", multiple=True, type=click.Path(), help="Also load these styles.")
def rules_profiles(rule_dirs: tuple[str, ...]) -> None:
    """The document types that --profile accepts."""
    from ..rules.profiles import available

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
    from ..rules.schema import PACK

    click.echo(jsonlib.dumps(PACK, indent=2))


from . import audit as _audit  # noqa: E402,F401  (registers ``sba-lint audit``)
from . import serve as _serve  # noqa: E402,F401  (registers ``sba-lint serve``)

if __name__ == "__main__":  # pragma: no cover
    main()
