"""Integration fixtures: an NDCHost sandbox on loopback and the real client against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.api import ExchangeLog, open_backend
from crmdesk.api.backends.ndchost import NdcHost
from crmdesk.sandbox import NDCHostEmulator, Sandbox, SandboxEndpoint


@pytest_asyncio.fixture
async def sandbox(request: Any) -> AsyncIterator[Sandbox]:
    """A small sandbox; a test can pass emulator options with `@pytest.mark.sandbox(...)`."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=("ndchost",), **options) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> NDCHostEmulator:
    found = sandbox.emulator("ndchost")
    assert isinstance(found, NDCHostEmulator)
    return found


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest_asyncio.fixture
async def ndc(endpoint: SandboxEndpoint) -> AsyncIterator[NdcHost]:
    async with open_backend(
        "ndchost",
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=ExchangeLog(),
        **endpoint.options,
    ) as backend:
        assert isinstance(backend, NdcHost)
        yield backend
