"""What an inbox list reads from the store at each refresh, without Qt: how many messages
match (no newer than the newest of them), the newest rows, and how many arrived on top since
the last look, so the model can insert exactly those rows and keep every other in place."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from crmdesk.inbox import InboxQuery, StoredMessage

Cursor = tuple[float, int]


class MessageSource(Protocol):
    """What the model reads (crmdesk.inbox.InboxStore)."""

    async def page(
        self, query: InboxQuery | None = None, *, before: Cursor | None = None, limit: int = 200
    ) -> list[StoredMessage]: ...

    async def window(
        self,
        query: InboxQuery | None = None,
        *,
        offset: int = 0,
        limit: int = 200,
        before: Cursor | None = None,
    ) -> list[StoredMessage]: ...

    async def count(
        self, query: InboxQuery | None = None, *, before: Cursor | None = None
    ) -> int: ...

    async def get(self, ids: list[int]) -> list[StoredMessage]: ...


@dataclass(frozen=True, slots=True)
class Looked:
    """What one refresh found: the newest rows, how many match (no newer than the first of
    them), how many arrived at the top since the last refresh (None: start again), and the
    new state of held messages that changed."""

    top: list[StoredMessage]
    total: int
    added: int | None
    changed: list[StoredMessage]
    removed: set[int]


@dataclass(frozen=True, slots=True)
class Since:
    """The last look: its newest message and the cursor just above it (None: there was none,
    or the list starts again, `reset`)."""

    top_id: int | None
    ceiling: Cursor | None
    reset: bool = False


async def look_again(
    source: MessageSource,
    query: InboxQuery,
    head: int,
    since: Since,
    changed: list[int],
    removed: set[int],
) -> Looked:
    """The list now: its `head` newest rows, its count, what came since `since`, and the new
    state of the `changed` messages (those held whose read mark or repeats changed)."""
    top = await source.page(query, limit=head)
    if not top:
        return Looked(top, 0, None, [], removed)
    newest = top[0]
    total = await source.count(query, before=(newest.received_at, newest.id + 1))
    ids = [message.id for message in top]
    added: int | None = None
    if since.reset or since.ceiling is None:
        added = None
    elif since.top_id in ids:
        added = ids.index(since.top_id)
    else:
        # More came than `head` holds: those no newer than the old top are still there.
        added = total - await source.count(query, before=since.ceiling)
    fresh = (await source.get(changed)) if changed else []
    return Looked(top, total, added, fresh, removed)
