"""HistoryRecorder: what the ExchangeLog records reaches the store in batches, without a call
ever waiting for the disk, and a disk that stalls or fails costs counted exchanges, not memory
or errors in the caller."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path

import pytest
import pytest_asyncio
from history_samples import make_exchange

from crmdesk.api import Exchange, ExchangeLog
from crmdesk.history import HistoryRecorder, Retention, SqliteExchangeStore

pytestmark = pytest.mark.asyncio


class TroubledStore(SqliteExchangeStore):
    """A real store whose disk can be made to stall (`gate`) or fail (`failures` times)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.gate = asyncio.Event()
        self.gate.set()
        self.stalled = asyncio.Event()  # set while an add() waits at the closed gate
        self.failures = 0
        self.batches: list[int] = []
        self.retentions: list[Retention] = []  # each applied, once it has been
        self.changed = asyncio.Event()

    async def add(self, exchanges: Sequence[Exchange]) -> int:
        if not self.gate.is_set():
            self.stalled.set()
        await self.gate.wait()
        if self.failures:
            self.failures -= 1
            raise OSError("No space left on device")
        self.batches.append(len(exchanges))
        added = await super().add(exchanges)
        self.changed.set()
        return added

    async def apply_retention(self, retention: Retention, *, now: float | None = None) -> int:
        removed = await super().apply_retention(retention, now=now)
        self.retentions.append(retention)
        self.changed.set()
        return removed


@pytest_asyncio.fixture
async def store(tmp_path: Path) -> AsyncIterator[TroubledStore]:
    async with TroubledStore(tmp_path / "history.sqlite3") as opened:
        yield opened


# The samples are from 2025: an age limit of a century keeps them.
KEEP = Retention(max_age_days=36_500)


async def recorder_for(
    store: TroubledStore, **options: object
) -> tuple[ExchangeLog, HistoryRecorder]:
    log = ExchangeLog()
    options.setdefault("retention", KEEP)
    recorder = HistoryRecorder(log, store, retry_delays=(0.0, 0.0), **options)  # type: ignore[arg-type]
    await recorder.start()
    return log, recorder


async def until(store: TroubledStore, condition: Callable[[], bool]) -> None:
    """Wait for what the recorder's task does, without guessing how long it takes."""
    async with asyncio.timeout(5):
        while not condition():
            store.changed.clear()
            await store.changed.wait()


async def stored_ids(store: TroubledStore) -> list[str]:
    page = await store.search(limit=10_000)
    return sorted(item.id for item in page.items)


async def test_what_the_log_records_is_stored_in_batches(store: TroubledStore) -> None:
    log, recorder = await recorder_for(store, batch_size=50)
    exchanges = [make_exchange(n) for n in range(1, 121)]
    for exchange in exchanges:
        log.record(exchange)
    await recorder.flush()
    assert await stored_ids(store) == sorted(e.id for e in exchanges)
    assert sum(store.batches) == 120
    assert max(store.batches) == 50  # a burst is written a batch at a time, not one by one
    assert recorder.written == 120
    assert recorder.dropped == 0
    await recorder.aclose()


async def test_a_call_never_waits_for_a_stalled_disk(store: TroubledStore) -> None:
    log, recorder = await recorder_for(store)
    store.gate.clear()
    log.record(make_exchange(1))
    await asyncio.wait_for(store.stalled.wait(), 5)  # the recorder is stuck in add()
    for n in range(2, 200):
        log.record(make_exchange(n))  # returns at once
    assert recorder.pending == 198
    flushed = asyncio.create_task(recorder.flush())
    await asyncio.sleep(0.05)
    assert not flushed.done()
    store.gate.set()
    await asyncio.wait_for(flushed, 10)
    assert len(await stored_ids(store)) == 199
    await recorder.aclose()


