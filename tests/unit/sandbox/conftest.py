"""Fixtures for the sandbox tests: a running CMDataManager emulator and an httpx client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from sandbox_client import Api, open_api

from crmdesk.sandbox import CMDataManagerEmulator, Sandbox


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(seed=7) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> CMDataManagerEmulator:
    return sandbox.emulator("cmdatamanager")


@pytest_asyncio.fixture
async def anonymous(sandbox: Sandbox) -> AsyncIterator[Api]:
    """A client that has not authenticated."""
    client, api = open_api(sandbox)
    async with client:
        yield api


@pytest_asyncio.fixture
async def api(anonymous: Api) -> Api:
    """A client holding a valid token."""
    await anonymous.login()
    return anonymous
