"""The inbox's writer thread: group commit of every write waiting, and the writes themselves.

Every job waiting runs in one transaction; if any fails, the transaction is rolled back and
each job runs again in its own, so only the bad one fails. The waiters are told only after
COMMIT returned (with `synchronous=FULL`, after the WAL was fsynced).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import queue
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from crmdesk.inbox.model import InboxChange, Retention
from crmdesk.inbox.protocol import NewMessage

log = logging.getLogger(__name__)


class WriteFailed(Exception):
    """A write job's failure, raised to its waiter (the store turns it into StoreError)."""


@dataclass(slots=True)
class Batch:
    """What the jobs of one transaction changed, gathered for one change notification."""

    now: float
    added: list[int] = field(default_factory=list)
    repeated: list[int] = field(default_factory=list)
    read_changed: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unread_delta: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.repeated or self.read_changed or self.removed)


@dataclass(slots=True)
class WriteJob:
    work: Callable[[sqlite3.Connection, Batch], Any]
    future: asyncio.Future[Any] | None


@dataclass(frozen=True, slots=True)
class AddResult:
    """Row ids of a stored delivery, one per message in order (a repeat's is the earlier
    row's), and how many were new rows and how many repeats."""

    ids: tuple[int, ...]
    new: int
    repeats: int


def add_messages(
    connection: sqlite3.Connection,
    batch: Batch,
    connection_id: str,
    connection_name: str,
    protocol: str,
    messages: Sequence[NewMessage],
) -> AddResult:
    ids: list[int] = []
    new = repeats = 0
    for message in messages:
        if message.repeat_window is None:
            found = connection.execute(
                "SELECT id FROM messages WHERE connection_id = ? AND dedupe_key = ? "
                "ORDER BY received_at DESC LIMIT 1",
                (connection_id, message.dedupe_key),
            ).fetchone()
        else:
            found = connection.execute(
                "SELECT id FROM messages WHERE connection_id = ? AND dedupe_key = ? "
                "AND received_at >= ? ORDER BY received_at DESC LIMIT 1",
                (connection_id, message.dedupe_key, batch.now - message.repeat_window),
            ).fetchone()
        if found is not None:
            connection.execute(
                "UPDATE messages SET repeat_count = repeat_count + 1, last_received_at = ? "
                "WHERE id = ?",
                (batch.now, found[0]),
            )
            ids.append(found[0])
            batch.repeated.append(found[0])
            repeats += 1
            continue
        link = message.link
        cursor = connection.execute(
            "INSERT INTO messages (connection_id, connection_name, protocol, type, data, "
            "summary, dedupe_key, received_at, last_received_at, entity, record_id, meta) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                connection_id,
                connection_name,
                protocol,
                message.type,
                message.data_json,
                message.summary,
                message.dedupe_key,
                batch.now,
                batch.now,
                link.entity if link else None,
                link.record_id if link else None,
                json.dumps(dict(message.meta), ensure_ascii=False),
            ),
        )
        row_id = cursor.lastrowid
        assert row_id is not None
        ids.append(row_id)
        batch.added.append(row_id)
        batch.unread_delta += 1
        new += 1
    return AddResult(tuple(ids), new, repeats)


def apply_retention(
    connection: sqlite3.Connection, batch: Batch, retention: Retention, now: float
) -> int:
    rows: list[Any] = []
    if retention.max_age_days is not None:
        cutoff = now - retention.max_age_days * 86400.0
        rows += connection.execute(
            "DELETE FROM messages WHERE received_at < ? RETURNING id, read", (cutoff,)
        ).fetchall()
    if retention.max_count is not None:
        rows += connection.execute(
            "DELETE FROM messages WHERE id IN (SELECT id FROM messages "
            "ORDER BY received_at DESC, id DESC LIMIT -1 OFFSET ?) RETURNING id, read",
            (retention.max_count,),
        ).fetchall()
    batch.removed.extend(row[0] for row in rows)
    batch.unread_delta -= sum(1 for row in rows if not row[1])
    return len(rows)


def mark_rows(connection: sqlite3.Connection, batch: Batch, ids: Sequence[int], read: bool) -> int:
    changed: list[int] = []
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = connection.execute(
            f"UPDATE messages SET read = ? WHERE id IN ({marks}) AND read != ? RETURNING id",
            (int(read), *chunk, int(read)),
        ).fetchall()
        changed.extend(row[0] for row in rows)
    batch.read_changed.extend(changed)
    batch.unread_delta += -len(changed) if read else len(changed)
    return len(changed)


def mark_matching_read(
    connection: sqlite3.Connection, batch: Batch, where: tuple[str, tuple[Any, ...]]
) -> int:
    condition, params = where
    rows = connection.execute(
        f"UPDATE messages SET read = 1 WHERE read = 0 AND {condition} RETURNING id", params
    ).fetchall()
    batch.read_changed.extend(row[0] for row in rows)
    batch.unread_delta -= len(rows)
    return len(rows)


