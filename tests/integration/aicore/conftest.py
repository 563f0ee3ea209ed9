"""Integration fixtures for aicore: the /service emulator on loopback and the real client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.sandbox import AiCoreEmulator, Sandbox, SandboxEndpoint


@pytest_asyncio.fixture
async def sandbox(request: Any) -> AsyncIterator[Sandbox]:
    """A small site; a test can pass emulator options with `@pytest.mark.sandbox(...)`."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=("aicore",), **options) as running:
        yield running


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest.fixture
def emulator(sandbox: Sandbox) -> AiCoreEmulator:
    found = sandbox.emulator("aicore")
    assert isinstance(found, AiCoreEmulator)
    return found


@pytest.fixture
def log() -> ExchangeLog:
    return ExchangeLog()


@pytest_asyncio.fixture
async def site(endpoint: SandboxEndpoint, log: ExchangeLog) -> AsyncIterator[Backend]:
    async with open_backend(
        "aicore",
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=log,
        **endpoint.options,
    ) as backend:
        yield backend
