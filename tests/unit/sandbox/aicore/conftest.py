"""Fixtures for the aicore emulator tests: a running /service site and a plain httpx caller."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from aicore_service import Service

from crmdesk.sandbox import AiCoreEmulator, Sandbox


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(kinds=("aicore",), seed=7, records_per_entity=40) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> AiCoreEmulator:
    found = sandbox.emulator("aicore")
    assert isinstance(found, AiCoreEmulator)
    return found


@pytest_asyncio.fixture
async def service(sandbox: Sandbox) -> AsyncIterator[Service]:
    endpoint = sandbox.endpoints[0]
    async with httpx.AsyncClient(timeout=10) as client:
        yield Service(client, endpoint.base_url, endpoint.credentials)