async def test_a_full_queue_drops_the_oldest_counted_and_logged(
    store: TroubledStore, caplog: pytest.LogCaptureFixture
) -> None:
    log, recorder = await recorder_for(store, max_pending=10, batch_size=100)
    store.gate.clear()
    log.record(make_exchange(1))
    await asyncio.wait_for(store.stalled.wait(), 5)
    with caplog.at_level(logging.WARNING, logger="crmdesk.history"):
        for n in range(2, 32):
            log.record(make_exchange(n))
    assert recorder.pending == 10
    assert recorder.dropped == 20
    assert "not stored" in caplog.text
    store.gate.set()
    await recorder.flush()
    expected = [make_exchange(1).id] + [make_exchange(n).id for n in range(22, 32)]
    assert await stored_ids(store) == sorted(expected)
    await recorder.aclose()


async def test_the_queue_is_bounded_by_body_bytes_too(store: TroubledStore) -> None:
    log, recorder = await recorder_for(store, max_pending_bytes=10_000)
    store.gate.clear()
    log.record(make_exchange(1))
    await asyncio.wait_for(store.stalled.wait(), 5)
    for n in range(2, 12):
        log.record(make_exchange(n, response_body=b"x" * 3000))
    assert recorder.pending == 3
    assert recorder.dropped == 7
    store.gate.set()
    await recorder.aclose()


async def test_a_failing_disk_is_retried_then_the_batch_is_given_up(
    store: TroubledStore, caplog: pytest.LogCaptureFixture
) -> None:
    log, recorder = await recorder_for(store)
    store.failures = 1
    log.record(make_exchange(1))
    await recorder.flush()
    assert await stored_ids(store) == [make_exchange(1).id]  # the retry worked
    store.failures = 10
    with caplog.at_level(logging.WARNING, logger="crmdesk.history"):
        log.record(make_exchange(2))
        await recorder.flush()
    assert recorder.dropped == 1
    assert "No space left" in (recorder.last_error or "")
    assert "No space left" in caplog.text
    store.failures = 0
    log.record(make_exchange(3))  # and history goes on once the disk is back
    await recorder.flush()
    assert await stored_ids(store) == [make_exchange(1).id, make_exchange(3).id]
    await recorder.aclose()


async def test_retention_runs_at_start_after_enough_writes_and_when_changed(
    store: TroubledStore,
) -> None:
    log, recorder = await recorder_for(store, retention_after=100, batch_size=100)
    await until(store, lambda: len(store.retentions) == 1)  # at start
    for n in range(1, 251):
        log.record(make_exchange(n))
    await recorder.flush()
    await until(store, lambda: len(store.retentions) == 3)  # after each 100 written
    tighter = Retention(max_exchanges=100, max_age_days=36_500)
    recorder.retention = tighter
    await until(store, lambda: store.retentions[-1] == tighter)
    assert (await store.stats()).count == 100
    await recorder.aclose()


async def test_exchanges_recorded_on_another_thread_are_stored(store: TroubledStore) -> None:
    log, recorder = await recorder_for(store)
    worker = threading.Thread(target=lambda: [log.record(make_exchange(n)) for n in range(1, 6)])
    worker.start()
    await asyncio.to_thread(worker.join)
    await until(store, lambda: recorder.written == 5)  # handed over to the loop, then stored
    assert len(await stored_ids(store)) == 5
    await recorder.aclose()


async def test_closing_flushes_and_stops_listening(store: TroubledStore) -> None:
    log, recorder = await recorder_for(store)
    for n in range(1, 21):
        log.record(make_exchange(n))
    await recorder.aclose()
    assert len(await stored_ids(store)) == 20
    log.record(make_exchange(99))
    await asyncio.sleep(0.05)
    assert len(await stored_ids(store)) == 20
    await recorder.aclose()  # twice is harmless


async def test_closing_does_not_wait_forever_for_a_stalled_disk(
    store: TroubledStore, caplog: pytest.LogCaptureFixture
) -> None:
    log, recorder = await recorder_for(store, close_timeout=0.2)
    store.gate.clear()
    log.record(make_exchange(1))
    log.record(make_exchange(2))
    with caplog.at_level(logging.WARNING, logger="crmdesk.history"):
        await asyncio.wait_for(recorder.aclose(), 5)
    assert "did not take" in caplog.text
    store.gate.set()
