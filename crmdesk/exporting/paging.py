"""Every page of a list, one after another, through `Backend.list` (so the connection's
rate-limit governor paces them), and filtering over what was fetched where the API cannot.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Sequence
from dataclasses import dataclass, replace

from crmdesk.api import ApiError, Backend, ErrorKind, Page, Query, Record, SortKey
from crmdesk.exporting.values import Column, cell_text

# What a search over fetched records keeps at most: enough to page through, bounded in memory.
MATCH_LIMIT = 5_000
# Waits for the quota one page may need in a row before its refusal is reported.
QUOTA_WAITS = 5


async def every_page(
    backend: Backend, entity: str, query: Query, *, wait_for_quota: bool = False
) -> AsyncGenerator[Page, None]:
    """Pages 1, 2, … of `query` until the last. The next page is asked for while the caller
    works on this one, so fetching and writing overlap. Use it under `contextlib.aclosing`:
    leaving early then cancels the page asked for ahead at once.

    With `wait_for_quota` (long work the person watches and can cancel, such as an export) a
    page refused for a spent quota whose reset is known is asked for again once the quota has
    reset, through `RateLimitGovernor.wait_for_reset` (its `waiting_until` says so meanwhile);
    otherwise the refusal ends the paging, for the caller to offer the wait.
    """

    def fetch(number: int) -> asyncio.Task[Page]:
        wanted = replace(query, page=number)
        if wait_for_quota:
            return asyncio.ensure_future(_patiently(backend, entity, wanted))
        return asyncio.ensure_future(backend.list(entity, wanted))

    ahead = fetch(query.page)
    try:
        while True:
            page = await ahead
            last = page.is_last or not page.records
            if not last:
                ahead = fetch(page.page + 1)
            yield page
            if last:
                return
    finally:
        if not ahead.done():
            ahead.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await ahead


async def _patiently(backend: Backend, entity: str, query: Query) -> Page:
    """One page, waiting for the quota as often as it is refused for one with a known reset
    (at most QUOTA_WAITS times in a row: a server that keeps refusing is reported)."""
    for _ in range(QUOTA_WAITS):
        try:
            return await backend.list(entity, query)
        except ApiError as error:
            if error.kind is not ErrorKind.RATE_LIMITED or error.seconds_to_retry() is None:
                raise
            if not await backend.governor.wait_for_reset(error.retry_at):
                raise  # no reset the governor can wait for (days away): said, not obeyed
    return await backend.list(entity, query)


@dataclass(frozen=True, slots=True)
class Condition:
    """Keep records whose `column` (None: any column) contains `text`, ignoring case."""

    column: str | None
    text: str


@dataclass(frozen=True, slots=True)
class LocalFilter:
    """Conditions crmdesk applies itself, all of which a record must meet."""

    conditions: tuple[Condition, ...]

    def __bool__(self) -> bool:
        return bool(self.conditions)

    def matcher(self, columns: Sequence[Column]) -> Callable[[Record], bool]:
        wanted = [(c.column, c.text.casefold()) for c in self.conditions]
        by_name = {column.name: column for column in columns}

        def matches(record: Record) -> bool:
            for name, text in wanted:
                looked = [by_name[name]] if name in by_name else [] if name else columns
                if not any(text in cell_text(c.raw(record)).casefold() for c in looked):
                    return False
            return True

        return matches


@dataclass(frozen=True, slots=True)
class Matches:
    """What a search over fetched records found, in the order the list came in."""

    records: tuple[Record, ...]
    scanned: int
    total: int | None
    complete: bool  # False when MATCH_LIMIT was reached before the end of the list
    sort: SortKey | None
    sorted_by_server: bool

    def page(self, number: int, page_size: int) -> Page:
        """One page of the matches, as a Page that says crmdesk paged it."""
        start = (number - 1) * page_size
        count = len(self.records)
        return Page(
            records=self.records[start : start + page_size],
            page=number,
            page_size=page_size,
            total_records=count,
            total_pages=max(1, -(-count // page_size)),
            sort=self.sort,
            paged_by_server=False,
            sorted_by_server=self.sorted_by_server,
        )


Progress = Callable[[int, int | None, int], None]  # scanned, total records, matches


async def search(
    backend: Backend,
    entity: str,
    query: Query,
    local: LocalFilter,
    columns: Sequence[Column],
    *,
    limit: int = MATCH_LIMIT,
    on_progress: Progress | None = None,
) -> Matches:
    """Fetch every page of `query` (with its server filters and sort) and keep the records
    `local` matches, up to `limit`."""
    matches = local.matcher(columns)
    found: list[Record] = []
    scanned = 0
    total: int | None = None
    sorted_by_server = True
    complete = True
    async with contextlib.aclosing(every_page(backend, entity, query)) as pages:
        async for page in pages:
            total = page.total_records
            sorted_by_server = page.sorted_by_server and page.paged_by_server
            scanned += len(page.records)
            found.extend(record for record in page.records if matches(record))
            if on_progress is not None:
                on_progress(scanned, total, len(found))
            if len(found) >= limit:
                complete = page.is_last
                del found[limit:]
                break
    return Matches(tuple(found), scanned, total, complete, query.sort, sorted_by_server)
