"""What the HTTP endpoints share, with no HTTP in it: the service's settings, the request
options checked against the configuration file's schema, one :class:`Workspace` (a
bounded cache of Linters, one per rule setting), and the errors mapped to statuses.

Checks run one at a time in each worker process (the work is CPU-bound Python, so
threads would only take turns); more worker processes (``--workers N``) serve clients
side by side.  Nothing about a document is kept after its response.
"""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import Config
from ..config import load as load_config
from ..config import parse as parse_config
from ..errors import ConfigError, InputError, SbaLintError
from ..findings import FileResult
from ..workspace import Workspace

MIB = 1024 * 1024
#: the environment variable that carries the settings to uvicorn's worker processes
ENV = "SBA_LINT_SERVE_SETTINGS"
#: configuration keys a request may not set: they name folders on the server or raise
#: its limits (the service's own --config file sets them)
SERVER_ONLY = ("rules", "limits", "exclude")
#: a sentence that needs the parser: checked at start-up so the first request is fast
WARM_TEXT = "Mum refused to sign the plan. Lola has contact with Dad on Fridays."


@dataclass(frozen=True)
class Settings:
    config_path: str | None = None
    max_bytes: int = 10 * MIB
    seconds: int = 10
    api_keys: frozenset[str] = frozenset()
    cors_origins: tuple[str, ...] = ()
    warm: bool = True

    def to_env(self) -> str:
        return json.dumps({"config_path": self.config_path, "max_bytes": self.max_bytes,
                           "seconds": self.seconds, "api_keys": sorted(self.api_keys),
                           "cors_origins": list(self.cors_origins), "warm": self.warm})

    @classmethod
    def from_env(cls) -> Settings:
        raw = os.environ.get(ENV)
        if not raw:
            return cls()
        data = json.loads(raw)
        return cls(data["config_path"], data["max_bytes"], data["seconds"],
                   frozenset(data["api_keys"]), tuple(data["cors_origins"]), data["warm"])


class ServiceError(Exception):
    """A request the service cannot answer: an HTTP status and one line saying why."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def too_large(max_bytes: int) -> ServiceError:
    return ServiceError(413, f"the request is larger than {max_bytes // 1024} KiB, the service's "
                        "limit (--max-kb)")


_LIMIT = re.compile(r"\(the ([a-z-]+) limit;")


def _status_for(error: str) -> ServiceError:
    """The status for a document that could not be checked: over the time budget 503,
    over a size limit 413, anything else (corrupt, encrypted, not a document) 422.  The
    limit is named in the message by :func:`sba_lint.limits.over`."""
    limit = _LIMIT.search(error)
    if limit and limit.group(1) == "seconds":
        return ServiceError(503, error, {"Retry-After": "30"})
    if limit:
        return ServiceError(413, error)
    return ServiceError(422, error)


@dataclass
class Service:
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        path = self.settings.config_path
        base = load_config(Path(path)) if path else Config()
        #: the service's time budget for one document, laid over the configuration's
        self.base = base.merged(limits=(("seconds", self.settings.seconds),))
        self.workspace = Workspace(self.base, max_linters=16)
        self.lock = threading.Lock()

    # -- options ---------------------------------------------------------------------
    def config(self, options: dict[str, Any] | None) -> Config:
        """The configuration for a request's options (the configuration file's keys,
        checked by its schema), laid over the service's."""
        if not options:
            return self.base
        if not isinstance(options, dict):
            raise ServiceError(422, "options must be an object of configuration keys")
        for key in SERVER_ONLY:
            if key in options:
                raise ServiceError(422, f"option '{key}' is not accepted by the service; set it in "
                                        "the service's configuration file (--config)")
        try:
            given = parse_config(options, Path("request"))
        except ConfigError as e:
            raise ServiceError(422, f"options: {e.reason}") from None
        names = {"extend-select": "extend_select", "fail-on": "fail_on"}
        return self.base.merged(**{names.get(k, k): getattr(given, names.get(k, k)) for k in options})

    def linter(self, config: Config) -> Any:
        try:
            return self.workspace.linter(config)
        except SbaLintError as e:  # an unknown profile
            raise ServiceError(422, f"options: {e}") from None

    # -- checking --------------------------------------------------------------------
    def check(self, data: bytes, name: str, format: str | None,
              options: dict[str, Any] | None = None) -> tuple[FileResult, Config]:
        """A document's detached result (text kept aside only when asked), or a
        ServiceError for a document that cannot be checked."""
        config = self.config(options)
        with self.lock:
            linter = self.linter(config)
            result = linter.check_bytes(data, path=name, format=format)
        if result.error:
            raise _status_for(result.shown_error(config.redact) or result.error)
        return result, config

    def review(self, action: str, data: bytes, name: str, options: dict[str, Any] | None,
               **kw: Any) -> Any:
        """``annotate`` or ``fix`` a Word document: the :class:`~sba_lint.review.Reviewed`."""
        from .. import review

        config = self.config(options)
        with self.lock:
            linter = self.linter(config)
            try:
                return getattr(review, action)(linter, data, name, **kw)
            except InputError as e:
                raise _status_for(e.redacted() if config.redact else str(e)) from None
            except SbaLintError as e:
                raise ServiceError(422, str(e)) from None

    def warm(self) -> None:
        """Load the rules of every bundled document type and the parser now, so the first
        request does not wait for them."""
        from ..rules.profiles import available

        with self.lock:
            self.workspace.linter(self.base).check_text(WARM_TEXT)
            for profile in available(self.base.rules):
                self.workspace.linter(self.base.merged(profile=profile.name))

    def rules(self) -> list[Any]:
        return self.workspace.linter(self.base).all_rules
