"""The stores every history test runs against: each implementation of ExchangeStore, through
the interface only. SQLite is here twice: with its FTS5 word index, and with the LIKE search
it falls back to where SQLite has no FTS5."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio

from crmdesk.history import ExchangeStore, SqliteExchangeStore

STORES: dict[str, Callable[[Path], ExchangeStore]] = {
    "sqlite-fts5": lambda path: SqliteExchangeStore(path),
    "sqlite-like": lambda path: SqliteExchangeStore(path, full_text=False),
}


@pytest.fixture(params=sorted(STORES))
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[], ExchangeStore]:
    """A new, unstarted store over one file of this test; call it again to reopen that file."""
    factory = STORES[request.param]
    return lambda: factory(tmp_path / "history.sqlite3")


@pytest_asyncio.fixture
async def store(
    make_store: Callable[[], ExchangeStore], request: pytest.FixtureRequest
) -> AsyncIterator[ExchangeStore]:
    async with make_store() as opened:
        if isinstance(opened, SqliteExchangeStore):
            # Otherwise a build without FTS5 would quietly test the LIKE search twice.
            assert opened.full_text == (request.node.callspec.params["make_store"] == "sqlite-fts5")
        yield opened
