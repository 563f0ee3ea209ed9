"""Fixtures for the NDCHost sandbox tests: a running emulator and a plain form-posting client."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from ndchost_client import ClientApi, open_client_api

from crmdesk.sandbox import NDCHostEmulator, Sandbox


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(kinds=("ndchost",), seed=7, records_per_entity=40) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> NDCHostEmulator:
    found = sandbox.emulator("ndchost")
    assert isinstance(found, NDCHostEmulator)
    return found


@pytest_asyncio.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[ClientApi]:
    client, api = open_client_api(sandbox)
    async with client:
        yield api
