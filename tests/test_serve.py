"""``sba-lint serve``: the real service in a subprocess, talked to over HTTP (v1, the
LanguageTool-compatible v2 with the real ``language_tool_python`` client, health,
metrics, OpenAPI), and FastAPI's own test client for limits, keys and CORS."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import zipfile

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

SECRET = "Zanzibarquintessence"  # a word that must never reach a log or the metrics
NOTE = f"Mum failed to engage with the {SECRET} programme. 😀 We will utilise the plan.\n"


def _docx(*paragraphs: str) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sba_lint", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_v1_check_is_the_cli_json_contract_for_one_file(served, tmp_path):
    (tmp_path / "note.txt").write_text(NOTE, encoding="utf-8")
    cli = json.loads(_cli("check", "--format", "json", "--profile", "letter", "note.txt",
                          cwd=tmp_path).stdout)
    status, answer = served.json("/v1/check", {"text": NOTE, "path": "note.txt", "profile": "letter"})
    assert status == 200
    assert answer == cli
    assert answer["version"] == 1 and answer["files"][0]["findings"]
    assert {"reading_ease", "grade", "strengths", "deficit"} <= set(answer["files"][0]["stats"])


def test_v1_options_use_the_configuration_schema(served):
    status, answer = served.json("/v1/check", {"text": "We will utilise the plan.",
                                               "select": ["plain"], "severity": {"plain": "error"}})
    assert status == 200
    found = [(f["rule"], f["severity"]) for f in answer["files"][0]["findings"]]
    assert found == [("plain.utilise", "error")]
    for bad, says in [({"colour": "red"}, "options: unknown key 'colour'"),
                      ({"select": "plain"}, "options: 'select': 'plain' is not of type 'array'"),
                      ({"profile": "novel"}, "no profile called 'novel'"),
                      ({"rules": ["/etc"]}, "option 'rules' is not accepted by the service")]:
        status, answer = served.json("/v1/check", {"text": "x", **bad})
        assert status == 422 and says in answer["error"] and "\n" not in answer["error"], answer


def test_word_upload_check_annotate_and_fix(served):
    data = _docx("Mum failed to engage.", "We will utilise the plan.")
    files = {"file": ("visit.docx", data, "application/octet-stream")}
    r = httpx.post(served.url + "v1/check", files=files, data={"options": '{"profile": "case-note"}'})
    assert r.status_code == 200
    found = r.json()["files"][0]
    assert found["path"] == "visit.docx"
    assert [f["rule"] for f in found["findings"]] == ["blame.failed-to-engage", "plain.utilise"]
    r = httpx.post(served.url + "v1/annotate", files=files)
    assert r.status_code == 200 and "visit.reviewed.docx" in r.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        assert "failed to engage" in z.read("word/comments.xml").decode()
    r = httpx.post(served.url + "v1/fix", files=files)
    assert r.status_code == 200 and "visit.fixed.docx" in r.headers["content-disposition"]
    assert r.headers["x-fixed"] == "1"
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        body = z.read("word/document.xml").decode()
    assert "<w:ins " in body and "<w:delText" in body


def test_bad_input_is_one_line_and_4xx_never_a_traceback(served, tmp_path):
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    cli_line = _cli("check", "broken.docx", cwd=tmp_path).stderr.strip()
    assert cli_line.startswith("sba-lint: broken.docx: ")
    url = served.url + "v1/check"
    cases = [
        (httpx.post(url, content=b"{nope", headers={"Content-Type": "application/json"}), 400),
        (httpx.post(url, content=b"[1]", headers={"Content-Type": "application/json"}), 400),
        (httpx.post(url, json={"format": "txt"}), 422),
        (httpx.post(url, json={"text": "x", "format": "pdf"}), 422),
        (httpx.post(url, content=b"text=x", headers={"Content-Type": "text/plain"}), 415),
        (httpx.post(url, content=b"--x\r\nbroken",
                    headers={"Content-Type": "multipart/form-data; boundary=x"}), 422),
        (httpx.post(url, files={"file": ("broken.docx", (tmp_path / "broken.docx").read_bytes())}), 422),
        (httpx.post(url, json={"text": "x" * (11 * 1024 * 1024)}), 413),
        (httpx.post(served.url + "v1/annotate", files={"file": ("n.txt", b"Mum failed to engage.")}), 422),
        (httpx.get(served.url + "v1/nothing"), 404),
        (httpx.get(url), 405),
    ]
    for r, status in cases:
        assert r.status_code == status, (r.request.url, r.text)
        message = r.json()["error"]
        assert message and "\n" not in message and "Traceback" not in r.text
    corrupt = cases[6][0].json()["error"]
    assert f"sba-lint: {corrupt}" == cli_line


def test_rules_health_metrics_openapi_and_no_text_in_logs(served):
    status, rules = served.json("/v1/rules")
    assert status == 200 and len(rules) > 300
    rule = next(r for r in rules if r["id"] == "blame.failed-to-engage")
    assert rule["message"] and rule["source"] and rule["docs"] == "docs/rules.md#blamefailed-to-engage"
    assert httpx.get(rule["help"]).text.startswith("blame.failed-to-engage")
    assert served.json("/healthz") == (200, {"status": "ok", "version": "0.1.0"})
    served.json("/v1/check", {"text": NOTE})
    httpx.post(served.url + "v2/check", data={"language": "en-GB", "text": NOTE})
    httpx.get(served.url + "v2/check", params={"language": "en-GB", "text": NOTE})
    metrics = httpx.get(served.url + "metrics").text
    assert 'sba_lint_requests_total{endpoint="/v1/check",status="200"}' in metrics
    assert 'sba_lint_findings_total{rule="blame.failed-to-engage"}' in metrics
    assert "sba_lint_request_seconds_bucket" in metrics
    schema = httpx.get(served.url + "openapi.json").json()
    assert {"/v1/check", "/v1/annotate", "/v1/fix", "/v1/rules", "/v2/check",
            "/v2/languages"} <= set(schema["paths"])
    assert "CheckReport" in json.dumps(schema)
    log = served.log.read_text()
    for leak in (SECRET, "Mum failed", "visit.docx", "broken.docx"):
        assert leak not in log and leak not in metrics
    assert "POST /v1/check 200" in log


def test_languagetool_python_client_uses_the_service(served, monkeypatch):
    """The real client, pointed at the service: it downloads nothing and connects only to
    127.0.0.1; offsets are UTF-16 units (the emoji counts two), which the client maps back
    to Python's characters."""
    import language_tool_python

    connected: list[object] = []
    real_connect = socket.socket.connect

    def connect(self, address):
        connected.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    tool = language_tool_python.LanguageTool("en-GB", remote_server=served.url.rstrip("/"))
    matches = tool.check(NOTE)
    got = {m.rule_id: m for m in matches}
    assert {"BLAME_FAILED_TO_ENGAGE", "PLAIN_UTILISE"} <= set(got)
    utilise = got["PLAIN_UTILISE"]
    assert NOTE[utilise.offset:utilise.offset + utilise.error_length] == "utilise"
    assert utilise.replacements == ["use"] and utilise.category == "PLAIN_ENGLISH"
    assert utilise.rule_issue_type == "style"
    assert language_tool_python.utils.correct(NOTE, [utilise]) == NOTE.replace("utilise", "use")
    tool.disabled_rules = {"PLAIN_UTILISE"}
    tool.disabled_categories = {"BLAMING"}
    assert {m.rule_id for m in tool.check(NOTE)}.isdisjoint({"PLAIN_UTILISE", "BLAME_FAILED_TO_ENGAGE"})
    tool.disabled_rules, tool.disabled_categories = set(), set()
    tool.enabled_rules, tool.enabled_rules_only = {"plain.utilise"}, True
    assert [m.rule_id for m in tool.check(NOTE)] == ["PLAIN_UTILISE"]
    tool.close()
    assert connected and {a[0] for a in connected} == {"127.0.0.1"}


