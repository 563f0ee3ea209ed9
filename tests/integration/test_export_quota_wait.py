"""An export whose page is refused for a spent quota minutes away waits for the reset through
the governor (its progress says so), then asks for the same page once more; cancelling the
wait stops the export with no file written and nothing more sent."""

from __future__ import annotations

import asyncio
import csv
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from crmdesk.api import Backend, Query, RateLimitGovernor, open_backend
from crmdesk.exporting import Column, ExportFormat, ExportProgress, ExportView, export_view
from crmdesk.sandbox import Emulator, Fault, SandboxEndpoint

pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox(records_per_entity=250)]


class FastTime:
    """A governor's clock that runs ahead by what it sleeps, so minutes pass in a moment."""

    def __init__(self) -> None:
        self.ahead = 0.0
        self.slept = 0.0

    def clock(self) -> float:
        return time.time() + self.ahead

    async def sleep(self, seconds: float) -> None:
        self.ahead += seconds
        self.slept += seconds
        await asyncio.sleep(0.005)


@pytest.fixture
def fast() -> FastTime:
    return FastTime()


@pytest_asyncio.fixture
async def patient(endpoint: SandboxEndpoint, fast: FastTime) -> AsyncIterator[Backend]:
    governor = RateLimitGovernor(clock=fast.clock, sleep=fast.sleep)
    async with open_backend(
        "cmdatamanager", endpoint.base_url, endpoint.credentials, governor=governor
    ) as opened:
        yield opened


def view() -> ExportView:
    return ExportView("lead", "Leads", (Column("id", "ExternalID"),), Query(page_size=100))


def pages_asked(emulator: Emulator) -> list[str | None]:
    return [r.query.get("page") for r in emulator.requests if r.path.endswith("/lead")]


async def test_a_spent_quota_is_waited_for_and_the_page_asked_for_once_more(
    patient: Backend, emulator: Emulator, fast: FastTime, tmp_path: Path
) -> None:
    emulator.faults.inject(Fault.HTTP_429, path="/lead", method="GET", seconds=90)
    told: list[ExportProgress] = []
    emulator.clear_requests()
    path = tmp_path / "leads.csv"
    done = await export_view(patient, view(), path, ExportFormat.CSV, on_progress=told.append)
    assert (done.records, done.pages) == (250, 3)
    with path.open(encoding="utf-8-sig", newline="") as file:
        ids = [row[0] for row in csv.reader(file)][1:]
    assert len(ids) == len(set(ids)) == 250
    assert pages_asked(emulator) == ["1", "1", "2", "3"]  # refused, then once after the wait
    assert 85 <= fast.slept <= 95  # the governor's own wait, for the reset the 429 gave
    waits = [p.waiting_until for p in told if p.waiting_until is not None]
    assert waits  # the progress said it was waiting (and until when)
    assert told[-1].waiting_until is None


async def test_cancelling_the_wait_stops_the_export_with_no_file_and_nothing_more_sent(
    endpoint: SandboxEndpoint, emulator: Emulator, tmp_path: Path
) -> None:
    held = asyncio.Event()

    async def never(seconds: float) -> None:
        held.set()
        await asyncio.Event().wait()

    governor = RateLimitGovernor(sleep=never)
    async with open_backend(
        "cmdatamanager", endpoint.base_url, endpoint.credentials, governor=governor
    ) as backend:
        emulator.faults.inject(Fault.HTTP_429, path="/lead", method="GET", seconds=300)
        emulator.clear_requests()
        path = tmp_path / "leads.csv"
        task = asyncio.ensure_future(export_view(backend, view(), path, ExportFormat.CSV))
        await asyncio.wait_for(held.wait(), 10)
        assert governor.state.waiting_until is not None
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not path.exists()
        assert os.listdir(tmp_path) == []  # nor its temporary file
        assert pages_asked(emulator) == ["1"]
        assert governor.state.waiting_until is None
