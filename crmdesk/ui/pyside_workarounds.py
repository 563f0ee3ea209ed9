"""Work-arounds for measured defects of the pinned PySide6, applied before any Qt call.

PySide6 6.12.0 (the cp310-abi3 wheel) returns None from void methods and from pointer getters
that yield nullptr (`setText`, `update`, `processEvents`, `parent()` …) without taking a
reference to it. On CPython 3.12+ None is immortal and nothing happens; on 3.11 every such call
takes one reference away, and after a few thousand calls the interpreter aborts with
"Fatal Python error: none_dealloc". Measured here: -1000 references per 1000 `setText` calls.

CPython 3.11 already gives its static singletons (small ints, the empty tuple and string) a
reference count near 10**9 so they are never freed; this does the same for None, True and
False, which 3.11 does not. It changes nothing on 3.12+ or on other interpreters.
"""

from __future__ import annotations

import ctypes
import sys

# Far beyond any number of Qt calls a session makes, far below overflow of Py_ssize_t.
_FLOOR = 1 << 40 if sys.maxsize > 2**32 else 1 << 29


def needed() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def keep_singletons_alive() -> None:
    """Raise the reference counts of None, True and False out of reach (once; idempotent)."""
    if not needed():
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every PyObject in a release build of CPython.
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < _FLOOR:
            count.value += _FLOOR
