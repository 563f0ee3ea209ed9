"""InboxStore: deliveries stored in one transaction, repeats counted, the live list's queries,
read marks, retention and change notifications."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest
from inbox_clock import Clock

from crmdesk.inbox import InboxChange, InboxQuery, InboxStore, RecordLink, Retention, StoreError
from crmdesk.inbox.protocol import NewMessage, read_aicore, read_webhook

AICORE = "aicore-push"


def _messages(*notices: dict[str, object]) -> tuple[NewMessage, ...]:
    body = json.dumps({"request": "delivery", "messages": list(notices)}).encode()
    return read_aicore(body).messages


def _generic(text: str) -> tuple[NewMessage, ...]:
    return _messages({"type": "generic", "data": text})


@pytest.mark.asyncio
async def test_a_delivery_is_stored_and_survives_reopening(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "inbox.sqlite3"
    async with InboxStore(path, clock=clock) as store:
        result = await store.add(
            "c1",
            "Dealer",
            AICORE,
            _messages(
                {"type": "generic", "data": "Hello"},
                {"type": "new_user", "data": {"user_id": "12", "first_name": "Ann"}},
            ),
        )
        assert (result.new, result.repeats) == (2, 0)
    async with InboxStore(path, clock=clock) as again:
        stored = await again.page()
        assert [m.type for m in stored] == ["new_user", "generic"]  # newest first
        assert stored[0].link == RecordLink("users", "12")
        assert stored[0].data == {"user_id": "12", "first_name": "Ann"}
        assert stored[1].connection_name == "Dealer"
        assert again.unread == 2


@pytest.mark.asyncio
async def test_the_store_file_is_wal_and_fully_synced(store: InboxStore) -> None:
    connection = sqlite3.connect(store.path)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()


@pytest.mark.asyncio
async def test_a_repeat_within_a_day_raises_the_counter_and_after_a_day_is_new(
    store: InboxStore, clock: Clock
) -> None:
    first = await store.add("c1", "Dealer", AICORE, _generic("Hello"))
    clock.now += 3600
    again = await store.add("c1", "Dealer", AICORE, _generic("Hello"))
    assert again.ids == first.ids
    assert (again.new, again.repeats) == (0, 1)
    (message,) = await store.page()
    assert message.repeat_count == 1
    assert message.last_received_at == clock.now
    assert message.received_at == clock.now - 3600
    clock.now += 24 * 3600
    later = await store.add("c1", "Dealer", AICORE, _generic("Hello"))
    assert later.new == 1
    assert await store.count() == 2


@pytest.mark.asyncio
async def test_repeats_are_per_connection_and_within_one_delivery_too(store: InboxStore) -> None:
    await store.add("c1", "Dealer", AICORE, _generic("Hello"))
    other = await store.add("c2", "Other dealer", AICORE, _generic("Hello"))
    assert other.new == 1
    twice = await store.add("c3", "Third", AICORE, _generic("Hi") + _generic("Hi"))
    assert (twice.new, twice.repeats) == (1, 1)
    assert await store.count() == 3


@pytest.mark.asyncio
async def test_a_webhook_id_is_one_message_however_late_the_retry(
    store: InboxStore, clock: Clock
) -> None:
    hook = read_webhook(b'{"type": "contact_subscribed"}', {"X-Webhook-ID": "w-1"})
    await store.add("g", "Mail", "getresponse-webhook", (hook,))
    clock.now += 10 * 24 * 3600
    again = await store.add("g", "Mail", "getresponse-webhook", (hook,))
    assert again.repeats == 1
    assert await store.count() == 1


@pytest.mark.asyncio
async def test_pages_windows_and_ids_walk_the_list_newest_first(
    store: InboxStore, clock: Clock
) -> None:
    for number in range(25):
        clock.now += 1
        await store.add("c1", "Dealer", AICORE, _generic(f"message {number}"))
    first = await store.page(limit=10)
    second = await store.page(before=first[-1].cursor, limit=10)
    third = await store.page(before=second[-1].cursor, limit=10)
    texts = [m.data for m in first + second + third]
    assert texts == [f"message {n}" for n in reversed(range(25))]
    window = await store.window(offset=10, limit=5)
    assert [m.id for m in window] == [m.id for m in second[:5]]
    ids = await store.ids()
    assert ids == [m.id for m in first + second + third]
    assert [m.id for m in await store.get([ids[3], ids[0], 999_999])] == [ids[3], ids[0]]


@pytest.mark.asyncio
async def test_a_window_and_a_count_before_a_cursor_keep_to_the_list_as_it_was(
    store: InboxStore, clock: Clock
) -> None:
    """A live list holds rows by position against its newest row: what arrives after it
    must not shift a window it asks for, nor change the count it knows."""
    for number in range(10):
        clock.now += 1
        await store.add("c1", "Dealer", AICORE, _generic(f"message {number}"))
    newest = (await store.page(limit=1))[0]
    ceiling = (newest.received_at, newest.id + 1)  # the newest itself and all before it
    for number in range(10, 15):
        clock.now += 1
        await store.add("c1", "Dealer", AICORE, _generic(f"message {number}"))
    assert await store.count() == 15
    assert await store.count(before=ceiling) == 10
    assert await store.count(InboxQuery(text="message 1"), before=ceiling) == 1
    window = await store.window(offset=2, limit=3, before=ceiling)
    assert [m.data for m in window] == ["message 7", "message 6", "message 5"]
    assert [m.data for m in await store.window(offset=2, limit=3)] == [
        "message 12",
        "message 11",
        "message 10",
    ]


@pytest.mark.asyncio
async def test_filters_by_connection_type_text_and_unread(store: InboxStore) -> None:
    await store.add("c1", "Dealer", AICORE, _generic("Lead 1001 wants a test drive"))
    await store.add(
        "c2",
        "Lot 2",
        AICORE,
        _messages({"type": "membership", "data": {"user_id": "5", "status": "expired"}}),
    )
    await store.add("c2", "Lot 2", AICORE, _generic("50% off_sale"))
    assert await store.count(InboxQuery(connection_id="c2")) == 2
    assert await store.count(InboxQuery(type="membership")) == 1
    assert await store.count(InboxQuery(text="TEST drive")) == 1
    assert await store.count(InboxQuery(text="expired")) == 1  # in the data
    assert await store.count(InboxQuery(text="lot 2")) == 2  # the connection's name
    assert await store.count(InboxQuery(text="%")) == 1  # LIKE wildcards are literal
    assert await store.count(InboxQuery(text="f_s")) == 1
    assert await store.count(InboxQuery(text="o_s")) == 0
    assert sorted(await store.types()) == ["generic", "membership"]
    counts = {c.connection_id: (c.total, c.unread) for c in await store.connections()}
    assert counts == {"c1": (1, 1), "c2": (2, 2)}


@pytest.mark.asyncio
async def test_read_marks_and_the_unread_count(store: InboxStore) -> None:
    ids = [(await store.add("c1", "Dealer", AICORE, _generic(f"m{n}"))).ids[0] for n in range(4)]
    assert await store.unread_count() == 4
    assert await store.mark_read(ids[:2]) == 2
    assert await store.mark_read(ids[:2]) == 0  # already read
    assert await store.unread_count() == 2
    assert store.unread == 2
    assert await store.count(InboxQuery(unread_only=True)) == 2
    assert await store.mark_read([ids[0]], read=False) == 1
    assert await store.unread_count("c1") == 3
    assert await store.mark_all_read(InboxQuery(connection_id="c1")) == 3
    assert await store.unread_count() == 0
    assert store.unread == 0


@pytest.mark.asyncio
async def test_subscribers_hear_every_commit_on_the_loop(store: InboxStore) -> None:
    heard: list[InboxChange] = []
    unsubscribe = store.subscribe(heard.append)
    first = await store.add("c1", "Dealer", AICORE, _generic("a") + _generic("b"))
    await store.add("c1", "Dealer", AICORE, _generic("a"))
    await store.mark_read([first.ids[1]])
    await store.delete([first.ids[1]])
    unsubscribe()
    await store.add("c1", "Dealer", AICORE, _generic("c"))
    assert heard == [
        InboxChange(added=first.ids, unread=2),
        InboxChange(repeated=(first.ids[0],), unread=2),
        InboxChange(read_changed=(first.ids[1],), unread=1),
        InboxChange(removed=(first.ids[1],), unread=1),
    ]


@pytest.mark.asyncio
async def test_a_failing_subscriber_does_not_stop_the_others(store: InboxStore) -> None:
    heard: list[InboxChange] = []

    def broken(change: InboxChange) -> None:
        raise RuntimeError("bug")

    store.subscribe(broken)
    store.subscribe(heard.append)
    await store.add("c1", "Dealer", AICORE, _generic("a"))
    assert len(heard) == 1


@pytest.mark.asyncio
async def test_retention_by_age_and_by_count(store: InboxStore, clock: Clock) -> None:
    for number in range(10):
        await store.add("c1", "Dealer", AICORE, _generic(f"old {number}"))
    clock.now += 40 * 86400
    for number in range(10):
        clock.now += 1
        await store.add("c1", "Dealer", AICORE, _generic(f"new {number}"))
    assert await store.set_retention(Retention(max_age_days=30, max_count=None)) == 10
    assert await store.count() == 10
    assert await store.set_retention(Retention(max_age_days=None, max_count=4)) == 6
    assert [m.data for m in await store.page()] == [f"new {n}" for n in (9, 8, 7, 6)]
    assert store.unread == 4


def test_retention_limits_must_make_sense() -> None:
    with pytest.raises(ValueError, match="count"):
        Retention(max_count=0)
    with pytest.raises(ValueError, match="age"):
        Retention(max_age_days=0)


@pytest.mark.asyncio
async def test_a_failed_transaction_stores_nothing_and_says_so(store: InboxStore) -> None:
    side = sqlite3.connect(store.path)
    side.execute("DROP TABLE messages")
    side.commit()
    side.close()
    with pytest.raises(StoreError, match="could not store"):
        await store.add("c1", "Dealer", AICORE, _generic("a"))


@pytest.mark.asyncio
async def test_only_the_bad_write_of_a_group_commit_fails(store: InboxStore) -> None:
    good = store.add("c1", "Dealer", AICORE, _generic("fine"))
    bad = store.add("c1", "Dealer", AICORE, (object(),))  # type: ignore[arg-type]
    results = await asyncio.gather(good, bad, return_exceptions=True)
    assert not isinstance(results[0], BaseException)
    assert isinstance(results[1], StoreError)
    assert await store.count() == 1


@pytest.mark.asyncio
async def test_a_damaged_file_is_set_aside_and_a_new_inbox_started(tmp_path: Path) -> None:
    path = tmp_path / "inbox.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    async with InboxStore(path) as store:
        assert await store.count() == 0
        assert "set aside" in store.problems[0]
    assert _set_aside(tmp_path).startswith(b"this is not")


def _set_aside(folder: Path) -> bytes:
    (kept,) = folder.glob("inbox.sqlite3.corrupt-*")
    return kept.read_bytes()


@pytest.mark.asyncio
async def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = InboxStore(tmp_path / "inbox.sqlite3")
    with pytest.raises(StoreError, match="not open"):
        await store.count()
    await store.open()
    await store.aclose()
    await store.aclose()
    with pytest.raises(StoreError, match="closed"):
        await store.add("c1", "Dealer", AICORE, _generic("a"))
