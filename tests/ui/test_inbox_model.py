"""InboxModel over a real inbox store: 100,000 messages answered without loading them (the
store's calls counted, never timed), qtmodeltester through inserts on top and retention at
the bottom, and positions that stay true while messages arrive during a fetch."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from inbox_helpers import WAIT_MS, run

from PySide6.QtCore import Qt

from crmdesk.inbox import InboxQuery, InboxStore, Retention, StoredMessage
from crmdesk.inbox.protocol import REPEAT_WINDOW, NewMessage
from crmdesk.ui.inbox.model import BLOCK, HEAD, KEEP_ROWS, RECEIVED, SUMMARY, InboxModel
from crmdesk.ui.tasks import TaskRunner

Cursor = tuple[float, int]


class CountingStore:
    """The store as the model sees it, with every call and every row it returned counted.
    `before_next_window` runs just before the next window query (messages arriving then)."""

    def __init__(self, store: InboxStore) -> None:
        self.store = store
        self.calls: list[tuple[str, int]] = []
        self.rows = 0
        self.before_next_window: Callable[[], Awaitable[object]] | None = None

    def _took(self, name: str, limit: int, found: list[StoredMessage]) -> list[StoredMessage]:
        self.calls.append((name, limit))
        self.rows += len(found)
        return found

    async def page(
        self, query: InboxQuery | None = None, *, before: Cursor | None = None, limit: int = 200
    ) -> list[StoredMessage]:
        return self._took("page", limit, await self.store.page(query, before=before, limit=limit))

    async def window(
        self,
        query: InboxQuery | None = None,
        *,
        offset: int = 0,
        limit: int = 200,
        before: Cursor | None = None,
    ) -> list[StoredMessage]:
        hook, self.before_next_window = self.before_next_window, None
        if hook is not None:
            await hook()
        found = await self.store.window(query, offset=offset, limit=limit, before=before)
        return self._took("window", limit, found)

    async def count(self, query: InboxQuery | None = None, *, before: Cursor | None = None) -> int:
        self.calls.append(("count", 0))
        return await self.store.count(query, before=before)

    async def get(self, ids: list[int]) -> list[StoredMessage]:
        return self._took("get", len(ids), await self.store.get(ids))


def new(number: int) -> NewMessage:
    """ "message <n>", made as the listener makes a delivery's message (without its JSON)."""
    text = f"message {number}"
    return NewMessage(
        type=("generic", "membership", "new_user")[number % 3],
        data=text,
        data_json=json.dumps(text),
        summary=text,
        dedupe_key=f"test:{number}",
        repeat_window=REPEAT_WINDOW,
    )


def add(qtbot: Any, store: InboxStore, first: int, count: int) -> None:
    """Messages "message <n>" for n from `first`, oldest first, in deliveries of 10,000."""
    for start in range(first, first + count, 10_000):
        messages = [new(n) for n in range(start, min(first + count, start + 10_000))]
        run(qtbot, store.add("c1", "Dealer site", "aicore-push", messages))


@pytest.fixture
def store(qtbot, qloop, tmp_path: Path) -> Iterator[InboxStore]:
    opened = InboxStore(tmp_path / "inbox.sqlite3")
    run(qtbot, opened.open())
    yield opened
    run(qtbot, opened.aclose())


def model_on(qtbot: Any, source: Any) -> InboxModel:
    model = InboxModel(source, TaskRunner())
    unsubscribe = source.store.subscribe(model.store_changed)
    model.destroyed.connect(lambda *_args: unsubscribe())
    model.refresh()
    return model


def text_at(model: InboxModel, row: int, column: int = SUMMARY) -> str:
    return str(model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole))


def wait_loaded(qtbot: Any, model: InboxModel, row: int) -> StoredMessage:
    """Ask for the row as a view would, and wait until it came."""
    text_at(model, row)
    qtbot.waitUntil(lambda: model.message_at(row) is not None, timeout=WAIT_MS)
    message = model.message_at(row)
    assert message is not None
    return message


