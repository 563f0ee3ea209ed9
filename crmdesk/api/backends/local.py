"""Paging and sorting done by crmdesk, for APIs that page or sort nothing themselves.

The result is a `Page` that says so (`paged_by_server`/`sorted_by_server` False), so the UI can
tell the user "sorted locally".
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from typing import Any

from crmdesk.api.model import FieldSpec, FieldType, Page, Query, Record, SortKey, pages_for
from crmdesk.api.words import is_empty_date, yes_no

_NUMERIC = frozenset({FieldType.NUMBER, FieldType.CURRENCY})
_NUMBER_TEXT = re.compile(r"[^\d.eE+-]")

SortValue = tuple[int, float, str]


def sort_value(value: Any, field_type: FieldType = FieldType.TEXT) -> SortValue:
    """A key that orders values of one field sensibly: numbers as numbers, text without case.

    Keys are (group, number, text) so any two compare: group 0 holds numbers and flags, 1 text
    (and numbers that did not parse), 2 empty values, which therefore come last ascending.
    """
    if value is None or value == "" or is_empty_date(value):
        return (2, 0.0, "")
    if field_type is FieldType.BOOLEAN or isinstance(value, bool):
        answer = yes_no(value)
        if answer is not None:
            return (0, 1.0 if answer else 0.0, "")
    if field_type in _NUMERIC or isinstance(value, int | float):
        number = _as_number(value)
        if number is not None:
            return (0, number, "")
    return (1, 0.0, str(value).casefold())


def _as_number(value: Any) -> float | None:
    try:
        number = float(
            value if isinstance(value, int | float) else _NUMBER_TEXT.sub("", str(value))
        )
    except (ValueError, OverflowError):
        return None
    return None if math.isnan(number) else number


def sort_records(
    records: Sequence[Record],
    sort: SortKey,
    field_type: FieldType = FieldType.TEXT,
) -> list[Record]:
    """Records ordered by one field; ties keep id order so paging through them is stable.

    Descending is the exact reverse of ascending (empty values first), as servers do.
    """

    def key(record: Record) -> tuple[SortValue, str]:
        return (sort_value(record.values.get(sort.field), field_type), record.id)

    return sorted(records, key=key, reverse=sort.descending)


def page_locally(
    records: Sequence[Record],
    query: Query,
    *,
    fields: Mapping[str, FieldSpec] | None = None,
    paged_by_server: bool = False,
) -> Page:
    """One page of `records`, sorted as the query asks, with totals counted here.

    With `paged_by_server=True` the records are already the server's page and only the sort
    is done here (the totals are then the caller's to fill in).
    """
    ordered: Sequence[Record] = records
    if query.sort is not None:
        spec = (fields or {}).get(query.sort.field)
        ordered = sort_records(records, query.sort, spec.type if spec else FieldType.TEXT)
    if paged_by_server:
        return Page(
            records=tuple(ordered),
            page=query.page,
            page_size=query.page_size,
            total_records=None,
            total_pages=None,
            sort=query.sort,
            paged_by_server=True,
            sorted_by_server=query.sort is None,
        )
    start = (query.page - 1) * query.page_size
    return Page(
        records=tuple(ordered[start : start + query.page_size]),
        page=query.page,
        page_size=query.page_size,
        total_records=len(records),
        total_pages=pages_for(len(records), query.page_size),
        sort=query.sort,
        paged_by_server=False,
        sorted_by_server=query.sort is None,
    )


class FetchedLists:
    """Whole lists fetched for paging here, kept briefly so paging through one costs one request.

    The first page always asks the server again (it is what a refresh shows); later pages of
    the same list reuse the fetch while it is younger than `seconds`. Writes call `forget()`.
    """

    def __init__(self, seconds: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._seconds = seconds
        self._clock = clock
        self._lists: dict[Hashable, tuple[float, tuple[Record, ...]]] = {}

    async def get(
        self,
        key: Hashable,
        page: int,
        fetch: Callable[[], Awaitable[tuple[Record, ...]]],
    ) -> tuple[Record, ...]:
        kept = self._lists.get(key)
        if page > 1 and kept is not None and self._clock() - kept[0] < self._seconds:
            return kept[1]
        records = await fetch()
        self._lists[key] = (self._clock(), records)
        return records

    def forget(self, key: Hashable | None = None) -> None:
        """Drop one kept list, or all of them."""
        if key is None:
            self._lists.clear()
        else:
            self._lists.pop(key, None)
