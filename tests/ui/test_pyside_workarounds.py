"""The pinned PySide6's reference bug on CPython 3.11, and crmdesk.ui's guard against it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crmdesk.ui.pyside_workarounds import needed

pytestmark = pytest.mark.skipif(not needed(), reason="None is immortal on this interpreter")

CALLS = """
import sys
from PySide6.QtCore import QObject
target = QObject()
before = sys.getrefcount(None)
for _ in range({n}):
    target.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )


def test_the_pinned_pyside_still_drops_references_to_none():
    """When this fails, PySide6 is fixed and crmdesk.ui.pyside_workarounds can go."""
    done = python(CALLS.format(n=200))
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) <= -190


def test_with_the_guard_many_qt_calls_do_not_abort_the_interpreter():
    done = python("import crmdesk.ui\n" + CALLS.format(n=20_000))
    assert done.returncode == 0, done.stderr
    assert sys.getrefcount(None) > 2**39  # this process has the guard too
