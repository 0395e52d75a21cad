"""The practitioner's page at ``/``: paste a draft or drop a Word document, choose the
document type, see the findings highlighted with their advice, accept a suggestion with
one click, and download the reviewed Word copy.  One HTML page, one style sheet and one
script, all served from the package: nothing is fetched from anywhere else.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from .service import Service, Settings

DEFAULT_PROFILE = "case-note"


def register(app: FastAPI, service: Service, settings: Settings) -> None:
    env = Environment(loader=PackageLoader("sba_lint.server", "templates"),
                      autoescape=select_autoescape(default=True), trim_blocks=True,
                      lstrip_blocks=True)

    def render() -> str:
        from ..rules.profiles import available

        profiles = sorted(available(service.base.rules), key=lambda p: p.name != DEFAULT_PROFILE)
        return env.get_template("index.html.j2").render(
            profiles=profiles, default=DEFAULT_PROFILE, keys=bool(settings.api_keys),
            version=__version__)

    page: list[str] = []

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> Any:
        if not page:
            page.append(render())
        return HTMLResponse(page[0], headers={
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})
