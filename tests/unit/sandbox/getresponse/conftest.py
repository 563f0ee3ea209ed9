"""Fixtures for the GetResponse sandbox tests: a running emulator and a plain httpx client on it."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from crmdesk.sandbox import GetResponseEmulator, Sandbox

# Loading the CA bundle costs ~30 ms per client; the sandbox is plain HTTP, so build it once.
_TLS = ssl.create_default_context()


@pytest_asyncio.fixture
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    marker = request.node.get_closest_marker("sandbox")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("records_per_entity", 50)
    async with Sandbox(kinds=("getresponse",), seed=7, **options) as running:
        yield running


@pytest.fixture
def emulator(sandbox: Sandbox) -> GetResponseEmulator:
    found = sandbox.emulator("getresponse")
    assert isinstance(found, GetResponseEmulator)
    return found


@pytest_asyncio.fixture
async def api(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    """A client sending the sandbox's API key the documented way."""
    endpoint = sandbox.endpoints[0]
    headers = {"X-Auth-Token": f"api-key {endpoint.credentials['api_key']}"}
    async with httpx.AsyncClient(
        base_url=endpoint.base_url + "/", headers=headers, timeout=10, verify=_TLS
    ) as client:
        yield client
