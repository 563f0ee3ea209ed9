"""Fixtures for the inbox tests: a store on a file of its own, with a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from crmdesk.inbox import InboxStore


class Clock:
    """Seconds since the epoch, moved by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture
async def store(tmp_path: Path, clock: Clock) -> AsyncIterator[InboxStore]:
    async with InboxStore(tmp_path / "inbox.sqlite3", clock=clock) as opened:
        yield opened
