"""Test-wide settings: offscreen Qt, a private CRMDESK_HOME, and no real keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Must be set before anything creates a QApplication or imports qasync.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


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
