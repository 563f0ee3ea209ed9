"""The Mothernode backend against its sandbox: every operation on every entity, over loopback."""

from __future__ import annotations

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, Query, SortKey
from crmdesk.sandbox import MothernodeEmulator

pytestmark = pytest.mark.asyncio

ENTITIES = ("customers", "contacts", "leads", "opportunities", "notes", "invoices")


async def test_test_connection_says_which_key_it_used(crm: Backend) -> None:
    said = await crm.test_connection()
    assert said == "Connected to Mothernode with access key MN-SANDBOX-4F2A9C."


async def test_entities_tell_the_truth(crm: Backend) -> None:
    infos = {info.name: info for info in await crm.entities()}
    assert tuple(infos) == ENTITIES
    assert not any(i.server_paging or i.server_sorting for i in infos.values())
    assert all(i.filterable for i in infos.values())
    invoices = infos["invoices"]
    assert (invoices.can_create, invoices.can_update, invoices.can_delete) == (False, False, False)
    assert [a.name for a in infos["leads"].actions] == ["make_opportunity"]
    assert crm.capabilities.server_paging is False


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
