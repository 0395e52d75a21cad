from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the docx_builder helper

from sba_lint.linter import Linter  # noqa: E402


@pytest.fixture(scope="session")
def linter() -> Linter:
    """The default linter; building it once keeps the suite fast."""
    return Linter()


@pytest.fixture
def find(linter):
    """Findings for a text: ``find("Mum failed to engage.")`` -> list of (rule, match)."""

    def _find(text: str, fmt: str = "txt"):
        result = linter.check_text(text, format=fmt)
        assert result.error is None, result.error
        return [(f.rule, f.match) for f in result.findings]

    return _find


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """One real ``sba-lint serve`` for the session's service, client and page tests."""
    pytest.importorskip("fastapi")
    from serving import serve

    with serve(tmp_path_factory.mktemp("serve")) as s:
        yield s
