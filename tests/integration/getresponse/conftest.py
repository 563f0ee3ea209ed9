"""Integration fixtures: a real GetResponse sandbox on loopback and the real client against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.sandbox import GetResponseEmulator, Sandbox, SandboxEndpoint


@pytest_asyncio.fixture
async def sandbox(request: Any) -> AsyncIterator[Sandbox]:
    """A small sandbox; a test can pass emulator options with `@pytest.mark.sandbox(...)`."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=("getresponse",), **options) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> GetResponseEmulator:
    found = sandbox.emulator("getresponse")
    assert isinstance(found, GetResponseEmulator)
    return found


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest_asyncio.fixture
async def gr(endpoint: SandboxEndpoint) -> AsyncIterator[Backend]:
    async with open_backend(
        "getresponse",
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=ExchangeLog(),
        **endpoint.options,
    ) as backend:
        yield backend
