"""Saves when the server fails, against the sandbox of every kind that can update: an injected
500, 429 or dropped connection keeps the edits pending with the error on their record; partial
success across 10 records; a cancel while a write hangs. Nothing is ever sent twice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from urllib.parse import parse_qsl

import pytest

from crmdesk.api import Backend, ErrorKind, Query
from crmdesk.editing import Outcome, PendingEdits, apply
from crmdesk.sandbox import Emulator, Fault, RecordedRequest

pytestmark = pytest.mark.asyncio
CID = "sandbox"
# The kinds whose records can be updated (NDCHost's are changed only by its order action).
UPDATABLE = ("cmdatamanager", "mothernode", "getresponse", "aicore")
# Per kind: an entity, a text field to change, and how a write of one record shows in the log.
TARGETS = {
    "cmdatamanager": ("lead", "Title"),
    "mothernode": ("contacts", "title"),
    "getresponse": ("contacts", "name"),
    "aicore": ("leads", "city"),
}


async def pending_renames(backend: Backend, api_kind: str, count: int) -> tuple[PendingEdits, list]:
    entity, field = TARGETS[api_kind]
    await backend.fields(entity)  # loaded as a browser would have, before the server fails
    records = (await backend.list(entity, Query(page_size=count))).records
    edits = PendingEdits()
    for n, record in enumerate(records):
        edits.set(CID, entity, record.id, field, record.values.get(field), f"Renamed {n}")
    return edits, [r.id for r in records]


def write_path(api_kind: str, record_id: str) -> str:
    entity, _ = TARGETS[api_kind]
    prefix = {"cmdatamanager": "/api/v1/", "getresponse": "/v3/", "mothernode": "/"}
    return f"{prefix.get(api_kind, '/')}{entity}/{record_id}" if api_kind != "aicore" else ""


def writes_of(emulator: Emulator, api_kind: str, record_id: str) -> list[RecordedRequest]:
    """The requests that carried a write of `record_id` (aicore's inside a batch)."""
    if api_kind == "aicore":
        found = []
        for request in emulator.requests:
            form = dict(parse_qsl(request.body.decode()))
            if form.get("ai_command") == "batch":
                items = json.loads(form["json"])
                if any(item.get("lead_id") == record_id for item in items):
                    found.append(request)
        return found
    path = write_path(api_kind, record_id)
    return [r for r in emulator.requests if r.method in ("PUT", "POST") and r.path == path]


def inject(emulator: Emulator, api_kind: str, fault: Fault, record_id: str, count: int = 1) -> None:
    if api_kind == "aicore":
        emulator.faults.inject(fault, count=count, path="/service", method="POST")
    else:
        emulator.faults.inject(fault, count=count, path=write_path(api_kind, record_id))


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


@pytest.mark.parametrize("api_kind", UPDATABLE, indirect=True)
async def test_a_500_keeps_the_edit_pending_with_the_servers_error(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 1)
    inject(emulator, api_kind, Fault.HTTP_500, ids[0])
    report = await apply(backend, edits, CID, TARGETS[api_kind][0])
    [result] = report.results
    assert result.outcome is Outcome.FAILED
    assert result.error is not None
    assert result.error.kind is ErrorKind.SERVER
    assert result.message == result.error.summary
    assert "HTTP 500" in result.message
    assert result.exchange is not None
    assert result.exchange.status == 500
    assert edits.count() == 1
    assert len(writes_of(emulator, api_kind, ids[0])) == 1


@pytest.mark.parametrize("api_kind", UPDATABLE, indirect=True)
async def test_a_429_that_persists_keeps_the_edit_pending_as_rate_limited(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 1)
    # Kinds that wait for the quota and send once more are refused both times.
    inject(emulator, api_kind, Fault.HTTP_429, ids[0], count=2)
    report = await apply(backend, edits, CID, TARGETS[api_kind][0])
    [result] = report.results
    assert result.outcome is Outcome.FAILED
    assert result.error is not None
    assert result.error.kind is ErrorKind.RATE_LIMITED
    assert edits.count() == 1
    assert len(writes_of(emulator, api_kind, ids[0])) <= 2


@pytest.mark.parametrize("api_kind", UPDATABLE, indirect=True)
async def test_a_dropped_connection_is_never_resent_and_the_edit_stays(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 1)
    entity, field = TARGETS[api_kind]
    before = (await backend.get(entity, ids[0])).values.get(field)
    emulator.clear_requests()
    inject(emulator, api_kind, Fault.DROP_CONNECTION, ids[0])
    report = await apply(backend, edits, CID, entity)
    [result] = report.results
    assert result.error is not None
    assert result.error.kind is ErrorKind.TRANSPORT
    # A write whose fate is unknown is read back (here: the server never got to it);
    # one the transport knows was not applied is simply failed. Neither is sent again.
    if result.error.outcome_unknown:
        assert result.outcome is Outcome.UNKNOWN
        assert "does not hold the new" in result.message
    else:
        assert result.outcome is Outcome.FAILED
    assert len(writes_of(emulator, api_kind, ids[0])) == 1
    assert edits.count() == 1
    assert (await backend.get(entity, ids[0])).values.get(field) == before


@pytest.mark.parametrize("api_kind", ["cmdatamanager", "mothernode", "getresponse"], indirect=True)
async def test_partial_success_across_ten_records(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 10)
    for record_id in (ids[2], ids[5], ids[9]):
        inject(emulator, api_kind, Fault.HTTP_500, record_id)
    entity, field = TARGETS[api_kind]
    report = await apply(backend, edits, CID, entity)
    assert [r.record_id for r in report.failed] == [ids[2], ids[5], ids[9]]
    assert len(report.saved) == 7
    assert list(edits.of_entity(CID, entity)) == [ids[2], ids[5], ids[9]]
    for n, record_id in enumerate(ids):
        value = (await backend.get(entity, record_id)).values.get(field)
        assert (value == f"Renamed {n}") is (record_id not in (ids[2], ids[5], ids[9]))


@pytest.mark.parametrize("api_kind", ["aicore"], indirect=True)
async def test_partial_success_across_ten_records_in_one_batch(
    backend: Backend, emulator: Emulator
) -> None:
    records = (await backend.list("leads", Query(page_size=10))).records
    edits = PendingEdits()
    for n, record in enumerate(records):
        # The server knows custom statuses 1 to 6: three records get one it refuses.
        loaded = record.values["custom_status"]
        status = "999" if n in (1, 4, 8) else "3" if loaded == "2" else "2"
        edits.set(CID, "leads", record.id, "custom_status", loaded, status)
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "leads")
    failed = [records[n].id for n in (1, 4, 8)]
    assert [r.record_id for r in report.failed] == failed
    assert all("Invalid custom_status: 999" in r.message for r in report.failed)
    assert len(report.saved) == 7
    assert len([r for r in emulator.requests if r.method == "POST"]) == 1
    assert list(edits.of_entity(CID, "leads")) == failed


