"""Test-wide settings: offscreen Qt, a private CRMDESK_HOME, and no real keyring (the null
backend, or the in-memory one from the `memory_keyring` fixture)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from memory_keyring import MemoryKeyring

# Must be set before anything creates a QApplication or imports qasync.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """An in-memory keyring installed as keyring's backend for this test, then taken away."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test gets its own CRMDESK_HOME so nothing touches the developer's disk."""
    home = tmp_path_factory.mktemp("crmdesk-home")
    old = os.environ.get("CRMDESK_HOME")
    os.environ["CRMDESK_HOME"] = str(home)
    try:
        yield home
    finally:
        if old is None:
            os.environ.pop("CRMDESK_HOME", None)
        else:
            os.environ["CRMDESK_HOME"] = old
