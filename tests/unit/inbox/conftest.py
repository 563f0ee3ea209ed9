"""Fixtures for the inbox tests: a store on a file of its own, with a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from inbox_clock import Clock

from crmdesk.inbox import InboxStore


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[InboxStore]:
    async with InboxStore(tmp_path / "inbox.sqlite3", clock=clock) as opened:
        yield opened
