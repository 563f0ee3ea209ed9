"""The change log's SQLite file: its schema, and every query, run on the log's worker thread.

Nothing here may be called on the event loop: `ChangeLog` hands each function to its one
worker thread, which also owns the connection.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmdesk.editing.results import RecordResult

_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    save_id TEXT NOT NULL,
    at REAL NOT NULL,
    connection_id TEXT NOT NULL,
    connection TEXT NOT NULL,
    entity TEXT NOT NULL,
    record_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    field TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    outcome TEXT NOT NULL,
    message TEXT NOT NULL,
    undoable INTEGER NOT NULL,
    undoes TEXT
);
CREATE INDEX IF NOT EXISTS changes_by_connection ON changes (connection_id, id);
CREATE INDEX IF NOT EXISTS changes_by_save ON changes (save_id);
CREATE INDEX IF NOT EXISTS changes_by_record ON changes (entity, record_id);
CREATE INDEX IF NOT EXISTS changes_by_undone ON changes (undoes, record_id, field);
"""
_COLUMNS = (
    "id, save_id, at, connection_id, connection, entity, record_id, kind, field, before, "
    "after, outcome, message, undoable, undoes"
)
# A row is undone when a saved row of a later undo names its save, record and field.
_UNDONE = (
    "EXISTS (SELECT 1 FROM changes u WHERE u.undoes = c.save_id AND u.record_id = c.record_id"
    " AND u.field = c.field AND u.outcome = 'saved')"
)
_FILTERS = ("connection_id", "entity", "record_id", "kind", "save_id")
CSV_HEADER = (
    "id", "when", "connection", "connection_id", "entity", "record_id", "kind", "field",
    "before", "after", "outcome", "message", "undoable", "undone", "save_id", "undoes",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one write (or one create, delete or action) as the log keeps it.

    `kind` is "update", "create", "delete" or "action"; for an action `field` is the
    action's name, `after` its arguments and `before` the values it replaced (when known).
    `undoes` names the save this change undid; `undone` says a later undo restored it.
    """

    id: int
    save_id: str
    at: float
    connection_id: str
    connection: str
    entity: str
    record_id: str
    kind: str
    field: str
    before: Any
    after: Any
    outcome: str
    message: str
    undoable: bool
    undoes: str | None = None
    undone: bool = False


@dataclass(frozen=True, slots=True)
class NewRow:
    """A change to add: what was written, and what became of it."""

    save_id: str
    connection_id: str
    connection: str
    entity: str
    record_id: str
    kind: str
    field: str
    before: Any
    after: Any
    result: RecordResult
    undoable: bool = False
    undoes: str | None = None


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=5000")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > _SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"{path} was written by a newer crmdesk (change log version {version})."
            )
        db.executescript(_SCHEMA)
        db.execute(f"PRAGMA user_version={_SCHEMA_VERSION}")
    except BaseException:
        db.close()
        raise
    return db


def insert(db: sqlite3.Connection, rows: Sequence[NewRow]) -> None:
    if not rows:
        return
    now = time.time()
    values = [
        (
            r.save_id,
            now,
            r.connection_id,
            r.connection,
            r.entity,
            r.record_id,
            r.kind,
            r.field,
            json_text(r.before),
            json_text(r.after),
            r.result.outcome.value,
            r.result.message,
            int(r.undoable),
            r.undoes,
        )
        for r in rows
    ]
    # One transaction per save: a save is logged whole or not at all.
    with _transaction(db):
        db.executemany(
            f"INSERT INTO changes ({_COLUMNS.removeprefix('id, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _where(filters: Mapping[str, str]) -> tuple[str, list[str]]:
    if not filters:
        return "", []
    clauses = " AND ".join(f"c.{name} = ?" for name in filters)
    return f" WHERE {clauses}", list(filters.values())


def select(
    db: sqlite3.Connection, filters: Mapping[str, str], limit: int, offset: int
) -> list[Change]:
    where, args = _where(filters)
    rows = db.execute(
        f"SELECT {_prefixed()}, {_UNDONE} FROM changes c{where} "
        "ORDER BY c.id DESC LIMIT ? OFFSET ?",
        # A negative LIMIT is SQLite's "no limit".
        [*args, limit, max(0, offset)],
    ).fetchall()
    return [_change(row) for row in rows]


def count(db: sqlite3.Connection, filters: Mapping[str, str]) -> int:
    where, args = _where(filters)
    found: int = db.execute(f"SELECT COUNT(*) FROM changes c{where}", args).fetchone()[0]
    return found


def last_save(db: sqlite3.Connection, connection_id: str | None) -> list[Change]:
    where = "WHERE c.undoes IS NULL AND c.outcome IN ('saved', 'queued')"
    args: list[str] = []
    if connection_id is not None:
        where += " AND c.connection_id = ?"
        args.append(connection_id)
    candidates = db.execute(
        f"SELECT c.save_id FROM changes c {where} GROUP BY c.save_id ORDER BY MAX(c.id) DESC",
        args,
    )
    for (save_id,) in candidates:
        changes = select(db, {"save_id": save_id}, -1, 0)
        if any(not c.undone for c in changes if c.outcome == "saved" and c.undoable) or not any(
            c.undoable for c in changes
        ):
            return sorted(changes, key=lambda c: c.id)
    return []


def export(db: sqlite3.Connection, filters: Mapping[str, str], path: Path) -> int:
    where, args = _where(filters)
    rows = db.execute(f"SELECT {_prefixed()}, {_UNDONE} FROM changes c{where} ORDER BY c.id", args)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    written = 0
    try:
        with partial.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(CSV_HEADER)
            for row in rows:
                change = _change(row)
                writer.writerow(_csv_row(change))
                written += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return written


def _csv_row(change: Change) -> list[Any]:
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(change.at))
    return [
        change.id, when, change.connection, change.connection_id, change.entity,
        change.record_id, change.kind, change.field, _text(change.before),
        _text(change.after), change.outcome, change.message, _yes(change.undoable),
        _yes(change.undone), change.save_id, change.undoes or "",
    ]  # fmt: skip


def _prefixed() -> str:
    return ", ".join(f"c.{name.strip()}" for name in _COLUMNS.split(","))


def _change(row: Sequence[Any]) -> Change:
    return Change(
        id=row[0], save_id=row[1], at=row[2], connection_id=row[3], connection=row[4],
        entity=row[5], record_id=row[6], kind=row[7], field=row[8],
        before=json.loads(row[9]), after=json.loads(row[10]), outcome=row[11],
        message=row[12], undoable=bool(row[13]), undoes=row[14], undone=bool(row[15]),
    )  # fmt: skip


def filters_of(
    connection_id: str | None,
    entity: str | None,
    record_id: str | None,
    kind: str | None,
    save_id: str | None,
) -> dict[str, str]:
    given = dict(zip(_FILTERS, (connection_id, entity, record_id, kind, save_id), strict=True))
    return {name: value for name, value in given.items() if value is not None}


def json_text(value: Any) -> str:
    # default=str: a Decimal or a date from a caller is kept as its text rather than lost.
    return json.dumps(value, default=str, ensure_ascii=False)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