def test_100000_messages_are_answered_without_loading_them(qtbot, store: InboxStore) -> None:
    add(qtbot, store, 0, 100_000)
    source = CountingStore(store)
    model = model_on(qtbot, source)
    qtbot.waitUntil(lambda: model.rowCount() == 100_000, timeout=WAIT_MS)
    assert source.rows == HEAD  # the newest rows, and a count
    assert text_at(model, 0) == "message 99999"

    assert text_at(model, 50_000, RECEIVED) == "loading…"  # asked for, not there yet
    assert text_at(model, 50_000) == ""
    message = wait_loaded(qtbot, model, 50_000)
    assert message.data == "message 49999"
    assert source.rows == HEAD + BLOCK

    # A user dragging the scroll bar from top to bottom, stopping 25 times.
    for row in range(0, 100_000, 4000):
        assert wait_loaded(qtbot, model, row).data == f"message {99_999 - row}"
    assert model.held() <= KEEP_ROWS
    assert source.rows <= HEAD + BLOCK * 26
    assert max(limit for _name, limit in source.calls) <= HEAD
    assert {name for name, _limit in source.calls} <= {"page", "window", "count"}


def test_the_model_passes_qtmodeltester_through_arrivals_and_retention(
    qtbot, qtmodeltester, store: InboxStore
) -> None:
    add(qtbot, store, 0, 300)
    source = CountingStore(store)
    model = model_on(qtbot, source)
    qtbot.waitUntil(lambda: model.rowCount() == 300, timeout=WAIT_MS)
    for row in (0, 150, 299):
        wait_loaded(qtbot, model, row)
    qtmodeltester.check(model)  # and it keeps checking every signal from here on
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))

    add(qtbot, store, 300, 25)  # on top
    qtbot.waitUntil(lambda: model.rowCount() == 325, timeout=WAIT_MS)
    assert wait_loaded(qtbot, model, 25).data == "message 299"  # the old top moved down 25
    run(qtbot, store.set_retention(Retention(max_age_days=None, max_count=250)))
    qtbot.waitUntil(lambda: model.rowCount() == 250, timeout=WAIT_MS)
    assert resets == []  # in place: the oldest left from the bottom
    assert wait_loaded(qtbot, model, 249).data == "message 75"


@pytest.mark.parametrize("shown_first", [False, True], ids=["block first", "arrivals first"])
def test_rows_arriving_while_a_block_is_fetched_shift_nothing(
    qtbot, store: InboxStore, shown_first: bool
) -> None:
    """Either order: the block comes back before the list shows the arrivals, or after."""
    add(qtbot, store, 0, 1000)
    source = CountingStore(store)
    model = model_on(qtbot, source)
    qtbot.waitUntil(lambda: model.rowCount() == 1000, timeout=WAIT_MS)
    shown = asyncio.Event()
    model.refreshed.connect(lambda _added: model.rowCount() == 1010 and shown.set())

    async def ten_arrive() -> None:
        for number in range(1000, 1010):
            await store.add("c1", "Dealer site", "aicore-push", [new(number)])
        if shown_first:
            await asyncio.wait_for(shown.wait(), WAIT_MS / 1000)

    source.before_next_window = ten_arrive
    text_at(model, 650)  # far from any held row: a window by position
    qtbot.waitUntil(lambda: model.rowCount() == 1010, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: model.message_at(660) is not None, timeout=WAIT_MS)
    assert ("window", BLOCK) in source.calls
    # Row 650 of the list as it was is row 660 now: the same message either way.
    assert model.message_at(660).data == "message 349"
    assert wait_loaded(qtbot, model, 0).data == "message 1009"
    assert [m.data for m in run(qtbot, store.window(offset=660, limit=1))] == ["message 349"]


def test_more_arrivals_than_one_refresh_reads_are_inserted_in_place(
    qtbot, store: InboxStore
) -> None:
    add(qtbot, store, 0, 300)
    model = model_on(qtbot, CountingStore(store))
    qtbot.waitUntil(lambda: model.rowCount() == 300, timeout=WAIT_MS)
    resets: list[None] = []
    model.modelReset.connect(lambda: resets.append(None))
    inserted: list[int] = []
    model.refreshed.connect(inserted.append)
    add(qtbot, store, 300, 700)  # one commit of 700, more than the HEAD rows a refresh reads
    qtbot.waitUntil(lambda: model.rowCount() == 1000, timeout=WAIT_MS)
    assert resets == []
    assert sum(inserted) == 700
    assert wait_loaded(qtbot, model, 700).data == "message 299"
    assert wait_loaded(qtbot, model, 450).data == "message 549"
