"""HistoryReader: the searches and look-ups of the history file, on the store's reader thread.

Its connection is read-only; under WAL it reads the last committed state while the writer
adds the next batch.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from crmdesk.api import Exchange
from crmdesk.history import sqlite_schema as schema
from crmdesk.history.sqlite_search import (
    after_cursor,
    cursor_for,
    register_token_function,
    where_of,
)
from crmdesk.history.store import ExchangeSummary, HistoryPage, HistoryQuery, HistoryStats


class HistoryReader:
    def __init__(self, path: Path, *, full_text: bool, busy_ms: int = 5000) -> None:
        self.path = path
        self.full_text = full_text
        db = sqlite3.connect(path, isolation_level=None, timeout=busy_ms / 1000)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA query_only = ON")
        register_token_function(db)
        self._db = db

    def close(self) -> None:
        self._db.close()

    def search(
        self, query: HistoryQuery, limit: int, offset: int, cursor: str | None
    ) -> HistoryPage:
        clauses, params, words = where_of(query, full_text=self.full_text)
        where = " AND ".join(clauses) or "1"
        if words is not None and len(clauses) == 1:  # words alone: the index counts them
            count = self._db.execute(
                "SELECT count(*) FROM exchange_fts WHERE exchange_fts MATCH ?", (words,)
            )
        else:
            count = self._db.execute(f"SELECT count(*) FROM exchanges e WHERE {where}", params)
        total: int = count.fetchone()[0]
        source = "exchanges e"
        if words is not None and self._many(total, limit + (0 if cursor else offset)):
            # Common words: walking newest-first until the page is full beats sorting every
            # match (measured 10 ms against 65 for 30,000 of 100,000); rare ones the reverse.
            source += " INDEXED BY exchanges_newest"
        if cursor:
            after, after_params = after_cursor(cursor)
            where = f"{where} AND {after}"
            params = params + after_params
        rows = self._db.execute(
            f"SELECT {schema.SUMMARY_COLUMNS} FROM {source} WHERE {where} "
            "ORDER BY e.started_at DESC, e.id DESC LIMIT ? OFFSET ?",
            [*params, limit + 1, offset],
        ).fetchall()
        items = tuple(summary_of(row) for row in rows[:limit])
        last = items[-1] if items and len(rows) > limit else None
        next_cursor = cursor_for(last.started_at, last.id) if last is not None else None
        return HistoryPage(items, total, next_cursor)

    def _many(self, matches: int, wanted: int) -> bool:
        """Whether walking the newest-first index finds `wanted` of `matches` sooner than
        sorting them all: it visits about wanted * rows / matches rows to get there."""
        rows: int = self._db.execute("SELECT coalesce(max(rowid), 0) FROM exchanges").fetchone()[0]
        return matches * matches > wanted * rows

    def get(self, exchange_id: str) -> Exchange | None:
        row = self._db.execute(
            f"SELECT rowid, {schema.SUMMARY_COLUMNS} FROM exchanges WHERE id = ?", (exchange_id,)
        ).fetchone()
        if row is None:
            return None
        bodies = self._db.execute("SELECT * FROM exchange_bodies WHERE rowid = ?", (row["rowid"],))
        return schema.exchange_of(row, bodies.fetchone())

    def chain(self, call_id: str) -> tuple[ExchangeSummary, ...]:
        rows = self._db.execute(
            f"SELECT {schema.SUMMARY_COLUMNS} FROM exchanges WHERE call_id = ? "
            "ORDER BY attempt, started_at",
            (call_id,),
        )
        return tuple(summary_of(row) for row in rows)

    def stats(self) -> HistoryStats:
        row = self._db.execute(
            "SELECT count(*), min(started_at), max(started_at) FROM exchanges"
        ).fetchone()
        on_disk = 0
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                on_disk += os.stat(self.path.with_name(self.path.name + suffix)).st_size
        return HistoryStats(count=row[0], bytes_on_disk=on_disk, oldest=row[1], newest=row[2])


def summary_of(row: sqlite3.Row) -> ExchangeSummary:
    return ExchangeSummary(
        id=row["id"],
        connection_id=row["connection_id"],
        connection=row["connection"],
        method=row["method"],
        url=row["url"],
        started_at=row["started_at"],
        elapsed_ms=row["elapsed_ms"],
        status=row["status"],
        reason=row["reason"],
        error=row["error"],
        request_size=row["request_size"],
        response_size=row["response_size"],
        attempt=row["attempt"],
        call_id=row["call_id"],
        auth=bool(row["auth"]),
        note=row["note"],
    )
