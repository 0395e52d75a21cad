"""The request and response models, for the OpenAPI schema at ``/openapi.json``.

The answers themselves are made by the reporters (``/v1/check`` is exactly
``sba-lint check --format json`` for one file); these models describe them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class CheckRequest(BaseModel):
    """``POST /v1/check`` as JSON.  Any key of the configuration file that chooses rules
    (``profile``, ``select``, ``extend-select``, ``ignore``, ``severity``, ``allow``,
    ``fail-on``, ``redact``) may be given beside ``text``, checked by the same schema."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    text: str = Field(description="The document's text.")
    format: Literal["txt", "md"] = Field("txt", description="How to read the text.")
    path: str = Field("<text>", description="The name shown in the answer's `path`.")
    with_text: bool = Field(False, description="Also answer the text the rules saw "
                                               "(`files[0].text`), for highlighting.")
    profile: str | None = Field(None, description="case-note, assessment, court-report, letter")
    select: list[str] | None = None
    ignore: list[str] | None = None
    allow: list[str] | None = None
    severity: dict[str, Literal["error", "warning", "info"]] | None = None


class Fix(BaseModel):
    applicability: Literal["safe", "unsafe"]
    edits: list[dict[str, Any]]


class Finding(BaseModel):
    model_config = ConfigDict(extra="allow")
    rule: str
    category: str
    severity: Literal["error", "warning", "info"]
    message: str
    match: str | None
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    suggestions: list[str]
    advice: str | None
    fix: Fix | None
    origin: dict[str, Any] | None


class FileReport(BaseModel):
    model_config = ConfigDict(extra="allow")
    path: str
    words: int
    error: str | None
    findings: list[Finding]
    stats: dict[str, Any] = Field(description="words, sentences, reading_ease, grade, "
                                              "strengths, deficit")


class Summary(BaseModel):
    files: int
    findings: int
    errors: int


class CheckReport(BaseModel):
    """The JSON contract of ``sba-lint check --format json`` (``version`` 1)."""

    version: int
    files: list[FileReport]
    summary: Summary


class Error(BaseModel):
    error: str = Field(description="One line saying what was wrong with the request.")


class RuleEntry(BaseModel):
    id: str
    pack: str
    category: str
    severity: str
    enabled: bool
    message: str
    advice: str | None
    suggestions: list[str]
    source: str
    docs: str = Field(description="The rule's section of the project's docs/rules.md.")
    help: str = Field(description="The rule's documentation from this service.")


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Error, "description": "The body is not what the content type says."},
    401: {"model": Error, "description": "An API key is needed (--api-key-file)."},
    413: {"model": Error, "description": "The request or document is over a limit."},
    415: {"model": Error, "description": "Neither JSON nor a multipart upload."},
    422: {"model": Error, "description": "A bad option, or a document that cannot be read."},
    503: {"model": Error, "description": "The check took longer than the time budget; "
                                          "try again after Retry-After seconds."},
}
