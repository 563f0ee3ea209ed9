"""Export streams: rows are written page by page and none are kept, the quota wait is told,
and a cancelled export leaves nothing behind. Against a backend that makes records up, so
100,000 of them cost no server."""

from __future__ import annotations

import asyncio
import csv
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from crmdesk.api import FieldSpec, Page, Query, RateLimitGovernor, Record
from crmdesk.exporting import Column, ExportFormat, ExportProgress, ExportView, export_view

pytestmark = pytest.mark.asyncio

COLUMNS = tuple(Column(f"f{n}", f"Field {n}", FieldSpec(f"f{n}")) for n in range(8))


class MadeUpBackend:
    """The two parts of a Backend an export uses: `list` and the rate-limit `governor`."""

    def __init__(self, total: int, *, quota_spent_at_page: int | None = None) -> None:
        self.total = total
        self.pages_asked: list[int] = []
        self._spent_at = quota_spent_at_page
        self.governor = RateLimitGovernor(sleep=lambda _seconds: asyncio.sleep(0.01))
        self.gate: asyncio.Event | None = None

    async def list(self, entity: str, query: Query) -> Page:
        self.pages_asked.append(query.page)
        if query.page == self._spent_at:
            self.governor.exhausted(time.time() + 30)
        async with self.governor.slot():
            if self.gate is not None and query.page > 1:
                await self.gate.wait()
            start = (query.page - 1) * query.page_size
            count = max(0, min(query.page_size, self.total - start))
            records = tuple(
                Record(str(n), {f"f{c}": f"value {n}.{c} " * 3 for c in range(8)})
                for n in range(start, start + count)
            )
        pages = -(-self.total // query.page_size)
        return Page(records, query.page, query.page_size, self.total, pages)


def _view() -> ExportView:
    return ExportView("things", "Things", COLUMNS, Query(page_size=1000))


async def _peak_while_exporting(total: int, target: Path) -> int:
    tracemalloc.start()
    try:
        await export_view(MadeUpBackend(total), _view(), target, ExportFormat.CSV)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_memory_does_not_grow_with_the_number_of_records(tmp_path: Path) -> None:
    small = await _peak_while_exporting(2_000, tmp_path / "small.csv")
    large = await _peak_while_exporting(20_000, tmp_path / "large.csv")
    # Ten times the records: the peak is that of a page or two either way.
    assert large < small * 1.5 + 512 * 1024, (small, large)
    with (tmp_path / "large.csv").open(encoding="utf-8-sig", newline="") as file:
        assert sum(1 for _ in csv.reader(file)) == 20_001


async def test_progress_counts_records_and_pages_and_says_when_the_quota_is_waited_for(
    tmp_path: Path,
) -> None:
    seen: list[ExportProgress] = []
    backend = MadeUpBackend(3_500, quota_spent_at_page=3)
    done = await export_view(
        backend, _view(), tmp_path / "x.json", ExportFormat.JSON, on_progress=seen.append
    )
    assert (done.records, done.pages) == (3_500, 4)
    counted = [(p.records, p.pages) for p in seen if p.waiting_until is None]
    assert counted[-1] == (3_500, 4)
    assert (1_000, 1) in counted
    assert any(p.waiting_until is not None for p in seen)
    assert seen[-1].total_records == 3_500
    assert seen[-1].total_pages == 4


async def test_a_cancelled_export_leaves_no_file_under_the_chosen_name(tmp_path: Path) -> None:
    backend = MadeUpBackend(10_000)
    backend.gate = asyncio.Event()  # page 2 never comes
    target = tmp_path / "leads.xlsx"
    first_page = asyncio.Event()
    task = asyncio.ensure_future(
        export_view(
            backend, _view(), target, ExportFormat.XLSX, on_progress=lambda _p: first_page.set()
        )
    )
    await first_page.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert os.listdir(tmp_path) == []


async def test_a_failed_export_keeps_an_older_file_of_that_name(tmp_path: Path) -> None:
    class Failing(MadeUpBackend):
        async def list(self, entity: str, query: Query) -> Page:
            if query.page == 2:
                raise RuntimeError("the server went away")
            return await super().list(entity, query)

    target = tmp_path / "leads.csv"
    target.write_text("yesterday's export")
    with pytest.raises(RuntimeError):
        await export_view(Failing(5_000), _view(), target, ExportFormat.CSV)
    assert target.stat().st_size == len("yesterday's export")
    assert os.listdir(tmp_path) == ["leads.csv"]
