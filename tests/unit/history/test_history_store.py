"""An ExchangeStore keeps exchanges whole, once each, across restarts, and forgets on request."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from history_samples import BASE_TIME, make_exchange

from crmdesk import paths
from crmdesk.history import (
    ExchangeStore,
    HistoryError,
    HistoryQuery,
    HistoryUnavailable,
    SqliteExchangeStore,
    sqlite_schema,
)

pytestmark = pytest.mark.asyncio


async def test_an_exchange_comes_back_exactly_as_it_was_stored(store: ExchangeStore) -> None:
    large = b'{"Entity": [' + b'{"Name": "Heidi"},' * 5000 + b"{}]}"
    exchanges = [
        make_exchange(1),
        make_exchange(
            2,
            method="POST",
            request_headers=(("content-type", "application/x-www-form-urlencoded"),),
            request_body=b"ai_command=ping&ai_login_password=[REDACTED]",
            request_size=44,
            response_headers=(("x-note", "naïve ✓"), ("set-cookie", "[REDACTED]")),
            response_body=large,
            response_size=3 * 1024 * 1024,  # the full size of a body cut to what was kept
            attempt=2,
            call_id="000000000001abababababab",
            auth=True,
            note="token renewal",
        ),
        make_exchange(3, response_body=bytes(range(256)) * 8, response_size=2048),
        make_exchange(
            4, status=None, reason="", response_headers=(), response_body=b"", error="refused"
        ),
    ]
    assert await store.add(exchanges) == 4
    for exchange in exchanges:
        assert await store.get(exchange.id) == exchange
    assert await store.get("no-such-id") is None


async def test_adding_an_exchange_again_stores_it_once(store: ExchangeStore) -> None:
    first = make_exchange(1)
    assert await store.add([first, first, make_exchange(2)]) == 2
    assert await store.add([first, make_exchange(3)]) == 1
    assert await store.add([]) == 0
    assert (await store.stats()).count == 3


async def test_history_survives_a_restart(make_store: Callable[[], ExchangeStore]) -> None:
    async with make_store() as store:
        await store.add([make_exchange(n) for n in range(1, 6)])
    async with make_store() as reopened:
        page = await reopened.search()
        assert page.total == 5
        assert [s.id for s in page.items] == [make_exchange(n).id for n in (5, 4, 3, 2, 1)]
        assert await reopened.get(make_exchange(3).id) == make_exchange(3)


async def test_the_attempts_of_one_call_come_in_order(store: ExchangeStore) -> None:
    first = make_exchange(10, status=503)
    retries = [
        make_exchange(11, attempt=2, call_id=first.id, status=503),
        make_exchange(12, attempt=3, call_id=first.id),
    ]
    await store.add([retries[1], make_exchange(13), first, retries[0]])
    chain = await store.chain(first.id)
    assert [(s.id, s.attempt) for s in chain] == [
        (first.id, 1),
        (retries[0].id, 2),
        (retries[1].id, 3),
    ]
    assert chain[-1].outcome == "200 OK"
    assert await store.chain("unknown") == ()


async def test_deleted_exchanges_are_gone_and_the_rest_stay(store: ExchangeStore) -> None:
    await store.add([make_exchange(n, response_body=b"findme %d" % n) for n in range(1, 6)])
    assert await store.delete([make_exchange(2).id, make_exchange(4).id, "unknown"]) == 2
    assert await store.get(make_exchange(2).id) is None
    page = await store.search()
    assert [s.id for s in page.items] == [make_exchange(n).id for n in (5, 3, 1)]
    assert await store.delete([]) == 0
    # The newest goes and a new one takes its place in the file: the words of the one that
    # went must not be found in it.
    await store.delete([make_exchange(5).id])
    await store.add([make_exchange(6, response_body=b"other words")])
    found = await store.search(HistoryQuery(text="findme"))
    assert [s.id for s in found.items] == [make_exchange(n).id for n in (3, 1)]


async def test_clear_forgets_everything_and_history_goes_on(store: ExchangeStore) -> None:
    await store.add([make_exchange(n) for n in range(1, 50)])
    await store.clear()
    stats = await store.stats()
    assert (stats.count, stats.oldest, stats.newest) == (0, None, None)
    assert (await store.search()).total == 0
    await store.add([make_exchange(100)])
    assert [s.id for s in (await store.search()).items] == [make_exchange(100).id]


async def test_stats_say_how_many_how_old_and_how_big(store: ExchangeStore) -> None:
    await store.add([make_exchange(n) for n in (3, 1, 2)])
    stats = await store.stats()
    assert stats.count == 3
    assert (stats.oldest, stats.newest) == (BASE_TIME + 1, BASE_TIME + 3)
    assert stats.bytes_on_disk > 0


async def test_a_store_is_started_once_and_unusable_once_closed(
    make_store: Callable[[], ExchangeStore],
) -> None:
    store = make_store()
    with pytest.raises(RuntimeError):
        await store.search()
    await store.start()
    with pytest.raises(RuntimeError):
        await store.start()
    await store.aclose()
    await store.aclose()  # closing twice is harmless
    with pytest.raises(RuntimeError):
        await store.add([make_exchange(1)])


async def test_bad_paging_is_refused_in_words(store: ExchangeStore) -> None:
    with pytest.raises(ValueError, match="page"):
        await store.search(limit=0)
    with pytest.raises(ValueError, match="cursor"):
        await store.search(cursor="not a cursor")
    with pytest.raises(ValueError, match="not both"):
        await store.search(offset=5, cursor="1.0|x")


# -- the SQLite file itself --------------------------------------------------------------


async def test_the_default_file_is_in_the_data_directory() -> None:
    async with SqliteExchangeStore() as store:
        await store.add([make_exchange(1)])
    assert store.path == paths.data_dir() / "history.sqlite3"
    assert await asyncio.to_thread(store.path.is_file)


async def test_the_file_is_in_wal_mode(tmp_path: Path) -> None:
    async with SqliteExchangeStore(tmp_path / "h.sqlite3") as store:
        await store.add([make_exchange(1)])
        with sqlite3.connect(tmp_path / "h.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_a_damaged_file_is_set_aside_and_history_starts_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"this is not a database, it only has its name" * 100)
    with caplog.at_level(logging.WARNING):
        async with SqliteExchangeStore(path) as store:
            await store.add([make_exchange(1)])
            assert (await store.stats()).count == 1
    aside = await asyncio.to_thread(
        lambda: [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    )
    assert len(aside) == 1
    assert (await asyncio.to_thread(aside[0].read_bytes)).startswith(b"this is not a database")
    assert "damaged" in caplog.text


async def test_a_newer_crmdesks_file_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {sqlite_schema.SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    store = SqliteExchangeStore(path)
    with pytest.raises(HistoryUnavailable, match="newer crmdesk"):
        await store.start()
    assert path.read_bytes() == before
    with pytest.raises(RuntimeError):  # and the store stays closed
        await store.search()


async def test_a_file_another_program_holds_fails_in_words(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    async with SqliteExchangeStore(path, busy_timeout=0.05) as store:
        await store.add([make_exchange(1)])
        with sqlite3.connect(path, isolation_level=None) as other:
            other.execute("BEGIN IMMEDIATE")  # and keeps the write lock
            with pytest.raises(HistoryError, match="locked"):
                await store.add([make_exchange(2)])
            other.execute("ROLLBACK")
        assert await store.add([make_exchange(2)]) == 1


async def test_without_fts5_search_uses_like_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_schema, "fts5_available", lambda: False)
    with caplog.at_level(logging.WARNING):
        async with SqliteExchangeStore(tmp_path / "h.sqlite3") as store:
            assert not store.full_text
            await store.add([make_exchange(1, response_body=b'{"Name": "Zebracorn"}')])
            page = await store.search(HistoryQuery(text="zebracorn"))
            assert [s.id for s in page.items] == [make_exchange(1).id]
    assert "no FTS5" in caplog.text


async def test_exchanges_stored_without_the_index_are_found_once_it_is_back(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    async with SqliteExchangeStore(path) as store:
        await store.add([make_exchange(1, response_body=b"alpha")])
    async with SqliteExchangeStore(path, full_text=False) as store:
        await store.add([make_exchange(2, response_body=b"alpha beta")])
        await store.delete([make_exchange(1).id])
    async with SqliteExchangeStore(path) as store:
        assert store.full_text
        page = await store.search(HistoryQuery(text="alpha"))
        assert [s.id for s in page.items] == [make_exchange(2).id]


async def test_large_bodies_are_compressed_small_ones_kept_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    large = b'{"Name": "Heidi Smith"}, ' * 2000
    async with SqliteExchangeStore(path) as store:
        await store.add([make_exchange(1, response_body=large), make_exchange(2)])
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT response_zipped, length(response_body) FROM exchange_bodies")
        (zipped_large, stored_large), (zipped_small, _) = sorted(rows, reverse=True)
    assert zipped_large == 1
    assert stored_large < len(large) / 10
    assert zipped_small == 0
