"""Writes whose answer was lost, against the scripted in-memory backend: what the check at
once says, what "Check again" says later, and when a Retry may be offered (never before a
check the person asked for, and only when it says the write was not done)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from memory_backend import MemoryBackend

from crmdesk.api import Outcome as Found
from crmdesk.editing import (
    Outcome,
    check_again,
    create_record,
    delete_record,
    run_record_action,
)

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def crm() -> AsyncIterator[MemoryBackend]:
    async with MemoryBackend(records=3) as backend:
        yield backend


async def test_a_lost_delete_is_checked_and_offers_a_retry_only_after_checking_again(
    crm: MemoryBackend,
) -> None:
    crm.script = {"2": ["lost"]}
    kept = await delete_record(crm, "p1", "items", "2")
    assert kept.outcome is Outcome.UNKNOWN
    assert kept.check is not None
    assert kept.check.outcome is Found.NOT_APPLIED
    assert kept.write is not None
    assert kept.write.verb == "delete"
    assert not kept.retry_safe
    again = await check_again(crm, kept)
    assert again.checked_again
    assert again.outcome is Outcome.UNKNOWN
    assert "still exists: it was not deleted" in again.message
    assert again.retry_safe
    # Checking only reads: the record is still there and nothing more was deleted.
    assert "2" in crm.store


async def test_checking_again_finds_a_delete_that_landed_after_the_first_check(
    crm: MemoryBackend,
) -> None:
    crm.script = {"1": ["lost"]}
    first = await delete_record(crm, "p1", "items", "1")
    assert first.outcome is Outcome.UNKNOWN
    del crm.store["1"]  # the server got to it a moment later
    again = await check_again(crm, first)
    assert again.outcome is Outcome.SAVED
    assert "is gone: it was deleted" in again.message
    assert not again.retry_safe


async def test_a_create_nothing_can_search_for_is_never_offered_again(
    crm: MemoryBackend,
) -> None:
    crm.script = {"create": ["lost"]}
    maybe = await create_record(crm, "p1", "items", {"name": "Maybe"})
    again = await check_again(crm, maybe)
    assert again.outcome is Outcome.UNKNOWN
    assert again.check is not None
    assert again.check.outcome is Found.UNKNOWN
    assert "look for it before creating it again" in again.message
    assert not again.retry_safe
    assert len(crm.store) == 3


async def test_an_action_whose_answer_was_lost_is_never_run_twice_by_checking(
    crm: MemoryBackend,
) -> None:
    crm.script = {"convert": ["lost"]}
    result = await run_record_action(crm, "p1", "items", "1", "convert")
    assert result.outcome is Outcome.UNKNOWN
    await check_again(crm, result)
    await check_again(crm, result)
    assert [sent for sent, _ in crm.sent] == ["convert:1"]


async def test_a_result_that_is_known_is_not_checked_again(crm: MemoryBackend) -> None:
    done = await delete_record(crm, "p1", "items", "3")
    assert done.outcome is Outcome.SAVED
    assert await check_again(crm, done) is done
    assert crm.reads == []


async def test_a_check_that_cannot_read_says_so_and_keeps_the_write_for_later(
    crm: MemoryBackend,
) -> None:
    crm.script = {"2": ["lost"]}
    crm.unreadable.add("2")
    result = await delete_record(crm, "p1", "items", "2")
    assert result.outcome is Outcome.UNKNOWN
    assert "could not be checked (Server error (HTTP 503)" in result.message
    assert result.check is None
    assert result.write is not None
    crm.unreadable.clear()
    again = await check_again(crm, result)
    assert again.check is not None
    assert again.retry_safe


async def test_a_cancel_while_a_delete_is_on_its_way_is_checked_not_reported_failed(
    crm: MemoryBackend,
) -> None:
    crm.script = {"1": ["hang"]}
    task = asyncio.ensure_future(delete_record(crm, "p1", "items", "1"))
    await crm.in_flight.wait()
    task.cancel()
    result = await task
    assert result.outcome is Outcome.UNKNOWN
    assert "still exists: it was not deleted" in result.message
    assert "It was cancelled on its way, so the server was read" in result.message
    assert "may still be on its way to the server" in result.message
