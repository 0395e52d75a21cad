"""``POST /v2/check`` and ``GET /v2/languages``, following LanguageTool's public HTTP API,
so LanguageTool's clients (editor plugins, browser add-ons with a custom server, the
Python client ``language_tool_python``) use sba-lint as their server.

- The text comes as ``text``, or as ``data``: LanguageTool's annotated text,
  ``{"annotation": [{"text": "Mum "}, {"markup": "<b>"}, {"text": "failed to engage"},
  {"markup": "<br/>", "interpretAs": "\\n"}]}``: only the ``text`` parts (and
  ``interpretAs``) are checked; offsets are into the whole, markup included.
- Offsets and lengths count UTF-16 code units, as LanguageTool (Java) and its clients
  do: a character outside the Basic Multilingual Plane (most emoji) counts two.
- Rule ids: ``blame.failed-to-engage`` is ``BLAME_FAILED_TO_ENGAGE`` (upper case, every
  run of other characters an underscore); either spelling is accepted in
  ``enabledRules`` and ``disabledRules``.  Categories: sba-lint's category in upper case
  (``BLAMING``, ``PLAIN_ENGLISH``, ``PERSON_FIRST``...), the same in ``enabledCategories``
  and ``disabledCategories``.  Ids sba-lint does not have (LanguageTool's own, such as
  ``WHITESPACE_RULE``) are ignored, as LanguageTool ignores unknown ids.
- ``enabledOnly=true`` checks only the enabled rules and categories; ``profile`` (an
  sba-lint extension) chooses the document type.  Other LanguageTool fields
  (``motherTongue``, ``level``, ``preferredVariants``, ``username``) are accepted and
  have no effect.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .. import __version__
from . import metrics
from .service import Service, ServiceError

LANGUAGES = [
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (Australian)", "code": "en", "longCode": "en-AU"},
    {"name": "English (Canadian)", "code": "en", "longCode": "en-CA"},
    {"name": "English (New Zealand)", "code": "en", "longCode": "en-NZ"},
    {"name": "English (South African)", "code": "en", "longCode": "en-ZA"},
]
_NAMES = {lang["longCode"].lower(): lang["name"] for lang in LANGUAGES}
#: LanguageTool's issue types (from the Localization Quality Issue types) for sba-lint's
#: categories; any other category is "style"
ISSUE_TYPES = {"jargon": "terminology", "acronym": "terminology", "legal-terms": "terminology",
               "recording": "register", "plain-english": "style", "readability": "style"}
CONTEXT = 40  # characters of context either side of a match, as LanguageTool gives


def lt_id(name: str) -> str:
    """``blame.failed-to-engage`` -> ``BLAME_FAILED_TO_ENGAGE``; ``plain-english`` ->
    ``PLAIN_ENGLISH``."""
    return re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")


def category_name(category: str) -> str:
    return category.replace("-", " ").capitalize()


class Ids:
    """The two spellings of the rule and category ids, both ways."""

    def __init__(self, rules: list[Any]):
        self.rules = {lt_id(r.id): r.id for r in rules} | {r.id: r.id for r in rules}
        cats = {r.category for r in rules}
        self.categories = {lt_id(c): c for c in cats} | {c: c for c in cats}

    def rule_ids(self, value: str) -> list[str]:
        return [self.rules[v] for v in _list(value) if v in self.rules]

    def category_ids(self, value: str) -> list[str]:
        return [self.categories[v] for v in _list(value) if v in self.categories]


def _list(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _true(value: str | None) -> bool:
    return (value or "").strip().lower() == "true"


def options(params: dict[str, str], ids: Ids) -> dict[str, Any]:
    """LanguageTool's rule fields as sba-lint configuration options."""
    enabled = ids.rule_ids(params.get("enabledRules", "")) + ids.category_ids(
        params.get("enabledCategories", ""))
    disabled = ids.rule_ids(params.get("disabledRules", "")) + ids.category_ids(
        params.get("disabledCategories", ""))
    out: dict[str, Any] = {}
    if _true(params.get("enabledOnly")):
        if not enabled:
            raise ServiceError(400, "enabledOnly=true needs enabledRules or enabledCategories "
                                    "naming rules sba-lint has (GET /v1/rules lists them)")
        out["select"] = enabled
    elif enabled:
        out["extend-select"] = enabled
    if disabled:
        out["ignore"] = disabled
    if params.get("profile"):
        out["profile"] = params["profile"]
    return out


