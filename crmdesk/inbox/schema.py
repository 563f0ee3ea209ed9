"""The inbox file: where it lives, its tables and indexes, and opening it (a damaged file is
set aside, never overwritten)."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from crmdesk import paths

log = logging.getLogger(__name__)

FILE_NAME = "inbox.sqlite3"
SCHEMA_VERSION = 1
# Indexes serve the live list: newest first overall, per connection and per type, the
# 24-hour repeat lookup, and the unread count (a partial index over unread rows only).
_SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    connection_id TEXT NOT NULL,
    connection_name TEXT NOT NULL,
    protocol TEXT NOT NULL,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    summary TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    received_at REAL NOT NULL,
    last_received_at REAL NOT NULL,
    repeat_count INTEGER NOT NULL DEFAULT 0,
    read INTEGER NOT NULL DEFAULT 0,
    entity TEXT,
    record_id TEXT,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS messages_received ON messages (received_at);
CREATE INDEX IF NOT EXISTS messages_connection ON messages (connection_id, received_at);
CREATE INDEX IF NOT EXISTS messages_type ON messages (type, received_at);
CREATE INDEX IF NOT EXISTS messages_dedupe ON messages (connection_id, dedupe_key, received_at);
CREATE INDEX IF NOT EXISTS messages_unread ON messages (connection_id) WHERE read = 0;
"""


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


def connect(path: Path) -> sqlite3.Connection:
    # Autocommit mode: the writer begins and commits its transactions itself.
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


def open_for_writing(path: Path, problems: list[str]) -> sqlite3.Connection:
    """The writer's connection, the schema in place. A file that is not an inbox is moved
    aside (and said so in `problems`) and a new one started."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _prepare(connect(path))
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):
            raise  # locked, read-only, disk full, newer: not damage, so leave the file alone
        kept = _set_aside(path)
        problems.append(
            f"The inbox file was damaged ({exc}) and was set aside as {kept.name}; "
            "a new one was started."
        )
        log.warning("%s", problems[-1])
        return _prepare(connect(path))


def _prepare(connection: sqlite3.Connection) -> sqlite3.Connection:
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        # FULL: the WAL is fsynced at every commit, so an acknowledged delivery survives a
        # power cut too (group commit keeps that affordable; see store.py).
        connection.execute("PRAGMA synchronous = FULL")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.OperationalError(
                f"it was written by a newer crmdesk (inbox schema {version})"
            )
        connection.executescript(_SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.close()
        raise
    return connection


def _set_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    kept = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            source.replace(Path(str(kept) + suffix))
    return kept
