"""Integration fixtures: a real CMDataManager sandbox on loopback and the real client against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest_asyncio

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.sandbox import Sandbox, SandboxEndpoint


@pytest_asyncio.fixture
async def sandbox(request: Any) -> AsyncIterator[Sandbox]:
    """A small sandbox; a test can pass emulator options with `@pytest.mark.sandbox(...)`."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=("cmdatamanager",), **options) as running:
        yield running


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest_asyncio.fixture
async def crm(endpoint: SandboxEndpoint) -> AsyncIterator[Backend]:
    log = ExchangeLog()
    async with open_backend(
        "cmdatamanager",
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=log,
        **endpoint.options,
    ) as backend:
        yield backend
