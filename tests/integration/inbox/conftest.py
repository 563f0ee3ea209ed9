"""Fixtures for the inbox integration tests: the real listener and store, and the sandbox's
emulated servers pushing to them over loopback."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from crmdesk.inbox import InboxStore, NotificationListener
from crmdesk.sandbox import Sandbox


@pytest_asyncio.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(kinds=("aicore", "getresponse"), records_per_entity=40) as running:
        yield running


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[InboxStore]:
    async with InboxStore(tmp_path / "inbox.sqlite3") as opened:
        yield opened


@pytest_asyncio.fixture
async def listener(store: InboxStore) -> AsyncIterator[NotificationListener]:
    async with NotificationListener(store, confirm_delay=0.01) as running:
        yield running


@pytest.fixture
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port
