"""``sba-lint serve``: the HTTP front end over the same workspace as the CLI.

- :mod:`.service`: settings, request options checked by the configuration schema, the
  Linters, errors mapped to HTTP statuses (no HTTP in it);
- :mod:`.app`: the FastAPI application, the v1 API, limits, keys, logging;
- :mod:`.languagetool`: LanguageTool's public HTTP API (``/v2``);
- :mod:`.page`, ``templates/``, ``static/``: the practitioner's page;
- :mod:`.metrics`: Prometheus counts and timings (never text).
"""
