"""The pinned PySide6 keeps Python's reference counts straight.

PySide6 6.12.0 takes one reference to None away on every Qt call that returns nothing; on
CPython 3.11, where None is not immortal, a session then aborts with "none_dealloc". That is
why PySide6 is pinned to 6.11.3; this fails on any upgrade that brings the defect back.
"""

from __future__ import annotations

import subprocess
import sys

CALLS = """
import sys
from PySide6.QtCore import QObject
target = QObject()
before = sys.getrefcount(None)
for _ in range(20_000):
    target.setObjectName("x")
print(sys.getrefcount(None) - before)
"""


def test_qt_calls_returning_nothing_keep_none_alive() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CALLS], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert abs(int(done.stdout)) < 100