@pytest.mark.parametrize("api_kind", ["cmdatamanager", "mothernode"], indirect=True)
async def test_a_cancel_while_a_write_hangs_reads_it_back_and_sends_nothing_more(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 3)
    entity, field = TARGETS[api_kind]
    emulator.faults.inject(Fault.HANG, path=write_path(api_kind, ids[1]), seconds=1.0)
    task = asyncio.ensure_future(apply(backend, edits, CID, entity))
    await until(lambda: any(r.fault == "HANG" for r in emulator.requests))
    task.cancel()
    report = await task
    assert report.cancelled
    assert [r.outcome for r in report.results] == [
        Outcome.SAVED,
        Outcome.UNKNOWN,  # the server had not applied it when it was read back
        Outcome.NOT_SENT,
    ]
    assert "may still be on its way to the server" in report.results[1].message
    assert writes_of(emulator, api_kind, ids[2]) == []
    assert list(edits.of_entity(CID, entity)) == [ids[1], ids[2]]
    # The hung write does land later: that is why it was called unknown, not failed.
    await asyncio.sleep(1.2)
    assert (await backend.get(entity, ids[1])).values.get(field) == "Renamed 1"
    assert len(writes_of(emulator, api_kind, ids[1])) == 1


@pytest.mark.parametrize("api_kind", ["mothernode", "getresponse"], indirect=True)
async def test_an_applied_write_whose_reply_is_cut_is_not_sent_again(
    backend: Backend, emulator: Emulator, api_kind: str
) -> None:
    edits, ids = await pending_renames(backend, api_kind, 1)
    entity, field = TARGETS[api_kind]
    inject(emulator, api_kind, Fault.MALFORMED_JSON, ids[0])
    report = await apply(backend, edits, CID, entity)
    [result] = report.results
    assert (await backend.get(entity, ids[0])).values.get(field) == "Renamed 0"
    assert len(writes_of(emulator, api_kind, ids[0])) == 1
    assert result.error is not None
    if result.error.outcome_unknown:
        # Read back, the server holds the new value: saved, and the edit leaves.
        assert result.outcome is Outcome.SAVED
        assert edits.count() == 0
    else:
        assert result.outcome is Outcome.FAILED
        assert result.error.kind is ErrorKind.PROTOCOL
