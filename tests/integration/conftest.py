"""Integration fixtures: a real sandbox emulator on loopback and the real client against it.

Each folder names its API by overriding the `api_kind` fixture; the tests at this level are
CMDataManager's. A test passes emulator options with `@pytest.mark.sandbox(...)`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.sandbox import Emulator, Sandbox, SandboxEndpoint


@pytest.fixture
def api_kind() -> str:
    return "cmdatamanager"


@pytest_asyncio.fixture
async def sandbox(request: Any, api_kind: str) -> AsyncIterator[Sandbox]:
    """A small sandbox of the one kind under test."""
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 60)
    async with Sandbox(kinds=(api_kind,), **options) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox, api_kind: str) -> Emulator:
    return sandbox.emulator(api_kind)


@pytest_asyncio.fixture
async def endpoint(sandbox: Sandbox) -> SandboxEndpoint:
    return sandbox.endpoints[0]


@pytest.fixture
def log() -> ExchangeLog:
    return ExchangeLog()


@pytest_asyncio.fixture
async def backend(
    endpoint: SandboxEndpoint, log: ExchangeLog, api_kind: str
) -> AsyncIterator[Backend]:
    async with open_backend(
        api_kind,
        endpoint.base_url,
        endpoint.credentials,
        connection="Sandbox",
        log=log,
        **endpoint.options,
    ) as opened:
        yield opened


@pytest.fixture
def crm(backend: Backend) -> Backend:
    return backend
