"""Fixtures for the Mothernode sandbox tests: a running emulator and plain httpx clients on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from crmdesk.sandbox import MothernodeEmulator, Sandbox


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(kinds=("mothernode",), seed=7, records_per_entity=40) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> MothernodeEmulator:
    found = sandbox.emulator("mothernode")
    assert isinstance(found, MothernodeEmulator)
    return found


def _client(sandbox: Sandbox, credentials: dict[str, str] | None) -> httpx.AsyncClient:
    auth = None if credentials is None else (credentials["access_key"], credentials["api_password"])
    return httpx.AsyncClient(
        base_url=sandbox.endpoints[0].base_url,
        auth=auth,
        headers={"Accept": "application/json"},
        timeout=10,
    )


@pytest_asyncio.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A client with the full-access key pair."""
    async with _client(sandbox, sandbox.endpoints[0].credentials) as client:
        yield client


@pytest_asyncio.fixture
async def reader(
    sandbox: Sandbox, emulator: MothernodeEmulator
) -> AsyncIterator[httpx.AsyncClient]:
    """A client with the read-only key pair."""
    async with _client(sandbox, emulator.read_only_credentials()) as client:
        yield client


@pytest_asyncio.fixture
async def anonymous(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(sandbox, None) as client:
        yield client
