"""Integration fixtures: the shared ones (tests/integration/conftest.py), on this API."""

from __future__ import annotations

import pytest


@pytest.fixture
def api_kind() -> str:
    return "mothernode"
