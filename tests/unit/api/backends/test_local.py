"""Local paging and sorting, for APIs that do neither."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmdesk.api import FieldSpec, FieldType, Query, Record, SortKey
from crmdesk.api.backends.local import FetchedLists, page_locally, sort_records


def records(values: list[object], field: str = "v") -> list[Record]:
    return [Record(f"{i:04d}", {field: v}) for i, v in enumerate(values)]


def test_numbers_sort_as_numbers_and_empty_values_last() -> None:
    rows = records(["100", "9", "", "12,500.00", None, "0000-00-00"])
    ordered = sort_records(rows, SortKey("v"), FieldType.CURRENCY)
    assert [r.values["v"] for r in ordered][:3] == ["9", "100", "12,500.00"]
    assert {r.values["v"] for r in ordered[3:]} == {"", None, "0000-00-00"}


def test_descending_is_the_exact_reverse() -> None:
    rows = records(["b", "A", "", "c"])
    up = sort_records(rows, SortKey("v"))
    down = sort_records(rows, SortKey("v", descending=True))
    assert [r.id for r in down] == [r.id for r in reversed(up)]
    assert [r.values["v"] for r in up] == ["A", "b", "c", ""]


def test_page_locally_counts_and_slices() -> None:
    rows = records(list(range(23)))
    page = page_locally(rows, Query(page=3, page_size=10))
    assert [r.values["v"] for r in page.records] == [20, 21, 22]
    assert (page.total_records, page.total_pages) == (23, 3)
    assert not page.paged_by_server
    assert page.is_last


def test_sorted_locally_is_reported() -> None:
    rows = records([3, 1, 2])
    fields = {"v": FieldSpec("v", type=FieldType.NUMBER)}
    page = page_locally(rows, Query(sort=SortKey("v")), fields=fields)
    assert [r.values["v"] for r in page.records] == [1, 2, 3]
    assert not page.sorted_by_server


def test_a_server_page_is_only_sorted() -> None:
    rows = records(["b", "a"])
    page = page_locally(rows, Query(page=4, page_size=2, sort=SortKey("v")), paged_by_server=True)
    assert [r.values["v"] for r in page.records] == ["a", "b"]
    assert page.paged_by_server
    assert not page.sorted_by_server
    assert page.page == 4


@given(st.lists(st.one_of(st.none(), st.text(max_size=5), st.integers(), st.floats())))
def test_sorting_never_fails_on_mixed_values(values: list[object]) -> None:
    for field_type in FieldType:
        assert len(sort_records(records(values), SortKey("v"), field_type)) == len(values)


@pytest.mark.asyncio
async def test_fetched_lists_reuse_a_fetch_for_later_pages_only() -> None:
    now = [0.0]
    lists = FetchedLists(seconds=30.0, clock=lambda: now[0])
    fetches = 0

    async def fetch() -> tuple[Record, ...]:
        nonlocal fetches
        fetches += 1
        return tuple(records([fetches]))

    assert (await lists.get("leads", 1, fetch))[0].values["v"] == 1
    assert (await lists.get("leads", 2, fetch))[0].values["v"] == 1  # reused
    assert (await lists.get("leads", 1, fetch))[0].values["v"] == 2  # page 1 asks again
    now[0] = 31.0
    assert (await lists.get("leads", 3, fetch))[0].values["v"] == 3  # too old
    lists.forget("leads")
    assert (await lists.get("leads", 2, fetch))[0].values["v"] == 4  # forgotten
