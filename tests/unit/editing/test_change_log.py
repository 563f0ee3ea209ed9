"""The change log: SQLite in WAL mode off the loop, saves logged field by field, browsing with
filters and paging, CSV export, and which save is the last one to undo."""

from __future__ import annotations

import asyncio
import csv
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from memory_backend import MemoryBackend

from crmdesk import paths
from crmdesk.editing import ChangeLog, Outcome, PendingEdits, RecordResult, apply

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def changelog(tmp_path: Path) -> AsyncIterator[ChangeLog]:
    opened = await ChangeLog.open(tmp_path / "changes.sqlite3")
    try:
        yield opened
    finally:
        await opened.aclose()


async def save(crm: MemoryBackend, changelog: ChangeLog, *record_ids: str, name: str = "New"):
    edits = PendingEdits()
    for record_id in record_ids:
        old = crm.store[record_id]["name"]
        edits.set("p1", "items", record_id, "name", old, f"{name} {record_id}")
    return await apply(crm, edits, "p1", "items", changelog=changelog)


async def test_the_file_is_sqlite_in_wal_mode_in_the_data_dir_by_default() -> None:
    opened = await ChangeLog.open()
    await opened.aclose()
    assert opened.path == paths.data_dir() / "changes.sqlite3"
    with sqlite3.connect(opened.path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_every_call_runs_on_the_logs_own_thread(changelog: ChangeLog) -> None:
    seen: list[str] = []
    original = changelog._db

    class Spy:
        def __getattr__(self, name: str) -> object:
            seen.append(threading.current_thread().name)
            return getattr(original, name)

    changelog._db = Spy()  # type: ignore[assignment]
    try:
        await changelog.changes()
        await changelog.count()
    finally:
        changelog._db = original
    assert seen
    assert all(name.startswith("crmdesk-changelog") for name in seen)
    assert threading.current_thread().name not in seen


async def test_a_save_is_logged_field_by_field_with_its_outcome(changelog: ChangeLog) -> None:
    async with MemoryBackend() as crm:
        crm.script = {"2": ["fail"]}
        edits = PendingEdits()
        edits.set("p1", "items", "1", "name", "Item 1", "Ünïcode 1")
        edits.set("p1", "items", "1", "amount", "10.00", "12.5")
        edits.set("p1", "items", "2", "active", "1", False)
        report = await apply(crm, edits, "p1", "items", changelog=changelog)
    changes = await changelog.changes()
    assert [(c.record_id, c.field, c.before, c.after, c.outcome) for c in changes] == [
        ("2", "active", "1", False, "failed"),
        ("1", "amount", "10.00", "12.5", "saved"),
        ("1", "name", "Item 1", "Ünïcode 1", "saved"),
    ]
    assert {c.save_id for c in changes} == {report.save_id}
    assert changes[0].message == "Server error (HTTP 500): Boom."
    assert [c.undoable for c in changes] == [False, True, True]
    assert all((c.connection, c.kind, c.entity) == ("Memory", "update", "items") for c in changes)


async def test_browsing_filters_and_pages_newest_first(changelog: ChangeLog) -> None:
    async with MemoryBackend() as crm:
        for round_ in range(3):
            await save(crm, changelog, "1", "2", "3", name=f"Round {round_}")
    assert await changelog.count() == 9
    assert await changelog.count(record_id="2") == 3
    page1 = await changelog.changes(limit=4)
    page2 = await changelog.changes(limit=4, offset=4)
    page3 = await changelog.changes(limit=4, offset=8)
    ids = [c.id for c in page1 + page2 + page3]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == 9
    only = await changelog.changes(record_id="3", entity="items", connection_id="p1")
    assert [c.after for c in only] == ["Round 2 3", "Round 1 3", "Round 0 3"]
    assert await changelog.changes(connection_id="someone else") == []
    assert await changelog.count(kind="delete") == 0


async def test_export_writes_the_filtered_changes_as_csv(
    changelog: ChangeLog, tmp_path: Path
) -> None:
    async with MemoryBackend() as crm:
        await save(crm, changelog, "1", "2")
    target = tmp_path / "changes.csv"
    assert await changelog.export_csv(target, record_id="2") == 1
    rows = read_csv(target)
    assert len(rows) == 1
    assert rows[0]["record_id"] == "2"
    assert rows[0]["before"] == "Item 2"
    assert rows[0]["after"] == "New 2"
    assert rows[0]["outcome"] == "saved"
    assert rows[0]["undoable"] == "yes"
    assert leftovers(tmp_path) == []


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def leftovers(folder: Path) -> list[Path]:
    return list(folder.glob(".*.part"))


async def test_the_last_save_skips_failures_and_what_was_undone(changelog: ChangeLog) -> None:
    async with MemoryBackend() as crm:
        first = await save(crm, changelog, "1")
        crm.script = {"2": ["fail"]}
        await save(crm, changelog, "2")  # nothing saved: not a save to undo
        last = await changelog.last_save("p1")
        assert {c.save_id for c in last} == {first.save_id}
        assert await changelog.last_save("another connection") == []


async def test_actions_deletes_and_creates_are_logged_with_their_values(
    changelog: ChangeLog,
) -> None:
    done = RecordResult("7", Outcome.SAVED, "Converted.", created_id="A1")
    save_id = await changelog.record_action(
        "p1", "Memory", "items", "7", "convert", {"Name": "Acme"}, done, undoable=False
    )
    gone = RecordResult("8", Outcome.SAVED, "Deleted.")
    await changelog.record_delete("p1", "Memory", "items", "8", {"name": "Old"}, gone)
    queued = RecordResult("", Outcome.QUEUED, "Queued.")
    await changelog.record_create("p1", "Memory", "items", {"name": "N"}, queued, can_undo=True)
    create, delete, action = await changelog.changes()
    assert (action.kind, action.field, action.after, action.save_id) == (
        "action",
        "convert",
        {"Name": "Acme"},
        save_id,
    )
    assert (delete.kind, delete.before, delete.undoable) == ("delete", {"name": "Old"}, False)
    assert (create.kind, create.record_id, create.outcome, create.undoable) == (
        "create",
        "",
        "queued",
        False,
    )


async def test_a_closed_log_refuses_calls(tmp_path: Path) -> None:
    opened = await ChangeLog.open(tmp_path / "c.sqlite3")
    await opened.aclose()
    await opened.aclose()  # twice is harmless
    with pytest.raises(RuntimeError, match="closed"):
        await opened.changes()


async def test_a_log_from_a_newer_crmdesk_is_not_opened(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version=99")
    with pytest.raises(sqlite3.DatabaseError, match="newer crmdesk"):
        await ChangeLog.open(path)


async def test_many_saves_at_once_never_interleave_their_rows(changelog: ChangeLog) -> None:
    async with MemoryBackend(records=20) as crm:
        reports = await asyncio.gather(*(save(crm, changelog, str(n)) for n in range(1, 21)))
    ids_by_save = {}
    for change in await changelog.changes(limit=-1):
        ids_by_save.setdefault(change.save_id, []).append(change.record_id)
    assert {r.save_id for r in reports} == set(ids_by_save)
    assert all(len(ids) == 1 for ids in ids_by_save.values())
