"""HistoryWriter: everything that changes the history file, on the store's one writer thread.

It opens (and if need be creates, upgrades or sets aside) the file, adds batches, deletes,
and applies retention. Built and used only on the writer thread: sqlite3 connections belong
to the thread that made them.
"""

from __future__ import annotations

import logging
import math
import os
import sqlite3
import time
from pathlib import Path
from types import TracebackType
from typing import TypeVar

from crmdesk.api import Exchange
from crmdesk.history import sqlite_schema as schema
from crmdesk.history.retention import Retention
from crmdesk.history.store import HistoryUnavailable

log = logging.getLogger(__name__)

# Rows deleted in one transaction by retention: small enough that a batch of new exchanges
# waits well under a second behind it.
RETENTION_BATCH = 2000
CHUNK = 500  # values in one IN (...) list

_TABLES = ("exchange_text", "exchange_bodies", "exchanges")

T = TypeVar("T")


class HistoryWriter:
    def __init__(self, db: sqlite3.Connection, *, full_text: bool) -> None:
        self._db = db
        self.full_text = full_text

    @classmethod
    def open(cls, path: Path, *, full_text: bool | None, busy_ms: int = 5000) -> HistoryWriter:
        """Open `path` for writing; `full_text` False keeps no word index even if FTS5 is here.

        A file that is not an SQLite database (damaged, or something else under that name)
        is moved aside and a new one started; a file from a newer crmdesk is left alone.
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                db = _connect(path, busy_ms)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError):  # locked, no permission, ...
                    raise
                _set_aside(path, exc)
                db = _connect(path, busy_ms)
            try:
                use_fts = _prepare_index(db, want=full_text)
            except BaseException:
                db.close()
                raise
        except (OSError, sqlite3.Error) as exc:
            raise HistoryUnavailable(f"The history file {path} cannot be opened: {exc}.") from exc
        return cls(db, full_text=use_fts)

    def close(self) -> None:
        try:
            self._db.execute("PRAGMA optimize")
        except sqlite3.Error:
            log.exception("history: PRAGMA optimize failed")
        self._db.close()

    # -- adding ---------------------------------------------------------------------------

    def add(self, exchanges: list[Exchange]) -> int:
        db = self._db
        known = self._known_ids([e.id for e in exchanges])
        fresh: dict[str, Exchange] = {}
        for exchange in exchanges:
            if exchange.id not in known:
                fresh.setdefault(exchange.id, exchange)
        if not fresh:
            return 0
        # Compressing and extracting words happens before the write lock is taken.
        prepared = [
            (schema.summary_row(e), schema.body_row(e), schema.text_row(e)) for e in fresh.values()
        ]
        with _Transaction(db):
            first = db.execute("SELECT coalesce(max(rowid), 0) + 1 FROM exchanges").fetchone()[0]
            rows = list(zip(range(first, first + len(prepared)), prepared, strict=True))
            db.executemany(
                f"INSERT INTO exchanges (rowid, {schema.SUMMARY_COLUMNS}) VALUES (?{', ?' * 16})",
                [(rowid, *summary) for rowid, (summary, _, _) in rows],
            )
            db.executemany(
                "INSERT INTO exchange_bodies VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(rowid, *bodies) for rowid, (_, bodies, _) in rows],
            )
            texts = [(rowid, *text) for rowid, (_, _, text) in rows]
            db.executemany("INSERT INTO exchange_text VALUES (?, ?, ?, ?)", texts)
            if self.full_text:
                db.executemany(
                    "INSERT INTO exchange_fts (rowid, url, request, response) VALUES (?, ?, ?, ?)",
                    texts,
                )
        return len(prepared)

    def _known_ids(self, ids: list[str]) -> set[str]:
        known: set[str] = set()
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id FROM exchanges WHERE id IN ({marks})", chunk)
            known.update(row[0] for row in rows)
        return known

    # -- forgetting -----------------------------------------------------------------------

    def delete_ids(self, ids: list[str]) -> int:
        rowids: list[int] = []
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT rowid FROM exchanges WHERE id IN ({marks})", chunk)
            rowids.extend(row[0] for row in rows)
        if rowids:
            with _Transaction(self._db):
                self._delete_rowids(rowids)
        return len(rowids)

    def clear(self) -> None:
        db = self._db
        with _Transaction(db):
            if self.full_text:
                db.execute("INSERT INTO exchange_fts (exchange_fts) VALUES ('delete-all')")
            for table in _TABLES:
                db.execute(f"DELETE FROM {table}")
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def _delete_rowids(self, rowids: list[int]) -> None:
        for chunk in _chunks(rowids):
            marks = ", ".join("?" * len(chunk))
            if self.full_text:
                # External content: the index is told what the row held before it goes.
                self._db.execute(
                    "INSERT INTO exchange_fts (exchange_fts, rowid, url, request, response) "
                    "SELECT 'delete', rowid, url, request, response FROM exchange_text "
                    f"WHERE rowid IN ({marks})",
                    chunk,
                )
            for table in _TABLES:
                self._db.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", chunk)

    # -- retention ------------------------------------------------------------------------

    def retention_plan(self, retention: Retention, now: float) -> list[tuple[str, int]]:
        """How many of the oldest exchanges go for age, for count, and (when neither has any to
        delete) for size."""
        db = self._db
        cutoff = now - retention.max_age_seconds
        old = db.execute("SELECT count(*) FROM exchanges WHERE started_at < ?", (cutoff,))
        too_old: int = old.fetchone()[0]
        count: int = db.execute("SELECT count(*) FROM exchanges").fetchone()[0] - too_old
        too_many = max(0, count - retention.max_exchanges)
        count -= too_many
        # Space is turned into a number of the oldest rows from one measurement, taken once
        # age and count have had their turn (the caller looks again after those deletions
        # are merged out of the word index: until then they free no space).
        used = _used_bytes(db)
        too_big = 0
        if not (too_old or too_many) and used > retention.max_bytes and count > 0:
            share = (used - retention.max_bytes) / used
            too_big = min(count, math.ceil(count * share * 1.02))
        return [("age", too_old), ("count", too_many), ("size", too_big)]

    def delete_oldest(self, reason: str, amount: int, retention: Retention, now: float) -> int:
        """Delete up to one batch of the oldest exchanges (for "age", only those too old)."""
        batch = min(amount, RETENTION_BATCH)
        if reason == "age":
            rows = self._db.execute(
                "SELECT rowid FROM exchanges WHERE started_at < ? ORDER BY started_at, id LIMIT ?",
                (now - retention.max_age_seconds, batch),
            )
        else:
            rows = self._db.execute(
                "SELECT rowid FROM exchanges ORDER BY started_at, id LIMIT ?", (batch,)
            )
        rowids = [row[0] for row in rows]
        if rowids:
            with _Transaction(self._db):
                self._delete_rowids(rowids)
        return len(rowids)

    def merge_index(self) -> bool:
        """Fold some of the word index's deletion markers in; True while there is more to do.

        Deleting from FTS5 adds markers and frees nothing until segments are merged; this
        does a bounded amount of that work, so the writer is held up only briefly.
        """
        if not self.full_text:
            return False
        before = self._db.total_changes
        # Negative: merge whatever segments there are, not only levels FTS5 thinks are full
        # (those hold the markers that retention just left).
        self._db.execute("INSERT INTO exchange_fts (exchange_fts, rank) VALUES ('merge', -200)")
        return self._db.total_changes - before >= 2  # FTS5's own sign that work was done

    def release_space(self) -> None:
        """Give the pages of deleted rows back to the disk, and shorten the WAL."""
        # Each step of this pragma frees one page, and Python's execute() takes one step of
        # a statement that has no columns: executescript() runs it to its end.
        self._db.executescript("PRAGMA incremental_vacuum;")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _connect(path: Path, busy_ms: int) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None, timeout=busy_ms / 1000)
    try:
        db.row_factory = sqlite3.Row
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise HistoryUnavailable(
                f"The history file {path} was written by a newer crmdesk; "
                "this version leaves it alone and keeps no history."
            )
        # Only a new file takes this; it must come before the first table.
        db.execute("PRAGMA auto_vacuum = INCREMENTAL")
        db.execute("PRAGMA journal_mode = WAL")
        # In WAL, NORMAL loses at most the last few batches on a power cut, never the file;
        # history does not need every commit on the platter.
        db.execute("PRAGMA synchronous = NORMAL")
        # What is deleted is overwritten, so forgotten history is not left in free pages.
        db.execute("PRAGMA secure_delete = ON")
        # The WAL is cut back to this after a checkpoint, so it adds little to the disk used.
        db.execute("PRAGMA journal_size_limit = 16777216")
        db.executescript(schema.TABLES)
        db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
    except BaseException:
        db.close()
        raise
    return db


def _set_aside(path: Path, exc: sqlite3.DatabaseError) -> None:
    # History is a record, not the user's work: a damaged file is kept for a look and a new
    # one started, rather than the app running without history.
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    log.warning("history file %s is damaged (%s); moved to %s", path, exc, aside)
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))


def _prepare_index(db: sqlite3.Connection, *, want: bool | None) -> bool:
    """Set up the word index; returns whether searches use FTS5."""
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'exchange_fts'").fetchone()
    state = db.execute("SELECT value FROM meta WHERE key = 'fts'").fetchone()
    available = schema.fts5_available()
    if not available:
        log.warning(
            "this SQLite has no FTS5: history search matches words with LIKE, "
            "which is slower on a large history"
        )
    use = available and want is not False
    if use:
        if not has_table or (state is not None and state[0] == "stale"):
            # Exchanges stored while the index was not kept up: index them all again.
            db.execute(schema.FTS_TABLE)
            db.execute("INSERT INTO exchange_fts (exchange_fts) VALUES ('rebuild')")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fts', 'ok')")
    elif has_table:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fts', 'stale')")
    return use


def _chunks(values: list[T]) -> list[list[T]]:
    return [values[start : start + CHUNK] for start in range(0, len(values), CHUNK)]


def _used_bytes(db: sqlite3.Connection) -> int:
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    free = db.execute("PRAGMA freelist_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    return int((pages - free) * size)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
