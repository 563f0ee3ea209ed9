"""InboxStore: the notifications received, in SQLite (WAL), written by one thread that commits
every delivery waiting in one transaction (group commit), read by another.

Durable, here, means: when `add()` returns, the delivery's rows are committed in the WAL with
`synchronous=FULL`, so the WAL was fsynced before the commit returned. They survive the
process being killed (SIGKILL, a crash) and, where the disk honours a flush, an OS crash or a
power cut. On macOS fsync does not empty the drive's own cache (SQLite's `fullfsync` is left
off: it costs tens of milliseconds a commit), so a power cut there can lose the last
acknowledged deliveries; the file itself stays consistent. Only then is the sender told OK.

No SQLite call runs on the event loop: the writer thread does every write, a reader thread
every query, and the results come back as awaitables. Subscribers hear of each commit on the
loop that opened the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from crmdesk.inbox.model import (
    STORED_COLUMNS,
    InboxChange,
    InboxQuery,
    Retention,
    StoredMessage,
    stored_from_row,
)
from crmdesk.inbox.protocol import NewMessage
from crmdesk.inbox.schema import connect, default_path, open_for_writing
from crmdesk.inbox.writer import (
    AddResult,
    Batch,
    WriteFailed,
    WriteJob,
    WriterLoop,
    add_messages,
    apply_retention,
    chunks,
    delete_rows,
    mark_matching_read,
    mark_rows,
)

log = logging.getLogger(__name__)

# Retention runs after this many new rows or this many seconds, whichever comes first.
_RETENTION_ROWS = 1000
_RETENTION_SECONDS = 300.0
_BATCH_LIMIT = 512
T = TypeVar("T")
Subscriber = Callable[[InboxChange], None]


class StoreError(Exception):
    """The inbox could not do what was asked (in words); a delivery must not be answered OK."""


@dataclass(frozen=True, slots=True)
class ConnectionCount:
    connection_id: str
    connection_name: str
    total: int
    unread: int


class InboxStore:
    """The inbox file. `open()` before use, `aclose()` after; or `async with`."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        retention: Retention | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path or default_path()
        self._retention = retention or Retention()
        self._clock = clock
        self._jobs: queue.SimpleQueue[WriteJob | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._reader = ThreadPoolExecutor(1, thread_name_prefix="crmdesk-inbox-read")
        self._read_connection: sqlite3.Connection | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._subscribers: list[Subscriber] = []
        self._unread = 0
        self._closed = False
        self.problems: list[str] = []

    # -- life ---------------------------------------------------------------------------------

    async def open(self) -> None:
        if self._loop is not None:
            raise RuntimeError("an InboxStore opens once")
        if sqlite3.sqlite_version_info < (3, 35):
            raise StoreError(
                f"The inbox needs SQLite 3.35 or newer; this is {sqlite3.sqlite_version}."
            )
        self._loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = self._loop.create_future()
        self._writer = threading.Thread(
            target=self._write_forever, args=(ready,), name="crmdesk-inbox-write", daemon=True
        )
        self._writer.start()
        try:
            await ready
        except BaseException:
            self._closed = True
            self._reader.shutdown(wait=False)
            raise

    async def aclose(self) -> None:
        """Finish what is queued, then close both connections. Safe to call twice."""
        if self._closed or self._loop is None:
            self._closed = True
            return
        self._closed = True
        self._jobs.put(None)
        if self._writer is not None:
            await asyncio.to_thread(self._writer.join)
        await self._loop.run_in_executor(self._reader, self._close_reader)
        self._reader.shutdown(wait=True)

    async def __aenter__(self) -> InboxStore:
        await self.open()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    # -- writes (the writer thread) -------------------------------------------------------------

    async def add(
        self,
        connection_id: str,
        connection_name: str,
        protocol: str,
        messages: Sequence[NewMessage],
    ) -> AddResult:
        """Store one delivery's messages in one transaction; returns once it is durable.

        A repeat (same connection and dedupe key within the message's window) raises the
        earlier row's `repeat_count` instead of adding a row. Raises StoreError if the
        transaction failed: nothing of the delivery is stored then.
        """

        def work(connection: sqlite3.Connection, batch: Batch) -> AddResult:
            return add_messages(
                connection, batch, connection_id, connection_name, protocol, messages
            )

        return await self._write(work)

    async def mark_read(self, ids: Sequence[int], read: bool = True) -> int:
        """Mark messages read (or unread again); returns how many changed."""
        wanted = sorted({int(i) for i in ids})
        return await self._write(
            lambda connection, batch: mark_rows(connection, batch, wanted, read)
        )

    async def mark_all_read(self, query: InboxQuery | None = None) -> int:
        """Mark every unread message matching `query` read; returns how many changed."""
        where = (query or InboxQuery()).where()
        return await self._write(
            lambda connection, batch: mark_matching_read(connection, batch, where)
        )

    async def delete(self, ids: Sequence[int]) -> int:
        """Remove messages for good; returns how many there were."""
        wanted = sorted({int(i) for i in ids})
        return await self._write(lambda connection, batch: delete_rows(connection, batch, wanted))

    @property
    def retention(self) -> Retention:
        return self._retention

    async def set_retention(self, retention: Retention) -> int:
        """Keep messages by these limits from now on; applies them at once. Returns how many
        messages were removed."""
        self._retention = retention
        return await self.apply_retention()

    async def apply_retention(self) -> int:
        def work(connection: sqlite3.Connection, batch: Batch) -> int:
            return apply_retention(connection, batch, self._retention, self._clock())

        return await self._write(work)

    async def _write(self, work: Callable[[sqlite3.Connection, Batch], T]) -> T:
        loop = self._running()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(WriteJob(work, future))
        try:
            return await future
        except WriteFailed as exc:
            raise StoreError(f"The inbox could not store it: {exc}.") from None

    # -- reads (the reader thread) ------------------------------------------------------------

    async def page(
        self,
        query: InboxQuery | None = None,
        *,
        before: tuple[float, int] | None = None,
        limit: int = 200,
    ) -> list[StoredMessage]:
        """The newest `limit` messages matching `query` received before the cursor
        `(received_at, id)` of the last message of the previous page (keyset paging)."""
        where, params = _where(query, before)
        sql = (
            f"SELECT {STORED_COLUMNS} FROM messages WHERE {where} "
            "ORDER BY received_at DESC, id DESC LIMIT ?"
        )
        rows = await self._read(sql, (*params, max(0, int(limit))))
        return [stored_from_row(row) for row in rows]

    async def window(
        self,
        query: InboxQuery | None = None,
        *,
        offset: int = 0,
        limit: int = 200,
        before: tuple[float, int] | None = None,
    ) -> list[StoredMessage]:
        """Rows `offset` to `offset + limit` of the newest-first list: for a view that asks for
        rows by position (pair it with `count`). With `before`, of the list as it was when the
        message just below that cursor was the newest, so rows arriving meanwhile shift
        nothing."""
        where, params = _where(query, before)
        sql = (
            f"SELECT {STORED_COLUMNS} FROM messages WHERE {where} "
            "ORDER BY received_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        rows = await self._read(sql, (*params, max(0, int(limit)), max(0, int(offset))))
        return [stored_from_row(row) for row in rows]

    async def ids(self, query: InboxQuery | None = None) -> list[int]:
        """Every matching id, newest first: a table model can hold these and fetch rows by id."""
        where, params = (query or InboxQuery()).where()
        sql = f"SELECT id FROM messages WHERE {where} ORDER BY received_at DESC, id DESC"
        return [row[0] for row in await self._read(sql, params)]

    async def get(self, ids: Sequence[int]) -> list[StoredMessage]:
        """The messages with these ids, in the order asked (ids no longer stored are left out)."""
        wanted = [int(i) for i in ids]
        found: dict[int, StoredMessage] = {}
        for chunk in chunks(sorted(set(wanted))):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT {STORED_COLUMNS} FROM messages WHERE id IN ({marks})"
            for row in await self._read(sql, chunk):
                message = stored_from_row(row)
                found[message.id] = message
        return [found[i] for i in wanted if i in found]

    async def count(
        self, query: InboxQuery | None = None, *, before: tuple[float, int] | None = None
    ) -> int:
        """How many messages match `query` (received before the cursor `before`, if given)."""
        where, params = _where(query, before)
        rows = await self._read(f"SELECT count(*) FROM messages WHERE {where}", params)
        return int(rows[0][0])

    async def unread_count(self, connection_id: str | None = None) -> int:
        if connection_id is None:
            rows = await self._read("SELECT count(*) FROM messages WHERE read = 0", ())
        else:
            rows = await self._read(
                "SELECT count(*) FROM messages WHERE read = 0 AND connection_id = ?",
                (connection_id,),
            )
        return int(rows[0][0])

    async def types(self) -> list[str]:
        """The message types stored, for a filter's choices."""
        return [row[0] for row in await self._read("SELECT DISTINCT type FROM messages", ())]

    async def connections(self) -> list[ConnectionCount]:
        """Per connection: its latest name, how many messages, how many unread."""
        rows = await self._read(
            "SELECT connection_id, connection_name, count(*), sum(read = 0) FROM messages "
            "GROUP BY connection_id ORDER BY connection_name",
            (),
        )
        return [ConnectionCount(r[0], r[1], int(r[2]), int(r[3] or 0)) for r in rows]

    async def _read(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        loop = self._running()

        def run() -> list[tuple[Any, ...]]:
            if self._read_connection is None:
                self._read_connection = connect(self.path)
                self._read_connection.execute("PRAGMA query_only = 1")
            try:
                return self._read_connection.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"The inbox could not be read: {exc}.") from exc

        return await loop.run_in_executor(self._reader, run)

    def _close_reader(self) -> None:
        if self._read_connection is not None:
            self._read_connection.close()
            self._read_connection = None

    # -- changes ------------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` on the store's loop after every commit that changed something.
        Returns the function that unsubscribes."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(subscriber)

        return unsubscribe

    @property
    def unread(self) -> int:
        """The unread count as of the last commit (kept by the writer, no query)."""
        return self._unread

    def _publish(self, change: InboxChange) -> None:
        self._unread = change.unread
        for subscriber in list(self._subscribers):
            try:
                subscriber(change)
            except Exception:
                # One subscriber's bug must not stop the others or the writer.
                log.exception("an inbox subscriber failed")

    def _running(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            raise StoreError("The inbox is not open.")
        if self._closed:
            raise StoreError("The inbox is closed.")
        return self._loop

    # -- the writer thread --------------------------------------------------------------------

    def _write_forever(self, ready: asyncio.Future[None]) -> None:
        loop = self._loop
        assert loop is not None
        try:
            connection = open_for_writing(self.path, self.problems)
            self._unread = connection.execute(
                "SELECT count(*) FROM messages WHERE read = 0"
            ).fetchone()[0]
        except Exception as exc:
            error = StoreError(f"The inbox {self.path} could not be opened: {exc}.")
            _settle(loop, ready, None, error)
            return
        _settle(loop, ready, None, None)
        WriterLoop(
            connection,
            self._jobs,
            loop,
            publish=self._publish,
            unread=self._unread,
            retention=lambda: self._retention,
            clock=self._clock,
            retention_rows=_RETENTION_ROWS,
            retention_seconds=_RETENTION_SECONDS,
            batch_limit=_BATCH_LIMIT,
        ).run()


def _where(
    query: InboxQuery | None, before: tuple[float, int] | None
) -> tuple[str, tuple[Any, ...]]:
    where, params = (query or InboxQuery()).where()
    if before is not None:
        where += " AND (received_at, id) < (?, ?)"
        params = (*params, float(before[0]), int(before[1]))
    return where, params


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    error: BaseException | None,
) -> None:
    def settle() -> None:
        if future.done():
            return  # the waiter was cancelled (its sender hung up)
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is already closed
        loop.call_soon_threadsafe(settle)
