"""``sba-lint serve``: the HTTP service (:mod:`sba_lint.server`) on uvicorn."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import _fail, main

#: what the service needs beyond sba-lint itself (the ``serve`` extra)
NEEDS = ("fastapi", "uvicorn", "multipart", "prometheus_client")


def _missing() -> list[str]:
    import importlib.util

    return [m for m in NEEDS if importlib.util.find_spec(m) is None]


def _keys(path: str | None) -> frozenset[str]:
    if not path:
        return frozenset()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"{path}: cannot read the API keys ({getattr(e, 'strerror', None) or e})")
    keys = frozenset(s.strip() for s in lines if s.strip() and not s.strip().startswith("#"))
    if not keys:
        _fail(f"{path}: holds no API key (one a line)")
    return keys


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes, each with the rules and the parser loaded.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False),
              help="Configuration file for every request (rules, profile, limits).")
@click.option("--max-kb", default=10240, show_default=True, type=click.IntRange(1),
              help="Largest request body, in KiB (413 above it).")
@click.option("--timeout", "seconds", default=10, show_default=True, type=click.IntRange(1),
              help="Seconds one document may take (503 with Retry-After above it).")
@click.option("--api-key-file", type=click.Path(dir_okay=False),
              help="Require one of the keys in this file (one a line) on every API request.")
@click.option("--cors-origin", "cors", multiple=True,
              help="A web origin allowed to call the API from a browser (repeatable).")
def serve(host: str, port: int, workers: int, config_path: str | None, max_kb: int, seconds: int,
          api_key_file: str | None, cors: tuple[str, ...]) -> None:
    """Serve the checker over HTTP: the v1 API, a LanguageTool-compatible /v2/check, and a
    page for practitioners at /.

    \b
      sba-lint serve --port 8000
      curl -s localhost:8000/v1/check -H 'Content-Type: application/json' \\
           -d '{"text": "Mum failed to engage."}'
    """
    missing = _missing()
    if missing:
        _fail(f"sba-lint serve needs {', '.join(missing)}: install them with "
              "pip install 'sba-lint[serve]'")
    from ..config import load as load_config
    from ..errors import SbaLintError
    from ..server.service import ENV, Settings

    if config_path:
        try:
            load_config(Path(config_path))
        except SbaLintError as e:
            _fail(str(e), e.exit_code)
    settings = Settings(str(Path(config_path).resolve()) if config_path else None,
                        max_kb * 1024, seconds, _keys(api_key_file), cors)
    os.environ[ENV] = settings.to_env()
    _run(host, port, workers)


def _run(host: str, port: int, workers: int) -> None:
    import copy
    import shutil
    import tempfile

    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    log_config = copy.deepcopy(LOGGING_CONFIG)
    log_config["loggers"]["sba_lint.server"] = {"handlers": ["default"], "level": "INFO",
                                                "propagate": False}
    shared = None
    if workers > 1:  # one set of metrics over every worker (prometheus_client multiprocess)
        shared = tempfile.mkdtemp(prefix="sba-lint-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = shared
    try:
        uvicorn.run("sba_lint.server.app:create_app", factory=True, host=host, port=port,
                    workers=workers, access_log=False, log_config=log_config,
                    server_header=False, timeout_graceful_shutdown=5)
    except KeyboardInterrupt:
        pass
    finally:
        if shared:
            shutil.rmtree(shared, ignore_errors=True)
    sys.exit(0)
