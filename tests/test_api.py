"""The Python API used by document systems, the HTTP service and batch runs."""

from __future__ import annotations

from sba_lint import Linter as LazyLinter
from sba_lint.analysis import nlp
from sba_lint.findings import Severity


def test_lazy_import_and_same_findings_as_cli_model(linter):
    assert LazyLinter is type(linter)
    r = linter.check_text("Mum failed to engage. The placement ended.", path="note.txt")
    assert r.path == "note.txt" and r.error is None
    assert [f.rule for f in r.findings] == ["blame.failed-to-engage", "jargon.placement-ended"]
    f = r.findings[0]
    assert (f.line, f.column, f.severity) == (1, 5, Severity.WARNING)
    assert r.document.text[f.start:f.end] == f.match


def test_bad_input_is_a_result_not_an_exception(linter, tmp_path):
    r = linter.check_bytes(b"\xff\xfe\x00", path="x.docx")
    assert r.error and r.error.startswith("x.docx: ") and r.findings == []
    r = linter.check_file(tmp_path / "nope.txt")
    assert r.error.endswith("no such file")


def test_text_with_no_candidates_never_loads_spacy():
    import subprocess
    import sys

    code = ("from sba_lint.linter import Linter; from sba_lint.analysis import nlp;"
            "r = Linter().check_text('Tom loves cooking and made dinner.');"
            "assert not r.findings; print(nlp.is_loaded())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr


def test_pipeline_is_loaded_once_and_shared(linter):
    linter.check_text("Lola has contact with Mum.")
    first = nlp.load()
    Linter_ = type(linter)
    Linter_().check_text("Dad refused to sign.")
    assert nlp.load() is first


def test_fails_threshold(linter):
    r = linter.check_text("We will utilise the plan.")
    assert not linter.fails(r)  # info only, default fail-on warning
    assert linter.fails(linter.check_text("Mum failed to engage."))


def test_config_and_reviewed_copies_on_bytes(tmp_path):
    """``from sba_lint import Linter, Config``; annotate and fix take bytes and give the
    reviewed document's bytes, with the CLI's checks (a corrupt .docx is one line)."""
    import io

    import docx
    import pytest

    from sba_lint import Config, InputError
    from sba_lint import Linter as L

    d = docx.Document()
    d.add_paragraph("Mum failed to engage. We will utilise the plan.")
    buf = io.BytesIO()
    d.save(buf)
    linter = L(Config(profile="case-note"))
    fixed = linter.fix(buf.getvalue())
    text = linter.check_bytes(fixed, path="f.docx").document.text
    assert text.strip() == "Mum failed to engage. We will use the plan."
    annotated = linter.annotate(buf.getvalue())
    rules = [f.rule for f in linter.check_bytes(annotated, path="a.docx").findings]
    assert annotated[:2] == b"PK" and rules[:1] == ["blame.failed-to-engage"]
    assert linter.fix(b"We will utilise the plan.\r\n", format="txt") == b"We will use the plan.\r\n"
    with pytest.raises(InputError, match=r"^draft.docx: is not a valid \.docx"):
        linter.annotate(b"not a zip", path="draft.docx")
    with pytest.raises(InputError, match="needs a .docx"):
        linter.annotate(b"text", path="note.txt")
