"""The HTTP application: the v1 API, the LanguageTool-compatible v2 API
(:mod:`.languagetool`), the practitioner's page, health and metrics.

    uvicorn --factory sba_lint.server.app:create_app     # what ``sba-lint serve`` runs

Privacy: no request's text, file name or query string is logged (one line a request:
method, endpoint, status, milliseconds); metrics hold counts and timings only; nothing is
kept after the response.  The service opens no outbound connection.
"""

from __future__ import annotations

import json
import logging
import time
from contextlib import asynccontextmanager
from pathlib import PurePath
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..files import display_name
from ..reporters import json as json_report
from . import metrics, models
from .service import Service as _Service
from .service import ServiceError, Settings, too_large

log = logging.getLogger("sba_lint.server")
HERE = PurePath(__file__).parent
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: endpoints that need an API key when the service has some (the page and its files,
#: health and the OpenAPI schema do not)
OPEN = ("/", "/healthz", "/openapi.json", "/docs", "/favicon.ico")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class BodyLimit:
    """Refuse a request body over ``max_bytes`` with 413 before any of it is parsed: by
    its declared length, and by the bytes that really come (read in chunks)."""

    def __init__(self, app: Any, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(body)
            more = message.get("more_body", False)
        data, given = b"".join(chunks), False

        async def replay() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": data, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        e = too_large(self.max_bytes)
        start = time.perf_counter()
        await error(e.status, e.message)(scope, receive, send)
        metrics.observe(_endpoint(scope), e.status, time.perf_counter() - start)


class Account:
    """Each request refused without a key where the service has API keys (the page, its
    files, health and the schema are open), and counted: its endpoint, status and time
    in the metrics and the log, never its text.  A plain ASGI layer: Starlette's
    ``@app.middleware`` passes every response through a stream of its own."""

    def __init__(self, app: Any, keys: frozenset[str]):
        self.app = app
        self.keys = keys

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # unless a response starts: the error is answered further out

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        path = scope["path"]
        try:
            if self.keys and not (path in OPEN or path.startswith("/static/")) \
                    and not _authorised(Request(scope), self.keys):
                await error(401, "an API key is needed: send it as 'Authorization: Bearer KEY' "
                                 "or 'X-API-Key: KEY'")(scope, receive, sending)
            else:
                await self.app(scope, receive, sending)
        except Exception:
            self._record(scope, status, start)  # a request cancelled (shut down) is not
            raise
        self._record(scope, status, start)

    @staticmethod
    def _record(scope: dict[str, Any], status: int, start: float) -> None:
        """The request in the metrics and the log: its time runs until the whole answer
        has been handed to the server."""
        took = time.perf_counter() - start
        endpoint = _endpoint(scope)
        metrics.observe(endpoint, status, took)
        log.info("%s %s %d %.1f ms", scope["method"], endpoint, status, took * 1000)


def _endpoint(scope: dict[str, Any]) -> str:
    """The route's template (``/v1/rules/{rule_id}``), never the path a client sent."""
    route = scope.get("route")
    return getattr(route, "path", None) or "other"


def create_app(settings: Settings | None = None) -> Any:
    """The ASGI application (wrapped in the body limit)."""
    settings = settings or Settings.from_env()
    service = _Service(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if settings.warm:
            await run_in_threadpool(service.warm)
        log.info("sba-lint %s ready", __version__)
        yield

    app = FastAPI(title="sba-lint", version=__version__, lifespan=lifespan,
                  description="Strengths-based language review for social-care case documents. "
                              "`/v1` is sba-lint's own API; `/v2/check` and `/v2/languages` "
                              "follow LanguageTool's public HTTP API.",
                  docs_url="/docs", redoc_url=None)
    app.state.service = service

    app.add_middleware(Account, keys=settings.api_keys)

    if settings.cors_origins:  # outside the key check: a browser's preflight carries no key
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "X-API-Key"])

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, e: ServiceError) -> Response:
        if request.url.path.startswith("/v2/"):
            return PlainTextResponse(f"Error: {e.message}", status_code=e.status, headers=e.headers)
        return error(e.status, e.message, e.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> Response:
        first = e.errors()[0] if e.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return error(422, f"{where}: {first.get('msg', 'invalid request')}" if where
                     else first.get("msg", "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, e: StarletteHTTPException) -> Response:
        return error(e.status_code, str(e.detail), getattr(e, "headers", None))

    @app.exception_handler(Exception)
    async def _bug(request: Request, e: Exception) -> Response:
        log.error("internal error (%s) on %s", type(e).__name__, _endpoint(request.scope))
        return error(500, "sba-lint failed on this request (please report it)")

    _v1(app, service)
    from . import languagetool, page

    languagetool.register(app, service)
    page.register(app, service, settings)
    app.mount("/static", StaticFiles(packages=[("sba_lint.server", "static")]), name="static")
    return BodyLimit(app, settings.max_bytes)


def _authorised(request: Request, keys: frozenset[str]) -> bool:
    import hmac

    given = request.headers.get("x-api-key") or ""
    auth = request.headers.get("authorization") or ""
    if auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not given and request.url.path.startswith("/v2/"):  # LanguageTool clients: ?apiKey=
        given = request.query_params.get("apiKey", "")
    return any(hmac.compare_digest(given.encode(), k.encode()) for k in keys)


# -- the request's document --------------------------------------------------------
async def document(request: Request, text_formats: tuple[str, ...] = ("txt", "md")
                   ) -> tuple[bytes, str, str | None, dict[str, Any], dict[str, Any]]:
    """The document in a request, JSON (``text``) or a multipart upload (``file``):
    its bytes, its name, its format, the configuration options, and the other fields."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise ServiceError(400, "the body is not valid JSON") from None
        if not isinstance(payload, dict):
            raise ServiceError(400, "the body must be a JSON object")
        text = payload.pop("text", None)
        if not isinstance(text, str):
            raise ServiceError(422, "'text' is required: the document's text, as a string")
        fmt = payload.pop("format", "txt")
        if fmt not in text_formats:
            raise ServiceError(422, f"'format' must be one of {', '.join(text_formats)}")
        name = payload.pop("path", "<text>")
        extra = {k: payload.pop(k) for k in ("with_text",) if k in payload}
        return text.encode("utf-8"), display_name(str(name)), fmt, payload, extra
    if kind == "multipart/form-data":
        try:
            form = await request.form(max_files=1, max_fields=16)
        except Exception:  # a damaged body: the parser's message may quote it
            raise ServiceError(400, "the body could not be read as multipart/form-data") from None
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ServiceError(422, "'file' is required: the document, as a file upload")
        data = await upload.read()
        name = PurePath(upload.filename or "document.docx").name or "document.docx"
        raw = form.get("options")
        try:
            options = json.loads(raw) if isinstance(raw, str) and raw.strip() else {}
        except ValueError:
            raise ServiceError(422, "'options' must be a JSON object of configuration keys") from None
        if not isinstance(options, dict):
            raise ServiceError(422, "'options' must be a JSON object of configuration keys")
        extra = {k: v for k, v in form.items() if k not in ("file", "options") and isinstance(v, str)}
        return data, display_name(name), None, options, extra
    raise ServiceError(415, "send JSON ({\"text\": ...}) or a multipart/form-data upload ('file')")


def _truthy(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true", "yes", "on"))


def _v1(app: FastAPI, service: _Service) -> None:
    body = {"requestBody": {"required": True, "content": {
        "application/json": {"schema": models.CheckRequest.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary", "description": ".docx, .txt or .md"},
            "options": {"type": "string", "description": "configuration keys, as a JSON object"},
            "with_text": {"type": "boolean"}}}}}}}

    @app.post("/v1/check", response_model=models.CheckReport, responses=models.ERRORS,
              openapi_extra=body, summary="Check one document")
    async def check(request: Request) -> Response:
        """The answer is exactly `sba-lint check --format json` for one file."""
        data, name, fmt, options, extra = await document(request)
        result, config = await run_in_threadpool(service.check, data, name, fmt, options)
        metrics.count(result)
        report = json_report.document([result.detached()], redact=config.redact)
        if _truthy(extra.get("with_text")) and not config.redact:
            report["files"][0]["text"] = result.document.text
        return JSONResponse(report)

    copy = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"},
            "options": {"type": "string", "description": "configuration keys, as a JSON object"},
            "summary": {"type": "boolean"}, "unsafe": {"type": "boolean"},
            "author": {"type": "string"}}}}}}}
    reviewed = {200: {"content": {DOCX: {}}, "description": "The reviewed copy"}, **models.ERRORS}

    async def _review(request: Request, action: str) -> Response:
        data, name, _, options, extra = await document(request, ())
        kw: dict[str, Any] = {"summary": _truthy(extra.get("summary")),
                              "author": (extra.get("author") or "sba-lint")[:100]}
        if action == "fix":
            kw["unsafe"] = _truthy(extra.get("unsafe"))
        done = await run_in_threadpool(service.review, action, data, name, options, **kw)
        metrics.count(done.result)
        stem = PurePath(name).stem or "document"
        suffix = PurePath(name).suffix or ".docx"
        tag = "reviewed" if action == "annotate" else "fixed"
        kind = DOCX if suffix.lower() == ".docx" else "text/plain; charset=utf-8"
        from urllib.parse import quote

        return Response(done.data, media_type=kind, headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(f'{stem}.{tag}{suffix}')}",
            "X-Findings": str(len(done.result.findings)), "X-Fixed": str(done.fixed),
            "X-Commented": str(done.commented)})

    @app.post("/v1/annotate", responses=reviewed, openapi_extra=copy, response_class=Response,
              summary="A copy of a Word document with a comment on each finding")
    async def annotate(request: Request) -> Response:
        return await _review(request, "annotate")

    @app.post("/v1/fix", responses=reviewed, openapi_extra=copy, response_class=Response,
              summary="A copy with each fix as a tracked change (Word) or applied (.txt, .md)")
    async def fix(request: Request) -> Response:
        return await _review(request, "fix")

    @app.get("/v1/rules", response_model=list[models.RuleEntry], summary="The rule catalogue")
    async def rules(request: Request) -> list[dict[str, Any]]:
        from ..catalogue import entries

        base = str(request.base_url)
        return [{**e, "help": f"{base}v1/rules/{e['id']}"} for e in entries(service.rules())]

    @app.get("/v1/rules/{rule_id}", response_class=PlainTextResponse, summary="One rule, described",
             responses={404: {"model": models.Error}})
    async def rule(rule_id: str) -> Response:
        from ..rules.describe import describe

        found = [r for r in service.rules() if r.id == rule_id]
        if not found:
            raise ServiceError(404, "no such rule (GET /v1/rules lists them)")
        return PlainTextResponse(describe(found[0]))

    @app.get("/healthz", summary="Whether the service is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", response_class=PlainTextResponse, summary="Prometheus metrics")
    async def prometheus() -> Response:
        data, kind = metrics.render()
        return Response(data, media_type=kind)
