"""Integration fixtures: a Mothernode sandbox on loopback and the real client against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.sandbox import MothernodeEmulator, Sandbox, SandboxEndpoint


@pytest_asyncio.fixture
async def sandbox(request: Any) -> AsyncIterator[Sandbox]:
    """A small sandbox; a test can pass emulator options with `@pytest.mark.sandbox(...)`."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=("mothernode",), **options) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> MothernodeEmulator:
    found = sandbox.emulator("mothernode")
    assert isinstance(found, MothernodeEmulator)
    return found


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest.fixture
def log() -> ExchangeLog:
    return ExchangeLog()


@pytest_asyncio.fixture
async def crm(endpoint: SandboxEndpoint, log: ExchangeLog) -> AsyncIterator[Backend]:
    async with open_backend(
        "mothernode",
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=log,
        **endpoint.options,
    ) as backend:
        yield backend
