"""create_record, delete_record and run_record_action against the scripted in-memory backend,
and undo_last_save over what they and apply() logged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from memory_backend import MemoryBackend

from crmdesk.editing import (
    ChangeLog,
    Outcome,
    PendingEdits,
    SaveReport,
    apply,
    create_record,
    delete_record,
    review_undo,
    run_record_action,
    undo_last_save,
)

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def changelog(tmp_path: Path) -> AsyncIterator[ChangeLog]:
    opened = await ChangeLog.open(tmp_path / "changes.sqlite3")
    try:
        yield opened
    finally:
        await opened.aclose()


@pytest_asyncio.fixture
async def crm() -> AsyncIterator[MemoryBackend]:
    async with MemoryBackend(records=3) as backend:
        yield backend


async def test_a_create_missing_required_fields_is_not_sent(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    result = await create_record(crm, "p1", "items", {"amount": "5"}, changelog)
    assert result.outcome is Outcome.FAILED
    assert result.message == "Not sent: fill in the required fields first: Name."
    assert len(crm.store) == 3
    refused = await create_record(crm, "p1", "items", {"name": "N", "code": "X"})
    assert refused.message == "Not sent: Code cannot be set (read-only)."


async def test_a_create_reports_its_new_id_and_can_be_undone_by_deleting_it(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    result = await create_record(crm, "p1", "items", {"name": "Fresh"}, changelog)
    assert (result.outcome, result.created_id, result.opens) == (Outcome.SAVED, "4", ("items", "4"))
    assert crm.store["4"] == {"name": "Fresh"}
    reviews = await review_undo(crm, changelog, "p1")
    assert not isinstance(reviews, str)
    assert reviews[0].request is not None
    assert reviews[0].request.text == "DELETE https://memory.example/items/4"
    undone = await undo_last_save(crm, changelog, "p1")
    assert isinstance(undone, SaveReport)
    assert undone.results[0].message == "Deleted item 4."
    assert "4" not in crm.store
    assert (
        await undo_last_save(crm, changelog, "p1") == "There is nothing to undo on this connection."
    )


async def test_a_queued_create_has_no_id_and_cannot_be_undone(changelog: ChangeLog) -> None:
    async with MemoryBackend(queued_creates=True) as crm:
        result = await create_record(crm, "p1", "items", {"name": "Later"}, changelog)
        assert (result.outcome, result.record_id, result.created_id) == (Outcome.QUEUED, "", None)
        why = await undo_last_save(crm, changelog, "p1")
    assert why == (
        "The last change was a create in Items that the server queued without an id; "
        "it cannot be undone from crmdesk."
    )


async def test_a_create_whose_reply_was_lost_is_unknown_and_not_sent_again(
    crm: MemoryBackend,
) -> None:
    crm.script = {"create": ["lost"]}
    result = await create_record(crm, "p1", "items", {"name": "Maybe"})
    assert result.outcome is Outcome.UNKNOWN
    assert "cannot tell whether the record was created" in result.message
    assert len(crm.store) == 3  # and not tried again


async def test_a_delete_whose_reply_was_lost_is_saved_once_the_record_is_gone(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    crm.script = {"1": ["lost-applied"], "2": ["lost"]}
    gone = await delete_record(crm, "p1", "items", "1", before={"name": "Item 1"})
    kept = await delete_record(crm, "p1", "items", "2", changelog=changelog)
    assert gone.outcome is Outcome.SAVED
    assert "is gone: it was deleted" in gone.message
    assert kept.outcome is Outcome.UNKNOWN
    assert "still exists: it was not deleted" in kept.message


async def test_a_create_in_an_entity_that_cannot_delete_cannot_be_undone(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    await create_record(crm, "p1", "frozen", {"name": "Ice"}, changelog)
    assert await undo_last_save(crm, changelog, "p1") == (
        "The last change created record 4 in Frozen items, whose records cannot be deleted "
        "over this API, so it cannot be undone."
    )


async def test_a_delete_is_logged_and_cannot_be_undone(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    result = await delete_record(
        crm, "p1", "items", "3", before={"name": "Item 3"}, changelog=changelog
    )
    assert result.outcome is Outcome.SAVED
    [change] = await changelog.changes()
    assert (change.kind, change.record_id, change.before) == ("delete", "3", {"name": "Item 3"})
    why = await undo_last_save(crm, changelog, "p1")
    assert isinstance(why, str)
    assert "a deleted record cannot be restored over the API" in why


async def test_an_action_that_cannot_be_undone_says_so_in_its_own_words(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    result = await run_record_action(crm, "p1", "items", "1", "convert", changelog=changelog)
    assert (result.outcome, result.opens) == (Outcome.SAVED, ("items", "99"))
    assert await undo_last_save(crm, changelog, "p1") == "Convert item on 1 cannot be undone."


async def test_an_undoable_action_is_undone_with_the_values_it_replaced(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    missing = await run_record_action(crm, "p1", "items", "1", "set_name", {})
    assert missing.message == "Not sent: fill in Name first."
    await run_record_action(crm, "p1", "items", "1", "set_name", {"name": "B"}, changelog=changelog)
    assert crm.store["1"]["name"] == "B"
    undone = await undo_last_save(crm, changelog, "p1")
    assert isinstance(undone, SaveReport)
    assert crm.store["1"]["name"] == "Item 1"
    assert crm.sent[-1] == ("set_name:1", {"name": "Item 1"})


async def test_an_unknown_action_is_failed_without_sending(crm: MemoryBackend) -> None:
    result = await run_record_action(crm, "p1", "items", "1", "teleport")
    assert result.outcome is Outcome.FAILED
    assert result.message == "Not sent: Items has no action 'teleport'."
    assert crm.sent == []


async def test_undo_of_a_save_puts_back_the_old_values_and_walks_back_on_repeat(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    edits = PendingEdits()
    edits.set("p1", "items", "1", "name", "Item 1", "First")
    await apply(crm, edits, "p1", "items", changelog=changelog)
    edits.set("p1", "items", "1", "name", "First", "Second")
    edits.set("p1", "items", "2", "amount", "10.00", "20")
    await apply(crm, edits, "p1", "items", changelog=changelog)
    reviews = await review_undo(crm, changelog, "p1")
    assert not isinstance(reviews, str)
    assert [(r.record_id, [(e.old, e.new) for e in r.edits]) for r in reviews] == [
        ("1", [("Second", "First")]),
        ("2", [("20", "10.00")]),
    ]
    undone = await undo_last_save(crm, changelog, "p1")
    assert isinstance(undone, SaveReport)
    assert [r.outcome for r in undone.results] == [Outcome.SAVED, Outcome.SAVED]
    assert (crm.store["1"]["name"], crm.store["2"]["amount"]) == ("First", "10.00")
    await undo_last_save(crm, changelog, "p1")
    assert crm.store["1"]["name"] == "Item 1"
    assert (
        await undo_last_save(crm, changelog, "p1") == "There is nothing to undo on this connection."
    )


async def test_an_undo_that_partly_failed_stays_the_last_save_for_the_rest(
    crm: MemoryBackend, changelog: ChangeLog
) -> None:
    edits = PendingEdits()
    edits.set("p1", "items", "1", "name", "Item 1", "One")
    edits.set("p1", "items", "2", "name", "Item 2", "Two")
    await apply(crm, edits, "p1", "items", changelog=changelog)
    crm.script = {"2": ["fail"]}
    first_try = await undo_last_save(crm, changelog, "p1")
    assert isinstance(first_try, SaveReport)
    assert [r.outcome for r in first_try.results] == [Outcome.SAVED, Outcome.FAILED]
    second_try = await undo_last_save(crm, changelog, "p1")
    assert isinstance(second_try, SaveReport)
    assert [r.record_id for r in second_try.results] == ["2"]
    assert crm.store["2"]["name"] == "Item 2"
    undone = {c.record_id for c in await changelog.changes(kind="update") if c.undone}
    assert undone == {"1", "2"}
