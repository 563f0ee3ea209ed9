"""Edit → review → save against the sandbox of every kind: the body each kind puts on the wire,
read from the emulator's request log, is the one the review showed, and the server holds it."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import pytest

from crmdesk.api import Backend, Query
from crmdesk.editing import ChangeLog, Outcome, PendingEdits, apply, parse_value, review
from crmdesk.sandbox import Emulator, RecordedRequest

pytestmark = pytest.mark.asyncio
CID = "sandbox"


async def edit(
    backend: Backend, edits: PendingEdits, entity: str, record_id: str, typed: dict[str, Any]
) -> None:
    """Type values into fields as the grid would: parsed against the field and loaded value."""
    record = await backend.get(entity, record_id)
    specs = {spec.name: spec for spec in await backend.fields(entity)}
    for name, raw in typed.items():
        old = record.values.get(name)
        edits.set(CID, entity, record_id, name, old, parse_value(specs[name], raw, like=old))


def writes(emulator: Emulator) -> list[RecordedRequest]:
    return [r for r in emulator.requests if r.method in ("POST", "PUT", "DELETE")]


async def first_id(backend: Backend, entity: str) -> str:
    return (await backend.list(entity, Query(page_size=1))).records[0].id


@pytest.mark.parametrize("api_kind", ["cmdatamanager"], indirect=True)
async def test_cmdatamanager_puts_a_flat_map(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    edits = PendingEdits()
    lead = await first_id(backend, "lead")
    loaded = (await backend.get("lead", lead)).values
    status = "Qualified" if loaded["Status"] != "Qualified" else "Contacted"
    await edit(backend, edits, "lead", lead, {"Title": "Head of Ops", "Status": status.lower()})
    [planned] = await review(backend, edits, CID, "lead")
    assert planned.request is not None
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "lead", changelog=changelog)
    [sent] = writes(emulator)
    assert (sent.method, sent.path) == ("PUT", f"/api/v1/lead/{lead}")
    assert json.loads(sent.body) == {"Title": "Head of Ops", "Status": status}
    assert sent.body.decode() == planned.request.body
    assert report.results[0].outcome is Outcome.SAVED
    assert report.results[0].message == "Record updated."
    assert report.results[0].exchange is not None
    assert report.results[0].exchange.method == "PUT"
    values = (await backend.get("lead", lead)).values
    assert (values["Title"], values["Status"]) == ("Head of Ops", status)
    assert edits.count() == 0
    assert {c.field for c in await changelog.changes(record_id=lead)} == {"Title", "Status"}


@pytest.mark.parametrize("api_kind", ["mothernode"], indirect=True)
async def test_mothernode_wraps_the_body_in_the_singular_and_sends_flags_as_1_0(
    backend: Backend, emulator: Emulator
) -> None:
    edits = PendingEdits()
    contact = await first_id(backend, "contacts")
    original = (await backend.get("contacts", contact)).values
    flag = "no" if original["do_not_call"] == "1" else "yes"
    await edit(backend, edits, "contacts", contact, {"title": "CFO", "do_not_call": flag})
    [planned] = await review(backend, edits, CID, "contacts")
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "contacts")
    [sent] = writes(emulator)
    wanted_flag = "0" if flag == "no" else "1"
    assert (sent.method, sent.path) == ("PUT", f"/contacts/{contact}")
    assert json.loads(sent.body) == {"contact": {"title": "CFO", "do_not_call": wanted_flag}}
    assert planned.request is not None
    assert sent.body.decode() == planned.request.body
    assert report.results[0].outcome is Outcome.SAVED
    assert (await backend.get("contacts", contact)).values["do_not_call"] == wanted_flag


@pytest.mark.parametrize("api_kind", ["getresponse"], indirect=True)
async def test_getresponse_posts_only_what_changed_and_arrays_whole(
    backend: Backend, emulator: Emulator
) -> None:
    edits = PendingEdits()
    contact = await first_id(backend, "contacts")
    loaded = (await backend.get("contacts", contact)).values
    tags = [tag.id for tag in (await backend.list("tags", Query(page_size=3))).records]
    await edit(backend, edits, "contacts", contact, {"name": "Ann Lee", "scoring": "42"})
    # A tag picker hands over the whole new list of tag ids.
    edits.set(CID, "contacts", contact, "tags", loaded.get("tags"), tags)
    [planned] = await review(backend, edits, CID, "contacts")
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "contacts")
    [sent] = writes(emulator)
    assert (sent.method, sent.path) == ("POST", f"/v3/contacts/{contact}")
    assert json.loads(sent.body) == {
        "name": "Ann Lee",
        "scoring": 42,
        "tags": [{"tagId": tag} for tag in tags],
    }
    assert planned.request is not None
    assert sent.body.decode() == planned.request.body
    assert report.results[0].outcome is Outcome.SAVED
    after = (await backend.get("contacts", contact)).values
    assert [t["tagId"] for t in after["tags"]] == tags


@pytest.mark.parametrize("api_kind", ["aicore"], indirect=True)
async def test_aicore_sends_lead_set_in_a_batch_with_yes_no(
    backend: Backend, emulator: Emulator
) -> None:
    edits = PendingEdits()
    flags = {}
    for lead in ("1001", "1002"):
        loaded = (await backend.get("leads", lead)).values
        flags[lead] = "N" if loaded["ok_to_text"] == "Y" else "Y"
    await edit(backend, edits, "leads", "1001", {"first_name": "Zed", "ok_to_text": flags["1001"]})
    await edit(backend, edits, "leads", "1002", {"city": "Dayton", "ok_to_text": flags["1002"]})
    words = {"Y": "Yes", "N": "No"}
    planned = await review(backend, edits, CID, "leads")
    assert all(p.in_bulk for p in planned)
    assert planned[0].request is not None
    assert planned[0].request.body == (
        "ai_login_id=sandbox-api&ai_login_password=[REDACTED]&ai_command=lead_set"
        f"&mode=update&lead_id=1001&first_name=Zed&ok_to_text={words[flags['1001']]}"
    )
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "leads")
    [sent] = writes(emulator)
    form = dict(parse_qsl(sent.body.decode()))
    assert form["ai_command"] == "batch"
    assert json.loads(form["json"]) == [
        {
            "ai_command": "lead_set",
            "mode": "update",
            "lead_id": "1001",
            "first_name": "Zed",
            "ok_to_text": words[flags["1001"]],
        },
        {
            "ai_command": "lead_set",
            "mode": "update",
            "lead_id": "1002",
            "city": "Dayton",
            "ok_to_text": words[flags["1002"]],
        },
    ]
    # The review's per-record request holds the same fields as its batch item.
    planned_form = dict(parse_qsl(planned[0].request.body))
    for secret in ("ai_login_id", "ai_login_password"):
        planned_form.pop(secret)
    assert planned_form == json.loads(form["json"])[0]
    assert [r.outcome for r in report.results] == [Outcome.SAVED, Outcome.SAVED]
    assert (await backend.get("leads", "1002")).values["ok_to_text"] == flags["1002"]


@pytest.mark.parametrize("api_kind", ["ndchost"], indirect=True)
async def test_ndchost_records_are_not_editable_and_nothing_is_sent(
    backend: Backend, emulator: Emulator
) -> None:
    edits = PendingEdits()
    license_id = await first_id(backend, "licenses")
    edits.set(CID, "licenses", license_id, "ip", "10.0.0.1", "10.0.0.2")
    [planned] = await review(backend, edits, CID, "licenses")
    assert planned.request is None
    assert planned.problem is not None
    emulator.clear_requests()
    report = await apply(backend, edits, CID, "licenses")
    assert report.results[0].outcome is Outcome.FAILED
    assert report.results[0].message.startswith("Not sent: ")
    assert emulator.requests == []
    assert edits.count() == 1
