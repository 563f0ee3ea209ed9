"""Integration fixtures: the shared ones (tests/integration/conftest.py), on this API."""

from __future__ import annotations

import pytest

from crmdesk.api import Backend


@pytest.fixture
def api_kind() -> str:
    return "ndchost"


@pytest.fixture
def ndc(backend: Backend) -> Backend:
    return backend