def test_languagetool_annotated_data_and_errors(served):
    data = {"annotation": [{"markup": "<p>"}, {"text": "Mum "}, {"markup": "<b>"},
                           {"text": "failed to engage"}, {"markup": "</b>"},
                           {"markup": "<br/>", "interpretAs": "\n"},
                           {"text": "with 😀 the plan. We will utilise it."}]}
    whole = "".join(p.get("text", p.get("markup", "")) for p in data["annotation"])
    r = httpx.post(served.url + "v2/check", data={"language": "en-GB", "data": json.dumps(data)})
    assert r.status_code == 200, r.text
    units = whole.encode("utf-16-le")
    spans = {m["rule"]["id"]: units[2 * m["offset"]:2 * (m["offset"] + m["length"])].decode("utf-16-le")
             for m in r.json()["matches"]}
    assert spans["BLAME_FAILED_TO_ENGAGE"] == "failed to engage"
    assert spans["PLAIN_UTILISE"] == "utilise"
    languages = httpx.get(served.url + "v2/languages").json()
    assert {"name": "English (GB)", "code": "en", "longCode": "en-GB"} in languages
    for fields in ({"text": "x"}, {"language": "de-DE", "text": "x"}, {"language": "en-GB"},
                   {"language": "en-GB", "data": "{"},
                   {"language": "en-GB", "text": "x", "enabledOnly": "true"}):
        r = httpx.post(served.url + "v2/check", data=fields)
        assert r.status_code == 400 and "\n" not in r.text and "Traceback" not in r.text, (fields, r.text)


