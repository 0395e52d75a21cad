"""sba-lint never opens a network connection, readability statistics included."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_check_with_statistics_makes_no_network_connection():
    script = textwrap.dedent("""
        import socket
        attempts = []
        def refuse(*args, **kwargs):
            attempts.append(args)
            raise OSError("network disabled by test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from sba_lint.linter import Linter
        r = Linter().check_text(
            "Mum failed to engage. Lola has contact with Dad. Extraordinary multisyllabic vocabulary."
        )
        assert r.findings, "expected findings"
        assert r.stats["reading_ease"] and r.stats["grade"], r.stats
        assert attempts == [], attempts
        print("ok", r.stats)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok")
    assert "nltk_data" not in proc.stderr


def test_readability_is_plausible():
    from sba_lint.analysis import readability

    easy = readability.scores("The cat sat on the mat. The dog ran to the park.")
    hard = readability.scores(
        "Notwithstanding considerable organisational complexity, multidisciplinary deliberations "
        "necessitated comprehensive reconsideration of therapeutic interventions."
    )
    assert easy["reading_ease"] > 90 > hard["reading_ease"]
    assert easy["grade"] < 3 < hard["grade"]
