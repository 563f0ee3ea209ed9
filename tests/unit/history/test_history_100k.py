"""Search and retention stay correct over 100,000 stored exchanges.

Correctness only: how fast is `make bench`'s business (tests/bench/history_search.py). The
store is filled once for the module through the interface; tests that delete work on a copy.
Every expectation is computed from the exchanges themselves, not from the store.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from history_samples import BASE_TIME, bulk_exchanges

from crmdesk.api import Exchange
from crmdesk.history import HistoryQuery, Retention, SqliteExchangeStore, StatusClass

COUNT = 100_000
pytestmark = [pytest.mark.slow, pytest.mark.asyncio]


@pytest.fixture(scope="module")
def exchanges() -> list[Exchange]:
    return bulk_exchanges(COUNT)


@pytest.fixture(scope="module")
def filled(exchanges: list[Exchange], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history-100k") / "history.sqlite3"

    async def fill() -> None:
        async with SqliteExchangeStore(path) as store:
            for start in range(0, COUNT, 10_000):
                assert await store.add(exchanges[start : start + 10_000]) == 10_000

    asyncio.run(fill())
    return path


@pytest_asyncio.fixture
async def store(filled: Path) -> AsyncIterator[SqliteExchangeStore]:
    async with SqliteExchangeStore(filled) as opened:
        yield opened


@pytest_asyncio.fixture
async def copy(filled: Path, tmp_path: Path) -> AsyncIterator[SqliteExchangeStore]:
    target = tmp_path / "history.sqlite3"
    await asyncio.to_thread(shutil.copyfile, filled, target)
    async with SqliteExchangeStore(target) as opened:
        yield opened


def numbers(exchanges: list[Exchange], keep: Callable[[Exchange], bool]) -> list[int]:
    """The numbers of the exchanges `keep` accepts, newest first."""
    return [int(e.id[:12], 16) for e in reversed(exchanges) if keep(e)]


async def found(store: SqliteExchangeStore, query: HistoryQuery) -> list[int]:
    """Every match, walking the pages by cursor."""
    result: list[int] = []
    cursor = None
    while True:
        page = await store.search(query, limit=2000, cursor=cursor)
        result += [int(item.id[:12], 16) for item in page.items]
        cursor = page.next_cursor
        if cursor is None:
            assert page.total == len(result)
            return result


async def test_filters_find_exactly_what_they_should(
    store: SqliteExchangeStore, exchanges: list[Exchange]
) -> None:
    assert (await store.stats()).count == COUNT
    cases: list[tuple[HistoryQuery, Callable[[Exchange], bool]]] = [
        (HistoryQuery(status_class=StatusClass.SERVER_ERROR), lambda e: e.status == 500),
        (HistoryQuery(status_class=StatusClass.NO_REPLY), lambda e: e.status is None),
        (
            HistoryQuery(status=404, connection_id="profile-2"),
            lambda e: e.status == 404 and e.connection_id == "profile-2",
        ),
        (HistoryQuery(auth_only=True, method="POST"), lambda e: e.auth),
        (HistoryQuery(text="zebracorn"), lambda e: b"zebracorn" in e.response_body),
        # Half of them: the search walks the newest-first index instead of sorting them all.
        (HistoryQuery(text="even"), lambda e: b" even" in e.response_body),
        (
            HistoryQuery(text="even", connection_id="profile-0"),
            lambda e: b" even" in e.response_body and e.connection_id == "profile-0",
        ),
        (
            HistoryQuery(method="PUT", since=BASE_TIME + 50_000, until=BASE_TIME + 50_500),
            lambda e: e.method == "PUT" and BASE_TIME + 50_000 <= e.started_at < BASE_TIME + 50_500,
        ),
    ]
    for query, keep in cases:
        assert await found(store, query) == numbers(exchanges, keep), query


async def test_a_record_id_is_found_as_a_token_among_100000(
    store: SqliteExchangeStore, exchanges: list[Exchange]
) -> None:
    for record_id in ("4711", "99999", "0"):
        token = re.compile(rf"(?<![^\W_]){record_id}(?![^\W_])")

        def keep(e: Exchange, token: re.Pattern[str] = token, text: str = record_id) -> bool:
            body = e.response_body.decode()
            # `in` first: the pattern only where the id appears at all (quicker by far).
            return (text in e.url and bool(token.search(e.url))) or (
                text in body and bool(token.search(body))
            )

        assert await found(store, HistoryQuery(record_id=record_id)) == numbers(exchanges, keep)


async def test_the_first_page_is_the_newest(store: SqliteExchangeStore) -> None:
    page = await store.search(limit=50)
    assert page.total == COUNT
    assert [int(item.id[:12], 16) for item in page.items] == list(range(COUNT - 1, COUNT - 51, -1))
    deep = await store.search(limit=10, offset=90_000)
    assert [int(item.id[:12], 16) for item in deep.items] == list(range(9_999, 9_989, -1))


async def test_retention_by_count_keeps_the_newest(copy: SqliteExchangeStore) -> None:
    keep = Retention(max_exchanges=60_000, max_age_days=36_500)
    assert await copy.apply_retention(keep) == 40_000
    stats = await copy.stats()
    assert (stats.count, stats.oldest, stats.newest) == (
        60_000,
        BASE_TIME + 40_000,
        BASE_TIME + 99_999,
    )
    # The word index forgot them too: of the 100 "zebracorn" exchanges, the 60 newest are left.
    assert len(await found(copy, HistoryQuery(text="zebracorn"))) == 60


async def test_retention_by_age_and_by_size(copy: SqliteExchangeStore) -> None:
    now = BASE_TIME + COUNT + 1 * 86_400  # a day after the newest
    removed = await copy.apply_retention(Retention(max_age_days=1.5), now=now)
    stats = await copy.stats()
    assert removed == COUNT - stats.count
    assert stats.oldest is not None
    assert stats.oldest >= now - 1.5 * 86_400
    assert stats.count == COUNT - int(now - 1.5 * 86_400 - BASE_TIME)
    before = stats.bytes_on_disk
    small = Retention(max_age_days=36_500, max_megabytes=10)
    await copy.apply_retention(small, now=now)
    after = await copy.stats()
    assert after.bytes_on_disk <= small.max_bytes < before
    assert after.newest == BASE_TIME + COUNT - 1  # the newest are what stays
    assert after.count > 0
