"""Prometheus metrics: counts and timings only, never a document's words or name.

With several worker processes, ``sba-lint serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at
a private temporary folder before the workers start, and ``/metrics`` adds up every
worker's figures (prometheus_client's multiprocess mode).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

REQUESTS = Counter("sba_lint_requests_total", "HTTP requests answered, by endpoint and status",
                   ["endpoint", "status"])
LATENCY = Histogram("sba_lint_request_seconds", "Time to answer a request, by endpoint",
                    ["endpoint"], buckets=(0.005, 0.01, 0.015, 0.025, 0.04, 0.06, 0.1, 0.15, 0.25,
                                           0.5, 1, 2.5, 5, 10))
FINDINGS = Counter("sba_lint_findings_total", "Findings reported, by rule", ["rule"])
WORDS = Counter("sba_lint_words_total", "Words checked")


def observe(endpoint: str, status: int, seconds: float) -> None:
    REQUESTS.labels(endpoint, str(status)).inc()
    LATENCY.labels(endpoint).observe(seconds)


def count(result: object) -> None:
    """A checked document's findings by rule, and its words."""
    for f in getattr(result, "findings", ()):
        FINDINGS.labels(f.rule).inc()
    WORDS.inc(getattr(result, "words", 0))


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
