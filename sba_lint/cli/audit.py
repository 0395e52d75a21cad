"""``sba-lint audit PATH... --out DIR``: the command.  The work is in :mod:`sba_lint.audit`."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..config import load as load_config
from ..errors import SbaLintError
from . import EXIT_INTERRUPTED, EXIT_OK, EXIT_UNREADABLE, _fail, _options, main, rule_options


@main.command()
@click.argument("paths", nargs=-1)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for audit.sqlite, report.html, summary.json, files.csv, findings.csv.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Worker processes [default: every core].")
@click.option("--group-by", metavar="path:N|team|worker|type",
              help="Group documents by the Nth folder under each audited folder (path:1, the "
                   "default) or by a manifest column [default with --manifest: team].")
@click.option("--manifest", type=click.Path(dir_okay=False),
              help="CSV with a header row: path, team, worker, document type, date.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Check on this Dask distributed cluster instead of local processes "
                   "(pip install 'sba-lint[dask]'; the workers must see the files at the same paths).")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar [default: on a terminal; a line every few seconds otherwise].")
@rule_options
def audit(paths: tuple[str, ...], out: str, jobs: int | None, group_by: str | None,
          manifest: str | None, scheduler: str | None, progress: bool | None,
          config_path: str | None, profile: str | None,
          select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
          severities: tuple[str, ...], rule_dirs: tuple[str, ...], allow: tuple[str, ...],
          redact: bool | None, limits: tuple[str, ...]) -> None:
    """Audit many documents for a quality-assurance team: results into DIR/audit.sqlite as
    they come, then a report for managers (report.html), summary.json, files.csv and
    findings.csv.

    Running the same command again resumes an interrupted audit, or starts a new one that
    reuses unchanged files and compares with the last.  Exit codes: 0 written, 2 usage or
    configuration problem, 3 nothing could be checked, 130 interrupted (run it again to
    resume).
    """
    from .. import audit as auditing

    options = _options(select, extend_select, ignore, severities, rule_dirs, allow, redact,
                       profile, None, limits)
    try:
        forced = load_config(Path(config_path)) if config_path else None
        outcome = auditing.run(list(paths), Path(out), forced=forced, options=options,
                               jobs=jobs or _cores(), group_by=group_by,
                               manifest=Path(manifest) if manifest else None, progress=progress,
                               scheduler=scheduler)
    except auditing.AuditInterrupted as e:
        click.echo(f"sba-lint: interrupted after {e.done:,} files; {out}/audit.sqlite holds them. "
                   "Run the same command again to carry on.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except SbaLintError as e:
        _fail(str(e), e.exit_code)
        return
    _report(outcome, out)
    sys.exit(EXIT_OK if outcome.summary["checked"] else EXIT_UNREADABLE)


def _cores() -> int:
    """The cores this process may use (a container's or a scheduler's share, if set)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _report(outcome: Any, out: str) -> None:
    s, c = outcome.summary, outcome.counts
    for row in s["unreadable_files"]:
        click.echo(f"sba-lint: {row['path']}: {row['reason']}", err=True)
    done = c["checked"] + c["unreadable"]
    rate = f" ({done / outcome.seconds:,.1f} files/s, {outcome.words / outcome.seconds:,.0f} " \
           "words/s)" if outcome.seconds and done else ""
    again = f", {c['unchanged']:,} unchanged since they were recorded" if c["unchanged"] else ""
    click.echo(f"Audited {s['checked']:,} documents ({s['words']:,} words): {s['summary']['findings']:,} "
               f"findings, {s['per_1000_words']:,} per 1,000 words; {s['unreadable']:,} could not be "
               f"read, {s['skipped']:,} skipped.")
    click.echo(f"This run checked {done:,} files{rate}{again}.")
    if not s["checked"]:
        click.echo("sba-lint: nothing was checked: no document could be read", err=True)
    click.echo(f"Wrote {out}/report.html, summary.json, files.csv, findings.csv.")