# -- in process, with FastAPI's test client: limits, keys, CORS ---------------------------
@pytest.fixture(scope="module")
def client_for():
    from fastapi.testclient import TestClient

    from sba_lint.server.app import create_app
    from sba_lint.server.service import Settings

    def make(**settings):
        return TestClient(create_app(Settings(warm=False, **settings)))

    return make


def test_a_check_over_the_time_budget_is_503_with_retry_after(client_for):
    client = client_for(seconds=1)
    r = client.post("/v1/check", json={"text": "Mum refused to sign the plan. Dad says he is fine.\n" * 4000})
    assert r.status_code == 503 and r.headers["retry-after"] == "30"
    assert "took more than 1 seconds" in r.json()["error"]
    r = client.post("/v2/check", data={"language": "en-GB", "text": "Mum refused to sign. " * 8000})
    assert r.status_code == 503 and r.headers["retry-after"]


def test_api_keys_and_cors(client_for, tmp_path):
    client = client_for(api_keys=frozenset({"k-123"}), cors_origins=("https://cms.example",))
    assert client.post("/v1/check", json={"text": "x"}).status_code == 401
    assert client.post("/v1/check", json={"text": "x"}, headers={"X-API-Key": "wrong"}).status_code == 401
    ok = client.post("/v1/check", json={"text": "x"}, headers={"Authorization": "Bearer k-123"})
    assert ok.status_code == 200
    assert client.post("/v2/check?apiKey=k-123", data={"language": "en", "text": "x"}).status_code == 200
    assert client.get("/").status_code == 200 and client.get("/healthz").status_code == 200
    pre = {"Origin": "https://cms.example", "Access-Control-Request-Method": "POST"}
    assert client.options("/v1/check", headers=pre).headers["access-control-allow-origin"] == "https://cms.example"
    other = client.options("/v1/check", headers={**pre, "Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


def test_serve_without_its_extra_says_what_to_install(tmp_path):
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text("import sys\nsys.modules['fastapi'] = None\n")
    import os

    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    r = subprocess.run([sys.executable, "-m", "sba_lint", "serve"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        "sba-lint: error: sba-lint serve needs fastapi: install them with pip install 'sba-lint[serve]'"]


def test_a_failure_inside_is_500_in_one_line_and_counted(monkeypatch, caplog):
    from sba_lint.server import metrics
    from sba_lint.server.service import Service

    def broken(self, *args, **kwargs):
        raise RuntimeError(f"boom {SECRET}")

    monkeypatch.setattr(Service, "check", broken)
    client = _answering_client()
    before = _count(metrics, "/v1/check", "500")
    with caplog.at_level("INFO", logger="sba_lint"):
        r = client.post("/v1/check", json={"text": f"Mum refused. {SECRET}"})
    assert r.status_code == 500
    assert r.json() == {"error": "sba-lint failed on this request (please report it)"}
    assert _count(metrics, "/v1/check", "500") == before + 1
    assert SECRET not in caplog.text and "RuntimeError" in caplog.text


def _answering_client():
    """The test client answering as the server does: a failure is a 500, not raised."""
    from starlette.testclient import TestClient

    from sba_lint.server.app import create_app
    from sba_lint.server.service import Settings

    return TestClient(create_app(Settings(warm=False)), raise_server_exceptions=False)


def _count(metrics, endpoint: str, status: str) -> float:
    text, _ = metrics.render()
    line = f'sba_lint_requests_total{{endpoint="{endpoint}",status="{status}"}} '
    found = [ln for ln in text.decode().splitlines() if ln.startswith(line)]
    return float(found[0].split()[-1]) if found else 0.0