def annotated(data: str) -> tuple[str, str, list[int]]:
    """LanguageTool's annotated text: the whole (markup included), the text to check
    (text parts and ``interpretAs``), and for each character of the latter its offset in
    the whole (``interpretAs`` characters take the offset of their markup)."""
    try:
        parts = json.loads(data)["annotation"]
        if not isinstance(parts, list):
            raise TypeError
    except (ValueError, TypeError, KeyError):
        raise ServiceError(400, "'data' must be JSON: {\"annotation\": [{\"text\": ...}, "
                                "{\"markup\": ..., \"interpretAs\": ...}]}") from None
    whole: list[str] = []
    plain: list[str] = []
    where: list[int] = []
    at = 0
    for part in parts:
        if not isinstance(part, dict):
            raise ServiceError(400, "each item of 'annotation' must be an object")
        text, markup = part.get("text"), part.get("markup")
        if isinstance(text, str):
            whole.append(text)
            plain.append(text)
            where.extend(range(at, at + len(text)))
            at += len(text)
        elif isinstance(markup, str):
            shown = part.get("interpretAs") or ""
            if not isinstance(shown, str):
                raise ServiceError(400, "'interpretAs' must be a string")
            whole.append(markup)
            plain.append(shown)
            where.extend([at] * len(shown))
            at += len(markup)
        else:
            raise ServiceError(400, "each item of 'annotation' needs 'text' or 'markup'")
    where.append(at)  # the end
    return "".join(whole), "".join(plain), where


class Utf16:
    """Offsets in a string counted in UTF-16 code units."""

    def __init__(self, text: str):
        self.astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]

    def __call__(self, i: int) -> int:
        return i + bisect_left(self.astral, i)


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    ends = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    right = min(ends) + 1 if ends else len(text)
    return text[left:right].strip()


def matches(result: Any, whole: str, plain: str, where: list[int], base: str) -> list[dict[str, Any]]:
    u16, p16 = Utf16(whole), Utf16(plain)
    out = []
    for f in result.findings:
        start = where[f.start]
        end = where[f.end - 1] + 1 if f.end > f.start else start
        ctx_start, ctx_end = max(0, f.start - CONTEXT), min(len(plain), f.end + CONTEXT)
        message = f.message if not f.advice else f"{f.message} {f.advice}"
        out.append({
            "message": message,
            "shortMessage": category_name(f.category),
            "replacements": [{"value": s} for s in f.suggestions],
            "offset": u16(start),
            "length": u16(end) - u16(start),
            "context": {"text": plain[ctx_start:ctx_end].replace("\n", " "),
                        "offset": p16(f.start) - p16(ctx_start),
                        "length": p16(f.end) - p16(f.start)},
            "sentence": _sentence(plain, f.start, f.end),
            "type": {"typeName": "Hint" if str(f.severity) == "info" else "Other"},
            "rule": {
                "id": lt_id(f.rule),
                "description": f"{category_name(f.category)}: {f.rule}",
                "issueType": ISSUE_TYPES.get(f.category, "style"),
                "urls": [{"value": f"{base}v1/rules/{f.rule}"}],
                "category": {"id": lt_id(f.category), "name": category_name(f.category)},
                "isPremium": False,
            },
            "ignoreForIncompleteSentence": False,
            "contextForSureMatch": 0,
        })
    return out


def register(app: FastAPI, service: Service) -> None:
    ids_cache: list[Ids] = []

    def ids() -> Ids:
        if not ids_cache:
            ids_cache.append(Ids(service.rules()))
        return ids_cache[0]

    @app.get("/v2/languages", summary="LanguageTool: the languages supported (English)",
             tags=["LanguageTool-compatible"])
    async def languages() -> list[dict[str, str]]:
        return LANGUAGES

    form_fields = {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "properties": {k: {"type": "string"} for k in (
            "text", "data", "language", "enabledRules", "disabledRules", "enabledCategories",
            "disabledCategories", "enabledOnly", "profile")}}}}}}

    @app.api_route("/v2/check", methods=["GET", "POST"], openapi_extra=form_fields,
                   summary="LanguageTool: check a text", tags=["LanguageTool-compatible"])
    async def check(request: Request) -> JSONResponse:
        params: dict[str, str] = dict(request.query_params)
        if request.method == "POST":
            try:
                form = await request.form(max_files=0, max_fields=64)
            except Exception:
                raise ServiceError(400, "the body could not be read as form fields") from None
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
        language = params.get("language", "").strip()
        if not language:
            raise ServiceError(400, "Missing 'language' parameter, e.g. language=en-GB")
        if language.lower() != "auto" and language.lower() not in _NAMES:
            raise ServiceError(400, f"'{language[:20]}' is not a supported language: sba-lint "
                                    "checks English (en-GB; GET /v2/languages lists the codes)")
        if "data" in params:
            whole, plain, where = annotated(params["data"])
        elif "text" in params:
            whole = plain = params["text"]
            where = list(range(len(plain) + 1))
        else:
            raise ServiceError(400, "Missing 'text' or 'data' parameter")
        result, _ = await run_in_threadpool(service.check, plain.encode("utf-8"), "<text>", "txt",
                                            options(params, ids()))
        metrics.count(result)
        code = "en-GB" if language.lower() == "auto" else language
        name = _NAMES.get(code.lower(), "English (GB)")
        return JSONResponse({
            "software": {"name": "sba-lint", "version": __version__, "buildDate": "",
                         "apiVersion": 1, "premium": False, "status": ""},
            "warnings": {"incompleteResults": False},
            "language": {"name": name, "code": code,
                         "detectedLanguage": {"name": name, "code": code, "confidence": 1.0}},
            "matches": matches(result, whole, plain, where, str(request.base_url)),
        })
