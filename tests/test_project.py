"""The project's own promises: data files ship with the package, and ruff is clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import sba_lint
from sba_lint.resources import rules_dir, wordlists_dir

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_rules_and_wordlists_are_found():
    assert {"blame.yml", "jargon.yml", "acronyms.yml"} <= {p.name for p in rules_dir().iterdir()}
    assert (wordlists_dir() / "care-acronyms.tsv").is_file()
    package = Path(sba_lint.__file__).resolve().parent
    if "site-packages" in str(package):  # a plain `pip install .`: the data is inside the package
        assert rules_dir().is_relative_to(package) and wordlists_dir().is_relative_to(package)


def test_every_source_package_is_listed_for_installation():
    text = (ROOT / "pyproject.toml").read_text()
    for init in (ROOT / "sba_lint").rglob("__init__.py"):
        name = ".".join(init.parent.relative_to(ROOT).parts)
        assert f'"{name}"' in text, f"{name} missing from [tool.setuptools] packages"


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff not installed")
def test_ruff_is_clean():
    proc = subprocess.run(["ruff", "check", str(ROOT)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
