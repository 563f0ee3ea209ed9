"""Creates, deletes, actions and undo against the sandbox: what goes on the wire, what the
result says, what the change log keeps and what undo can and cannot take back."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

import pytest

from crmdesk.api import Backend, Query
from crmdesk.editing import (
    ChangeLog,
    Outcome,
    PendingEdits,
    SaveReport,
    apply,
    create_record,
    delete_record,
    run_record_action,
    undo_last_save,
)
from crmdesk.sandbox import Emulator, RecordedRequest

pytestmark = pytest.mark.asyncio
CID = "sandbox"


def writes(emulator: Emulator) -> list[RecordedRequest]:
    """What changed something: not logins, and for aicore (all POSTs) only its writes."""
    return [
        r
        for r in emulator.requests
        if r.method in ("POST", "PUT", "DELETE")
        and not r.path.endswith("/authenticate")
        and b"ai_command=leads_get" not in r.body
    ]


@pytest.mark.parametrize("api_kind", ["cmdatamanager"], indirect=True)
async def test_a_create_checks_required_fields_first_and_reports_the_new_id(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    emulator.clear_requests()
    refused = await create_record(backend, CID, "lead", {"FirstName": "Ann"}, changelog)
    assert refused.outcome is Outcome.FAILED
    assert refused.message == "Not sent: fill in the required fields first: Last name, Company."
    assert writes(emulator) == []
    made = await create_record(
        backend, CID, "lead", {"LastName": "Lee", "Company": "Acme"}, changelog
    )
    assert made.outcome is Outcome.SAVED
    assert made.created_id is not None
    assert made.opens == ("lead", made.created_id)
    [sent] = writes(emulator)
    assert (sent.method, sent.path) == ("POST", "/api/v1/lead")
    assert json.loads(sent.body) == {"LastName": "Lee", "Company": "Acme"}
    assert (await backend.get("lead", made.created_id)).values["Company"] == "Acme"
    # Undo deletes what the create made.
    undone = await undo_last_save(backend, changelog, CID)
    assert isinstance(undone, SaveReport)
    assert undone.results[0].outcome is Outcome.SAVED
    assert writes(emulator)[-1].method == "DELETE"
    assert writes(emulator)[-1].path == f"/api/v1/lead/{made.created_id}"


@pytest.mark.parametrize("api_kind", ["getresponse"], indirect=True)
async def test_a_getresponse_contact_create_is_queued_without_an_id(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    campaign = (await backend.list("campaigns", Query(page_size=1))).records[0].id
    values = {"email": "new.person@example.com", "campaignId": campaign}
    result = await create_record(backend, CID, "contacts", values, changelog)
    assert result.outcome is Outcome.QUEUED
    assert (result.record_id, result.created_id, result.opens) == ("", None, None)
    assert "will appear when GetResponse has processed it" in result.message
    [sent] = writes(emulator)
    assert sent.status == 202
    assert json.loads(sent.body) == {
        "email": "new.person@example.com",
        "campaign": {"campaignId": campaign},
    }
    [change] = await changelog.changes()
    assert (change.kind, change.outcome, change.undoable) == ("create", "queued", False)
    why = await undo_last_save(backend, changelog, CID)
    assert isinstance(why, str)
    assert "queued without an id" in why


@pytest.mark.parametrize("api_kind", ["mothernode"], indirect=True)
async def test_a_delete_is_reported_like_a_save_and_cannot_be_undone(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    record = (await backend.list("notes", Query(page_size=1))).records[0]
    result = await delete_record(
        backend, CID, "notes", record.id, before=record.values, changelog=changelog
    )
    assert result.outcome is Outcome.SAVED
    assert result.message == f"Deleted note {record.id}."
    assert writes(emulator)[-1].method == "DELETE"
    assert record.id not in emulator.store.records("notes")
    [change] = await changelog.changes()
    assert change.before["ref_msg"] == record.values["ref_msg"]
    why = await undo_last_save(backend, changelog, CID)
    assert isinstance(why, str)
    assert why.startswith(f"The last change deleted record {record.id} from Notes and events")


@pytest.mark.parametrize("api_kind", ["mothernode"], indirect=True)
async def test_undo_of_a_save_sends_the_old_values_and_is_logged(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    record = (await backend.list("customers", Query(page_size=1))).records[0]
    edits = PendingEdits()
    edits.set(CID, "customers", record.id, "city", record.values["city"], "Springfield")
    await apply(backend, edits, CID, "customers", changelog=changelog)
    undone = await undo_last_save(backend, changelog, CID)
    assert isinstance(undone, SaveReport)
    assert undone.results[0].outcome is Outcome.SAVED
    sent = writes(emulator)[-1]
    assert json.loads(sent.body) == {"customer": {"city": record.values["city"]}}
    assert (await backend.get("customers", record.id)).values["city"] == record.values["city"]
    kinds = [(c.after, c.undoes is not None, c.undone) for c in await changelog.changes()]
    assert kinds == [(record.values["city"], True, False), ("Springfield", False, True)]


@pytest.mark.parametrize("api_kind", ["cmdatamanager"], indirect=True)
async def test_convert_close_and_add_task_are_recorded_and_convert_cannot_be_undone(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    lead = (await backend.list("lead", Query(page_size=50))).records
    open_lead = next(r for r in lead if r.values["Status"] != "Converted")
    converted = await run_record_action(
        backend, CID, "lead", open_lead.id, "convert", changelog=changelog
    )
    assert converted.outcome is Outcome.SAVED
    assert converted.opens is not None
    assert converted.opens[0] == "account"
    assert writes(emulator)[-1].path == f"/api/v1/lead/convert/{open_lead.id}"
    assert await undo_last_save(backend, changelog, CID) == (
        f"Convert lead on {open_lead.id} cannot be undone."
    )
    task = (await backend.list("task", Query(page_size=50))).records
    open_task = next(r for r in task if r.values["Status"] != "Completed")
    closed = await run_record_action(backend, CID, "task", open_task.id, "close")
    assert closed.outcome is Outcome.SAVED
    assert (await backend.get("task", open_task.id)).values["Status"] == "Completed"
    added = await run_record_action(
        backend, CID, "account", converted.opens[1], "add_task", {"Subject": "Call back"}
    )
    assert added.outcome is Outcome.SAVED
    assert added.opens == ("task", added.created_id)
    refused = await run_record_action(backend, CID, "account", converted.opens[1], "add_task")
    assert refused.outcome is Outcome.FAILED
    assert "Subject" in refused.message  # the server's words


@pytest.mark.parametrize("api_kind", ["aicore"], indirect=True)
async def test_a_lead_status_change_is_undone_with_the_status_it_replaced(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    before = (await backend.get("leads", "1003")).values["status"]
    new = "2" if before != "2" else "3"
    result = await run_record_action(
        backend, CID, "leads", "1003", "set_status", {"status": new}, changelog=changelog
    )
    assert result.outcome is Outcome.SAVED
    assert (await backend.get("leads", "1003")).values["status"] == new
    undone = await undo_last_save(backend, changelog, CID)
    assert isinstance(undone, SaveReport)
    assert undone.results[0].outcome is Outcome.SAVED
    assert (await backend.get("leads", "1003")).values["status"] == before
    undo = dict(parse_qsl(writes(emulator)[-1].body.decode()))
    assert (undo["ai_command"], undo["lead_id"], undo["status"]) == ("lead_set", "1003", before)


@pytest.mark.parametrize("api_kind", ["ndchost"], indirect=True)
async def test_a_license_order_is_priced_first_and_cannot_be_undone(
    backend: Backend, emulator: Emulator, changelog: ChangeLog
) -> None:
    product = next(
        key for key, p in emulator.account.products.items() if p["autosetup"] == "payment"
    )
    cycle = next(iter(emulator.account.products[product]["pricing"]))
    args = {"ip": "198.51.100.40", "billingcycle": cycle}
    preview = await backend.preview_action("products", product, "order", args)
    assert preview.cost is not None
    missing = await run_record_action(backend, CID, "products", product, "order", {"ip": "1.2.3.4"})
    assert missing.message == "Not sent: fill in Billing cycle first."
    result = await run_record_action(
        backend, CID, "products", product, "order", args, changelog=changelog
    )
    assert result.outcome is Outcome.QUEUED  # placed, awaiting payment
    assert preview.cost in result.message
    assert sum(1 for r in emulator.requests if b"apifunction=order" in r.body) == 1
    why = await undo_last_save(backend, changelog, CID)
    assert why == f"Order license on {product} cannot be undone."
