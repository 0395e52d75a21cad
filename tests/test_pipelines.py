"""Hooks for pipelines: ``--format sarif`` validated against the SARIF 2.1.0 JSON schema,
``--format github`` workflow annotations, and the pre-commit hook run by pre-commit
itself on a temporary repository.

tests/data/sarif-schema-2.1.0.json is the SARIF 2.1.0 schema (OASIS; the copy published
as sarif-2.1.0-rtm.5.json in Microsoft's @microsoft/jest-sarif package, MIT licence),
bundled because the tests have no network.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
NOTE = "Mum failed to engage.\nWe will utilise the plan.\n"


def _check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sba_lint", "check", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def _sarif(cwd: Path, *args: str) -> dict:
    r = _check("--format", "sarif", *args, cwd=cwd)
    assert r.returncode in (1, 3), r.stderr
    return json.loads(r.stdout)


def test_sarif_is_valid_with_rules_help_and_stable_fingerprints(tmp_path, linter):
    import docx
    from jsonschema import Draft4Validator

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "visit.md").write_text(NOTE)
    (tmp_path / "notes" / "call.txt").write_text("Lola has contact on Fridays. Dad failed to engage.\n")
    d = docx.Document()
    d.add_paragraph("Mum failed to engage.")
    d.save(tmp_path / "notes" / "letter.docx")
    (tmp_path / "notes" / "broken.docx").write_bytes(b"not a zip")
    log = _sarif(tmp_path, "notes")
    Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
    run = log["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert {"blame.failed-to-engage", "plain.utilise", "jargon.contact"} <= set(rules)
    rule = rules["blame.failed-to-engage"]
    assert "docs/rules.md#blamefailed-to-engage" in rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "warning"
    assert "{match}" not in rule["fullDescription"]["text"]
    results = run["results"]
    for r in results:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"notes/visit.md", "notes/call.txt", "notes/letter.docx"}
    utilise = next(r for r in results if r["ruleId"] == "plain.utilise")
    assert utilise["level"] == "note" and utilise["fixes"][0]["artifactChanges"][0]["replacements"][0][
        "insertedContent"] == {"text": "use"}
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 1 and notes[0]["message"]["text"].startswith("notes/broken.docx: ")

    # text added above moves every finding, but not its fingerprint
    def prints(log: dict) -> list[str]:
        return sorted(r["partialFingerprints"]["sbaLintFinding/v1"] for r in log["runs"][0]["results"]
                      if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "notes/visit.md")

    before = prints(log)
    moved = "# Visit on Monday\n\nLola showed me her drawings.\n\n" + NOTE
    (tmp_path / "notes" / "visit.md").write_text(moved)
    assert prints(_sarif(tmp_path, "notes")) == before and len(set(before)) == 2
    from sba_lint.catalogue import entries
    from sba_lint.reporters import sarif

    result = linter.check_text("Zanzibar failed to engage.", path="visit.txt")
    redacted = sarif.document([result], redact=True, rules=entries(linter.all_rules))
    Draft4Validator(json.loads(SCHEMA.read_text())).validate(redacted)
    assert redacted["runs"][0]["results"] and "snippet" not in json.dumps(redacted)
    assert "Zanzibar" not in json.dumps(redacted) and '"failed to engage"' not in json.dumps(redacted)


def test_github_annotations(tmp_path):
    (tmp_path / "visit.md").write_text("Mum failed to engage, 100% of the time.\nWe will utilise the plan.\n")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    r = _check("--format", "github", "visit.md", "broken.docx", cwd=tmp_path)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("::warning file=visit.md,line=1,col=5,endLine=1,endColumn=21,"
                               "title=blame.failed-to-engage::")
    assert "%0ATry: " in lines[0] and "\n" not in lines[0]
    assert lines[1].startswith("::notice file=visit.md,line=2,col=9,endLine=2,endColumn=16,"
                               "title=plain.utilise::")
    assert lines[2].startswith("::error file=broken.docx,title=sba-lint::broken.docx: ")
    assert r.returncode == 3


def test_pre_commit_runs_the_hook_on_a_repository(tmp_path):
    """pre-commit itself, on a temporary repository holding a policy in Markdown, with this
    project's .pre-commit-hooks.yaml at its committed HEAD (pre-commit builds the hook's
    environment with pip, from the same package index as the project)."""
    git = shutil.which("git")
    pre_commit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if git is None or not (ROOT / ".git").exists() or not Path(pre_commit).exists():
        pytest.skip("needs git, pre-commit and this project as a git repository")
    head = subprocess.run([git, "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    shown = subprocess.run([git, "-C", str(ROOT), "show", f"{head}:.pre-commit-hooks.yaml"],
                           capture_output=True, text=True)
    if shown.returncode != 0:
        pytest.skip("the hooks file is not committed yet")
    repo = tmp_path / "policies"
    repo.mkdir()
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_NO_COMPILE": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(list(args), cwd=repo, env=env, capture_output=True, text=True, timeout=600)

    run(git, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head}\n  hooks:\n  - id: sba-lint\n")
    (repo / "visiting-policy.md").write_text("# Visits\n\nWhere a parent failed to engage, we "
                                             "close the case.\n")
    (repo / "letter.md").write_text("# Your visit\n\nWe look forward to seeing you on Tuesday.\n")
    (repo / "setup.py").write_text("print('failed to engage')\n")  # not a document: not checked
    run(git, "add", "-A")
    r = run(pre_commit, "run", "--all-files")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "visiting-policy.md:3:16  blame.failed-to-engage" in r.stdout
    assert "letter.md" not in r.stdout.split("Found")[0] and "setup.py" not in r.stdout
    (repo / "visiting-policy.md").write_text("# Visits\n\nWhere a parent has not taken up the support "
                                             "offered, we ask why.\n")
    run(git, "add", "-A")
    r = run(pre_commit, "run", "--all-files")
    assert r.returncode == 0, r.stdout + r.stderr