def delete_rows(connection: sqlite3.Connection, batch: Batch, ids: Sequence[int]) -> int:
    removed = 0
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = connection.execute(
            f"DELETE FROM messages WHERE id IN ({marks}) RETURNING id, read", tuple(chunk)
        ).fetchall()
        batch.removed.extend(row[0] for row in rows)
        batch.unread_delta -= sum(1 for row in rows if not row[1])
        removed += len(rows)
    return removed


def chunks(values: Sequence[int], size: int = 500) -> list[Sequence[int]]:
    # SQLite limits the parameters of one statement; 500 stays far below every build's limit.
    return [values[i : i + size] for i in range(0, len(values), size)]


class WriterLoop:
    """Runs in the writer thread until it takes None from `jobs`."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        jobs: queue.SimpleQueue[WriteJob | None],
        loop: asyncio.AbstractEventLoop,
        *,
        publish: Callable[[InboxChange], None],
        unread: int,
        retention: Callable[[], Retention],
        clock: Callable[[], float],
        retention_rows: int,
        retention_seconds: float,
        batch_limit: int,
    ) -> None:
        self._connection = connection
        self._jobs = jobs
        self._loop = loop
        self._publish = publish
        self._unread = unread
        self._retention = retention
        self._clock = clock
        self._retention_rows = retention_rows
        self._retention_seconds = retention_seconds
        self._batch_limit = batch_limit
        self._rows_since_retention = 0
        self._last_retention = clock()

    def run(self) -> None:
        try:
            self._retain()
            stop = False
            while not stop:
                first = self._jobs.get()
                if first is None:
                    break
                jobs = [first]
                # Everything already waiting goes into this one transaction: group commit.
                while len(jobs) < self._batch_limit:
                    try:
                        job = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if job is None:
                        stop = True
                        break
                    jobs.append(job)
                self._commit(jobs)
                if (
                    self._rows_since_retention >= self._retention_rows
                    or self._clock() - self._last_retention >= self._retention_seconds
                ):
                    self._retain()
        finally:
            self._fail_waiting()
            self._connection.close()

    def _retain(self) -> None:
        self._rows_since_retention = 0
        self._last_retention = self._clock()

        def work(connection: sqlite3.Connection, batch: Batch) -> int:
            return apply_retention(connection, batch, self._retention(), batch.now)

        self._commit([WriteJob(work, None)])

    def _commit(self, jobs: list[WriteJob]) -> None:
        try:
            batch, results = self._transaction(jobs)
        except Exception as exc:
            if len(jobs) > 1:
                # Rolled back whole; each job again on its own, so only a bad one fails.
                for job in jobs:
                    self._commit([job])
                return
            if not isinstance(exc, sqlite3.Error):
                log.exception("an inbox write failed")
            self._settle([(jobs[0], None, WriteFailed(str(exc)))])
            return
        outcomes: list[tuple[WriteJob, Any, BaseException | None]] = [
            (job, result, None) for job, result in zip(jobs, results, strict=True)
        ]
        self._rows_since_retention += len(batch.added)
        self._unread += batch.unread_delta
        change = None
        if batch.changed:
            change = InboxChange(
                added=tuple(batch.added),
                repeated=tuple(dict.fromkeys(batch.repeated)),
                read_changed=tuple(dict.fromkeys(batch.read_changed)),
                removed=tuple(batch.removed),
                unread=self._unread,
            )
        self._settle(outcomes, change)

    def _transaction(self, jobs: list[WriteJob]) -> tuple[Batch, list[Any]]:
        """Run every job in one transaction and commit it, or roll it all back and raise."""
        connection = self._connection
        batch = Batch(now=self._clock())
        connection.execute("BEGIN IMMEDIATE")
        try:
            results = [job.work(connection, batch) for job in jobs]
            connection.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                connection.execute("ROLLBACK")
            raise
        return batch, results

    def _settle(
        self,
        outcomes: list[tuple[WriteJob, Any, BaseException | None]],
        change: InboxChange | None = None,
    ) -> None:
        publish = self._publish

        def settle() -> None:
            # The change first: a waiter resumed by its result may already query for it.
            if change is not None:
                publish(change)
            for job, result, error in outcomes:
                future = job.future
                if future is None or future.done():
                    continue  # no waiter, or it was cancelled (its sender hung up)
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(result)

        # One wake-up of the loop for the whole batch.
        with contextlib.suppress(RuntimeError):  # the loop is already closed
            self._loop.call_soon_threadsafe(settle)

    def _fail_waiting(self) -> None:
        left: list[tuple[WriteJob, Any, BaseException | None]] = []
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                left.append((job, None, WriteFailed("the inbox is closed")))
        if left:
            self._settle(left)
