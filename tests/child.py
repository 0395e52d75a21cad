"""A snippet of Python run in a fresh interpreter, as sba-lint starts: what a test of
imports or start-up must see, rather than what the test suite has imported by now."""

from __future__ import annotations

import subprocess
import sys


def run_python(script: str, *args: str, timeout: float = 180) -> str:
    """``python -c script args...``; its standard output.  A child that fails fails the
    test, with its standard error."""
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout
