"""SqliteExchangeStore: exchange history in one SQLite file (WAL) in the data directory.

Every write runs on one writer thread and every read on one reader thread, each with its own
connection (sqlite3 connections belong to the thread that made them); WAL lets a search run
while a batch is being written. Nothing here touches the disk on the event loop's thread.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from crmdesk import paths
from crmdesk.api import Exchange
from crmdesk.history.retention import Retention
from crmdesk.history.sqlite_reader import HistoryReader
from crmdesk.history.sqlite_writer import HistoryWriter
from crmdesk.history.store import (
    ExchangeStore,
    ExchangeSummary,
    HistoryError,
    HistoryPage,
    HistoryQuery,
    HistoryStats,
)

log = logging.getLogger(__name__)

FILE_NAME = "history.sqlite3"
MAX_PAGE = 10_000

T = TypeVar("T")


class SqliteExchangeStore(ExchangeStore):
    """History in `path` (default `data_dir()/history.sqlite3`).

    `full_text=None` uses SQLite's FTS5 word index when this SQLite has it (and says in the
    log when it has not); False matches words with LIKE even where FTS5 exists.
    `busy_timeout` is how long a call waits for another program that holds the file (a
    second crmdesk, a backup tool) before it fails with a HistoryError.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        full_text: bool | None = None,
        busy_timeout: float = 5.0,
    ) -> None:
        self.path = path if path is not None else paths.data_dir() / FILE_NAME
        self._want_full_text = full_text
        self._busy_ms = max(0, round(busy_timeout * 1000))
        self._state = "new"
        self._writer_thread: ThreadPoolExecutor | None = None
        self._reader_thread: ThreadPoolExecutor | None = None
        # Each is used only on its own thread.
        self._writer: HistoryWriter | None = None
        self._reader: HistoryReader | None = None

    @property
    def full_text(self) -> bool:
        """Whether word searches use the FTS5 index (known once started)."""
        return self._writer is not None and self._writer.full_text

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        if self._state != "new":
            raise RuntimeError("A history store is started once.")
        self._state = "starting"
        self._writer_thread = ThreadPoolExecutor(1, thread_name_prefix="crmdesk-history-write")
        self._reader_thread = ThreadPoolExecutor(1, thread_name_prefix="crmdesk-history-read")
        try:
            self._writer = await self._run(self._writer_thread, self._open_writer)
            self._reader = await self._run(self._reader_thread, self._open_reader)
        except BaseException:
            await self._shutdown()
            raise
        self._state = "open"

    async def aclose(self) -> None:
        if self._state in ("new", "closed"):
            self._state = "closed"
            return
        self._state = "closing"
        await self._shutdown()

    def _open_writer(self) -> HistoryWriter:
        return HistoryWriter.open(self.path, full_text=self._want_full_text, busy_ms=self._busy_ms)

    def _open_reader(self) -> HistoryReader:
        assert self._writer is not None
        return HistoryReader(self.path, full_text=self._writer.full_text, busy_ms=self._busy_ms)

    async def _shutdown(self) -> None:
        # Jobs already queued on a thread run before its close: nothing asked is dropped.
        try:
            if self._reader_thread is not None and self._reader is not None:
                await self._run(self._reader_thread, self._reader.close)
            if self._writer_thread is not None and self._writer is not None:
                await self._run(self._writer_thread, self._writer.close)
        finally:
            for thread in (self._reader_thread, self._writer_thread):
                if thread is not None:
                    thread.shutdown(wait=False)
            self._writer_thread = self._reader_thread = None
            self._reader = None
            self._state = "closed"

    # -- the interface ------------------------------------------------------------------

    async def add(self, exchanges: Sequence[Exchange]) -> int:
        if not exchanges:
            return 0
        return await self._write(lambda w: w.add(list(exchanges)))

    async def search(
        self,
        query: HistoryQuery | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        cursor: str | None = None,
    ) -> HistoryPage:
        if not 1 <= limit <= MAX_PAGE:
            raise ValueError(f"A page holds 1 to {MAX_PAGE:,} exchanges, not {limit}.")
        if offset < 0 or (offset and cursor):
            raise ValueError("Page with an offset of 0 or more, or with a cursor, not both.")
        wanted = query or HistoryQuery()
        return await self._read(lambda r: r.search(wanted, limit, offset, cursor))

    async def get(self, exchange_id: str) -> Exchange | None:
        return await self._read(lambda r: r.get(exchange_id))

    async def chain(self, call_id: str) -> tuple[ExchangeSummary, ...]:
        return await self._read(lambda r: r.chain(call_id))

    async def delete(self, exchange_ids: Iterable[str]) -> int:
        ids = list(exchange_ids)
        return await self._write(lambda w: w.delete_ids(ids)) if ids else 0

    async def clear(self) -> None:
        await self._write(lambda w: w.clear())

    async def apply_retention(self, retention: Retention, *, now: float | None = None) -> int:
        when = time.time() if now is None else now
        deleted = 0
        # The word index gives its space back only once merged, so what a size limit asks
        # is measured again after that, at most twice more, instead of guessed at once.
        for _ in range(3):
            plan = await self._write(lambda w: w.retention_plan(retention, when))
            done = await self._delete_oldest(plan, retention, when)
            if not done:
                break
            deleted += done
            while await self._write(lambda w: w.merge_index()):
                pass
            await self._write(lambda w: w.release_space())
        if deleted:
            log.info("history retention removed %d exchanges", deleted)
        return deleted

    async def _delete_oldest(
        self, plan: list[tuple[str, int]], retention: Retention, when: float
    ) -> int:
        # One batch a job: new exchanges are written between the batches.
        deleted = 0
        for reason, amount in plan:
            left = amount
            while left > 0:
                job = functools.partial(
                    HistoryWriter.delete_oldest,
                    reason=reason,
                    amount=left,
                    retention=retention,
                    now=when,
                )
                done = await self._write(job)
                if done == 0:
                    break
                deleted += done
                left -= done
        return deleted

    async def stats(self) -> HistoryStats:
        return await self._read(lambda r: r.stats())

    # -- running on the threads ---------------------------------------------------------

    async def _run(self, thread: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(thread, functools.partial(fn, *args))

    async def _write(self, job: Callable[[HistoryWriter], T]) -> T:
        if self._state != "open" or self._writer_thread is None or self._writer is None:
            raise RuntimeError(f"The history store is {self._state}, not open.")
        return await self._run(self._writer_thread, self._guarded, job, self._writer)

    async def _read(self, job: Callable[[HistoryReader], T]) -> T:
        if self._state != "open" or self._reader_thread is None or self._reader is None:
            raise RuntimeError(f"The history store is {self._state}, not open.")
        return await self._run(self._reader_thread, self._guarded, job, self._reader)

    def _guarded(self, job: Callable[[Any], T], worker: object) -> T:
        try:
            return job(worker)
        except sqlite3.Error as exc:
            raise HistoryError(f"The history file {self.path} failed: {exc}.") from exc
