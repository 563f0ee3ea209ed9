"""The Mothernode backend against its sandbox: every operation on every entity, over loopback."""

from __future__ import annotations

import json

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, Query, SortKey
from crmdesk.sandbox import MothernodeEmulator, SandboxEndpoint

pytestmark = pytest.mark.asyncio

ENTITIES = ("customers", "contacts", "leads", "opportunities", "notes", "invoices")


async def test_test_connection_never_shows_the_access_key(
    crm: Backend, endpoint: SandboxEndpoint
) -> None:
    said = await crm.test_connection()
    assert said == "Connected to Mothernode at 127.0.0.1: the access key and API password work."
    assert endpoint.credentials["access_key"] not in said


async def test_entities_tell_the_truth(crm: Backend) -> None:
    infos = {info.name: info for info in await crm.entities()}
    assert tuple(infos) == ENTITIES
    assert not any(i.server_paging or i.server_sorting for i in infos.values())
    assert all(i.filterable for i in infos.values())
    invoices = infos["invoices"]
    assert (invoices.can_create, invoices.can_update, invoices.can_delete) == (False, False, False)
    # The invoice number is the id and a field at once: one column, not two.
    assert invoices.id_field == "invoice_number"
    assert [a.name for a in infos["leads"].actions] == ["make_opportunity"]
    assert not any(info.server_paging or info.server_sorting for info in infos.values())


