"""review() and apply() against a scripted in-memory backend: partial success, lost replies
read back, cancels, refusals before the network, progress and the bulk batch size."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from memory_backend import MemoryBackend

from crmdesk.api import ApiError, ErrorKind
from crmdesk.api import Outcome as Found
from crmdesk.editing import Outcome, PendingEdits, apply, review

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def crm() -> AsyncIterator[MemoryBackend]:
    async with MemoryBackend() as backend:
        yield backend


def rename(edits: PendingEdits, *record_ids: str) -> None:
    for record_id in record_ids:
        edits.set("p1", "items", record_id, "name", f"Item {record_id}", f"Renamed {record_id}")


async def test_review_shows_each_records_exact_request_or_why_it_will_not_go(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "2", "1")
    edits.set("p1", "items", "3", "name", "Item 3", "")
    edits.set("p1", "items", "4", "code", None, "X1")
    edits.set("p1", "items", "5", "amount", "10.00", {"not": "a value"})
    reviews = await review(crm, edits, "p1", "items")
    assert [r.record_id for r in reviews] == ["2", "1", "3", "4", "5"]
    first = reviews[0]
    assert first.problem is None
    assert first.request is not None
    assert first.request.text == 'PUT https://memory.example/items/2\n\n{"name":"Renamed 2"}'
    assert [(r.problem, r.request) for r in reviews[2:]] == [
        ("Name is required.", None),
        ("Code is read-only.", None),
        ("amount cannot hold a map; nothing was sent.", None),
    ]
    assert crm.sent == []
    only = await review(crm, edits, "p1", "items", ["1"])
    assert [r.record_id for r in only] == ["1"]


async def test_partial_success_keeps_the_failed_edits_with_the_servers_words(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, *[str(n) for n in range(1, 11)])
    crm.script = {"3": ["fail"], "8": ["fail"]}
    progress: list[tuple[int, int, str]] = []
    report = await apply(crm, edits, "p1", "items", on_progress=lambda *a: progress.append(a))
    assert [r.record_id for r in report.failed] == ["3", "8"]
    assert len(report.saved) == 8
    assert report.failed[0].message == "Server error (HTTP 500): Boom."
    assert report.failed[0].error is not None
    assert list(edits.of_entity("p1", "items")) == ["3", "8"]
    assert progress[0] == (1, 10, "1: saved")
    assert progress[2] == (3, 10, "3: failed")
    assert progress[-1] == (10, 10, "10: saved")
    assert report.summary == "8 saved, 2 failed."


async def test_records_refused_before_the_network_are_failed_and_not_sent(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "1")
    edits.set("p1", "items", "2", "name", "Item 2", " ")
    edits.set("p1", "items", "3", "code", None, "X1")
    report = await apply(crm, edits, "p1", "items")
    assert [(r.record_id, r.outcome) for r in report.results] == [
        ("1", Outcome.SAVED),
        ("2", Outcome.FAILED),
        ("3", Outcome.FAILED),
    ]
    assert report.results[1].message == "Not sent: Name is required."
    assert [record_id for record_id, _ in crm.sent] == ["1"]
    assert edits.record_count() == 2


async def test_a_lost_reply_is_read_back_saved_only_if_the_server_holds_the_new_values(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "1", "2")
    crm.script = {"1": ["lost-applied"], "2": ["lost"]}
    report = await apply(crm, edits, "p1", "items")
    saved, unknown = report.results
    assert saved.outcome is Outcome.SAVED
    assert "holds the change: it was saved" in saved.message
    assert "Its answer was lost (connection failed), so the server was read" in saved.message
    assert unknown.outcome is Outcome.UNKNOWN
    assert "does not hold the new name: the change was not saved" in unknown.message
    assert unknown.check is not None
    assert unknown.check.outcome is Found.NOT_APPLIED
    # Retry waits for a check the person asks for: one on its own can be outrun.
    assert not unknown.retry_safe
    assert unknown.error is not None
    assert unknown.error.outcome_unknown
    assert crm.reads == ["1", "2"]
    # Never resent behind the user's back, and the unknown edit stays pending.
    assert [record_id for record_id, _ in crm.sent] == ["1", "2"]
    assert list(edits.of_entity("p1", "items")) == ["2"]


async def test_values_are_compared_tolerantly_when_read_back(crm: MemoryBackend) -> None:
    crm.store["1"].update(amount="10.00", active="0")
    edits = PendingEdits()
    edits.set("p1", "items", "1", "amount", "10.00", "12.5")
    edits.set("p1", "items", "1", "active", "0", True)
    crm.script = {"1": ["lost"]}
    # The server stores its own spelling of what it was sent.
    crm.store["1"].update(amount="12.50", active="1")
    report = await apply(crm, edits, "p1", "items")
    assert report.results[0].outcome is Outcome.SAVED


async def test_a_record_that_cannot_be_read_back_is_unknown_never_failed(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "1")
    crm.script = {"1": ["lost-applied"]}
    crm.unreadable.add("1")
    report = await apply(crm, edits, "p1", "items")
    assert report.results[0].outcome is Outcome.UNKNOWN
    assert "could not be checked (Server error (HTTP 503)" in report.results[0].message
    assert edits.count() == 1


async def test_cancel_while_a_write_is_on_the_way_reads_it_back_and_sends_no_more(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "1", "2", "3", "4")
    crm.script = {"2": ["applied-hang"], "3": ["hang"]}
    task = asyncio.ensure_future(apply(crm, edits, "p1", "items"))
    await crm.in_flight.wait()
    task.cancel()
    report = await task
    assert not task.cancelled()  # the save ends with its report
    assert report.cancelled
    assert [(r.record_id, r.outcome) for r in report.results] == [
        ("1", Outcome.SAVED),
        ("2", Outcome.SAVED),  # read back: the server had applied it
        ("3", Outcome.NOT_SENT),
        ("4", Outcome.NOT_SENT),
    ]
    assert [record_id for record_id, _ in crm.sent] == ["1", "2"]
    assert list(edits.of_entity("p1", "items")) == ["3", "4"]
    assert report.summary == "Save cancelled: 2 saved, 2 not sent."


async def test_cancel_while_a_write_hangs_unapplied_is_unknown(crm: MemoryBackend) -> None:
    edits = PendingEdits()
    rename(edits, "1", "2")
    crm.script = {"1": ["hang"]}
    task = asyncio.ensure_future(apply(crm, edits, "p1", "items"))
    await crm.in_flight.wait()
    task.cancel()
    report = await task
    assert [r.outcome for r in report.results] == [Outcome.UNKNOWN, Outcome.NOT_SENT]
    assert "It was cancelled on its way, so the server was read" in report.results[0].message
    assert edits.count() == 2


async def test_a_bulk_kind_sends_in_its_batch_size_and_a_cancel_reads_back_the_whole_batch(
    crm: MemoryBackend,
) -> None:
    crm.update_batch_size = 2
    edits = PendingEdits()
    rename(edits, "1", "2", "3", "4", "5")
    crm.script = {"3": ["applied-hang"]}
    task = asyncio.ensure_future(apply(crm, edits, "p1", "items"))
    await crm.in_flight.wait()
    task.cancel()
    report = await task
    # 1 and 2 went first; 3 and 4 were one request (3 applied, 4 not yet); 5 never went.
    assert [r.outcome for r in report.results] == [
        Outcome.SAVED,
        Outcome.SAVED,
        Outcome.SAVED,
        Outcome.UNKNOWN,
        Outcome.NOT_SENT,
    ]
    assert set(crm.reads) == {"3", "4"}


async def test_a_broken_progress_listener_does_not_lose_the_results(
    crm: MemoryBackend,
) -> None:
    edits = PendingEdits()
    rename(edits, "1", "2")

    def broken(done: int, total: int, text: str) -> None:
        raise RuntimeError("a view bug")

    report = await apply(crm, edits, "p1", "items", on_progress=broken)
    assert len(report.saved) == 2
    assert edits.count() == 0


async def test_nothing_pending_is_an_empty_report(crm: MemoryBackend) -> None:
    report = await apply(crm, PendingEdits(), "p1", "items")
    assert report.results == ()
    assert report.summary == "Nothing to save."
    assert crm.sent == []


async def test_fields_that_cannot_be_read_leave_every_record_unsent_with_the_reason(
    crm: MemoryBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down(entity: str) -> tuple[()]:
        raise ApiError(ErrorKind.TRANSPORT, "The server cannot be reached.")

    monkeypatch.setattr(crm, "fields", down)
    edits = PendingEdits()
    rename(edits, "1", "2")
    reviews = await review(crm, edits, "p1", "items")
    assert all(r.request is None for r in reviews)
    report = await apply(crm, edits, "p1", "items")
    assert [r.outcome for r in report.results] == [Outcome.FAILED, Outcome.FAILED]
    assert report.results[0].message == (
        "Not sent: the fields could not be read to check the changes "
        "(Connection failed: The server cannot be reached)."
    )
    assert crm.sent == []
    assert edits.count() == 2
