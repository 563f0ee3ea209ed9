"""The change log: every write crmdesk sent, field by field, with before and after, on disk.

SQLite in WAL mode, in the data directory. One connection lives on one worker thread of its
own, so no call blocks the event loop and calls never interleave. Values are stored as JSON.
Rows are grouped by `save_id` (one save, create, delete or action); an undo is a save of its
own whose rows name the save they undo, and a row counts as undone once such a row is saved.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from crmdesk import paths
from crmdesk.editing import changelog_db as db
from crmdesk.editing.changelog_db import Change
from crmdesk.editing.pending import FieldEdit
from crmdesk.editing.results import Outcome, RecordResult, SaveReport

T = TypeVar("T")
FILE_NAME = "changes.sqlite3"
__all__ = ["FILE_NAME", "Change", "ChangeLog"]


class ChangeLog:
    """The change log of one data directory. Open it with `await ChangeLog.open()`."""

    def __init__(self, path: Path, executor: ThreadPoolExecutor, db: sqlite3.Connection) -> None:
        self.path = path
        self._executor = executor
        self._db = db
        self._closed = False

    @classmethod
    async def open(cls, path: Path | None = None) -> ChangeLog:
        """Open (creating if need be) the log at `path`, by default in the data directory."""
        path = path if path is not None else paths.data_dir() / FILE_NAME
        executor = ThreadPoolExecutor(1, thread_name_prefix="crmdesk-changelog")
        loop = asyncio.get_running_loop()
        try:
            connection = await loop.run_in_executor(executor, db.connect, path)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(path, executor, connection)

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self._db.close)
        finally:
            self._executor.shutdown(wait=False)

    # -- recording -------------------------------------------------------------------------

    async def record_save(
        self,
        report: SaveReport,
        edits: Sequence[FieldEdit],
        connection: str,
        *,
        undoes: str | None = None,
    ) -> str:
        """One row per edited field, with its record's outcome; returns the save id."""
        results = {result.record_id: result for result in report.results}
        rows = [
            db.NewRow(
                report.save_id,
                report.connection_id,
                connection,
                report.entity,
                edit.record_id,
                "update",
                edit.field,
                edit.old,
                edit.new,
                results[edit.record_id],
                undoable=results[edit.record_id].outcome is Outcome.SAVED,
                undoes=undoes,
            )
            for edit in edits
            if edit.record_id in results
        ]
        await self._run(db.insert, rows)
        return report.save_id

    async def record_create(
        self,
        connection_id: str,
        connection: str,
        entity: str,
        values: Mapping[str, Any],
        result: RecordResult,
        *,
        can_undo: bool,
    ) -> str:
        """A create: its values, and the new id where the server gave one. `can_undo`: the
        entity can be deleted, so a create that made a record can be taken back."""
        undoable = can_undo and result.outcome is Outcome.SAVED and bool(result.created_id)
        where = (connection_id, connection, entity, result.created_id or "")
        return await self._one(
            db.NewRow(_new_id(), *where, "create", "", None, dict(values), result, undoable)
        )

    async def record_delete(
        self,
        connection_id: str,
        connection: str,
        entity: str,
        record_id: str,
        before: Mapping[str, Any] | None,
        result: RecordResult,
        *,
        undoes: str | None = None,
    ) -> str:
        """A delete, with the record's values as last seen (a delete cannot be undone)."""
        where = (connection_id, connection, entity, record_id)
        values = dict(before) if before is not None else None
        return await self._one(
            db.NewRow(_new_id(), *where, "delete", "", values, None, result, False, undoes)
        )

    async def record_action(
        self,
        connection_id: str,
        connection: str,
        entity: str,
        record_id: str,
        action: str,
        args: Mapping[str, Any],
        result: RecordResult,
        *,
        undoable: bool,
        before: Mapping[str, Any] | None = None,
        undoes: str | None = None,
    ) -> str:
        """An action: its arguments, and the values it replaced where they were read first
        (an action that `undoable` says can be taken back is undone by putting those back)."""
        can_undo = undoable and before is not None and result.outcome is Outcome.SAVED
        where = (connection_id, connection, entity, record_id)
        values = dict(before) if before is not None else None
        return await self._one(
            db.NewRow(
                _new_id(), *where, "action", action, values, dict(args), result, can_undo, undoes
            )
        )

    async def _one(self, row: db.NewRow) -> str:
        await self._run(db.insert, [row])
        return row.save_id

    # -- reading ---------------------------------------------------------------------------

    async def changes(
        self,
        *,
        connection_id: str | None = None,
        entity: str | None = None,
        record_id: str | None = None,
        kind: str | None = None,
        save_id: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[Change]:
        """Changes newest first, narrowed by any of the filters, one page at a time."""
        filters = db.filters_of(connection_id, entity, record_id, kind, save_id)
        return await self._run(db.select, filters, limit, offset)

    async def count(
        self,
        *,
        connection_id: str | None = None,
        entity: str | None = None,
        record_id: str | None = None,
        kind: str | None = None,
        save_id: str | None = None,
    ) -> int:
        """How many changes the same filters match (for a paging bar)."""
        filters = db.filters_of(connection_id, entity, record_id, kind, save_id)
        return await self._run(db.count, filters)

    async def last_save(self, connection_id: str | None = None) -> list[Change]:
        """The changes of the latest save that changed something and is not wholly undone
        (undos themselves are skipped, so undoing again walks back); [] when there is none."""
        return await self._run(db.last_save, connection_id)

    async def export_csv(
        self,
        path: Path,
        *,
        connection_id: str | None = None,
        entity: str | None = None,
        record_id: str | None = None,
        kind: str | None = None,
        save_id: str | None = None,
    ) -> int:
        """Write every matching change to `path` as CSV (oldest first); how many were written."""
        filters = db.filters_of(connection_id, entity, record_id, kind, save_id)
        return await self._run(db.export, filters, path)

    async def _run(self, work: Callable[..., T], *args: Any) -> T:
        if self._closed:
            raise RuntimeError("the change log is closed")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(work, self._db, *args))


def _new_id() -> str:
    return uuid.uuid4().hex