@pytest.mark.parametrize("entity", ENTITIES)
async def test_every_entity_lists_a_page_paged_and_sorted_locally(
    crm: Backend, entity: str
) -> None:
    page = await crm.list(entity, Query(page=1, page_size=10))
    assert len(page.records) == 10
    assert page.total_records is not None
    assert page.total_pages == -(-page.total_records // 10)
    assert (page.paged_by_server, page.sorted_by_server) == (False, True)
    fields = {spec.name for spec in await crm.fields(entity)}
    assert set(page.records[0].values) <= fields


async def test_leads_and_opportunities_split_the_leads_by_flag(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    leads = await crm.list("leads", Query(page_size=1000))
    opportunities = await crm.list("opportunities", Query(page_size=1000))
    flags = {r.values["is_opportunity"] for r in leads.records}
    assert flags == {"0"}
    assert {r.values["is_opportunity"] for r in opportunities.records} == {"1"}
    assert len(leads.records) + len(opportunities.records) == 60
    assert emulator.requests[-1].query == {"is_opportunity": "1"}


async def test_sorting_is_done_locally_and_said(crm: Backend) -> None:
    page = await crm.list("contacts", Query(page_size=60, sort=SortKey("last_name")))
    names = [str(r.values["last_name"]).casefold() for r in page.records]
    assert names == sorted(names)
    assert page.sorted_by_server is False
    down = await crm.list("invoices", Query(page_size=5, sort=SortKey("quote_total", True)))
    totals = [float(r.values["quote_total"]) for r in down.records]
    assert totals == sorted(totals, reverse=True)


async def test_filters_go_to_the_server_as_field_equals_value(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    wanted = next(iter(emulator.store.records("contacts").values()))
    page = await crm.list("contacts", Query(filters={"email": wanted["email"]}))
    assert [r.id for r in page.records] == [wanted["contact_id"]]
    assert emulator.requests[-1].query == {"email": wanted["email"]}


async def test_later_pages_reuse_the_fetch_of_page_one(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    first = await crm.list("notes", Query(page=1, page_size=20))
    second = await crm.list("notes", Query(page=2, page_size=20))
    assert {r.id for r in first.records}.isdisjoint(r.id for r in second.records)
    assert len(emulator.requests) == 1
    await crm.create("notes", {"ref_id": "x", "ref_type": "client", "ref_msg": "Hi"})
    third = await crm.list("notes", Query(page=3, page_size=20))
    assert third.total_records == 61  # the write dropped the cached list
    assert len(emulator.requests) == 3


async def test_zero_dates_read_as_empty(crm: Backend, emulator: MothernodeEmulator) -> None:
    leads = emulator.store.records("leads").values()
    plain = next(lead for lead in leads if lead["is_opportunity"] == "0")
    assert plain["o_close_date"] == "0000-00-00"
    record = await crm.get("leads", plain["lead_id"])
    assert record.values["o_close_date"] is None
    notes = await crm.list("notes", Query(page_size=60))
    starts = [r.values["event_start_date"] for r in notes.records]
    assert None in starts
    assert not any(isinstance(s, str) and s.startswith("0000") for s in starts)


async def test_get_reads_the_singular_root_and_embedded_contacts(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    customer_id = next(iter(emulator.store.records("customers")))
    record = await crm.get("customers", customer_id)
    assert record.id == customer_id
    assert isinstance(record.values["contacts"], list)
    assert emulator.requests[-1].path == f"/customers/{customer_id}"


async def test_invoices_are_keyed_by_number_with_their_lines(crm: Backend) -> None:
    page = await crm.list("invoices", Query(page_size=5))
    first = page.records[0]
    assert first.id == first.values["invoice_number"] == "10000"
    assert first.values["detail"][0]["line_number"] == "1"
    again = await crm.get("invoices", first.id)
    assert again.values == first.values


async def test_create_update_delete_a_contact(crm: Backend, emulator: MothernodeEmulator) -> None:
    created = await crm.create(
        "contacts",
        {"first_name": "Ada", "last_name": "Byron", "do_not_call": True, "birthday": None},
    )
    assert created.created_id is not None
    sent = emulator.requests[-1]
    assert (sent.method, sent.path, sent.status) == ("POST", "/contacts", 201)
    assert json.loads(sent.body) == {
        "contact": {"first_name": "Ada", "last_name": "Byron", "do_not_call": "1", "birthday": ""}
    }
    stored = emulator.store.get("contacts", created.created_id)
    assert stored is not None
    assert (stored["do_not_call"], stored["birthday"]) == ("1", "0000-00-00")

    saved = await crm.update("contacts", created.created_id, {"title": "Countess"})
    assert saved.message == f"Saved contact {created.created_id}."
    assert (await crm.get("contacts", created.created_id)).values["title"] == "Countess"

    deleted = await crm.delete("contacts", created.created_id)
    assert deleted.message == f"Deleted contact {created.created_id}."
    assert emulator.requests[-1].status == 204
    with pytest.raises(ApiError) as caught:
        await crm.get("contacts", created.created_id)
    assert caught.value.kind is ErrorKind.NOT_FOUND


@pytest.mark.parametrize(
    ("entity", "values"),
    [
        ("customers", {"company_name": "Acme Signs LLC", "city": "Waco"}),
        ("leads", {"l_working_title": "New sign", "o_project_cost": 1250}),
        ("notes", {"ref_id": "c-1", "ref_type": "contact", "ref_msg": "Call", "is_all_day": 1}),
    ],
)
async def test_create_on_other_entities(
    crm: Backend, entity: str, values: dict[str, object]
) -> None:
    created = await crm.create(entity, values)
    assert created.created_id is not None
    record = await crm.get(entity, created.created_id)
    assert all(str(record.values[k]) in (str(v), f"{v}.00") for k, v in values.items())


async def test_creating_an_opportunity_sets_the_flag(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    created = await crm.create("opportunities", {"l_working_title": "Pylon sign"})
    assert created.created_id is not None
    assert json.loads(emulator.requests[-1].body)["lead"]["is_opportunity"] == "1"
    record = await crm.get("opportunities", created.created_id)
    assert record.values["is_opportunity"] == "1"
    with pytest.raises(ApiError) as caught:
        await crm.get("leads", created.created_id)
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_make_opportunity_moves_a_lead(crm: Backend, emulator: MothernodeEmulator) -> None:
    lead = next(r for r in emulator.store.records("leads").values() if r["is_opportunity"] == "0")
    result = await crm.run_action("leads", lead["lead_id"], "make_opportunity")
    assert result.opens == ("opportunities", lead["lead_id"])
    opportunities = await crm.list("opportunities", Query(page_size=1000))
    assert lead["lead_id"] in {r.id for r in opportunities.records}


async def test_invoices_cannot_be_written(crm: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await crm.create("invoices", {"company_name": "x"})
    assert caught.value.kind is ErrorKind.UNSUPPORTED
