"""The CMDataManager backend against its sandbox over loopback: browsing and every operation."""

from __future__ import annotations

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, FieldType, Query, SortKey
from crmdesk.sandbox import Sandbox

pytestmark = pytest.mark.asyncio


async def test_entities_include_the_custom_one(crm: Backend) -> None:
    names = [info.name for info in await crm.entities()]
    assert names == ["account", "lead", "contact", "task", "opportunity", "subscription"]
    lead = await crm.entity("lead")
    assert [a.name for a in lead.actions] == ["convert", "add_task", "add_opportunity"]
    assert [a.name for a in (await crm.entity("task")).actions] == ["close"]


async def test_paging_walks_every_record_once(crm: Backend, sandbox: Sandbox) -> None:
    expected = sandbox.emulator("cmdatamanager").store.count("lead")
    first = await crm.list("lead", Query(page=1, page_size=25))
    assert first.total_records == expected
    assert first.total_pages == -(-expected // 25)
    seen: list[str] = []
    for page in range(1, first.total_pages + 1):
        result = await crm.list("lead", Query(page=page, page_size=25))
        assert result.paged_by_server
        assert result.sorted_by_server
        seen.extend(record.id for record in result.records)
    assert len(seen) == len(set(seen)) == expected
    assert result.is_last


async def test_a_page_past_the_end_is_empty_with_true_totals(crm: Backend) -> None:
    page = await crm.list("lead", Query(page=999, page_size=25))
    assert page.records == ()
    assert page.total_records is not None
    assert page.total_records > 0


@pytest.mark.parametrize("descending", [False, True])
async def test_server_sorts_numbers_as_numbers(crm: Backend, descending: bool) -> None:
    sort = SortKey("AnnualRevenue", descending)
    page = await crm.list("account", Query(page=1, page_size=50, sort=sort))
    values = [float(r.values["AnnualRevenue"]) for r in page.records if r.values["AnnualRevenue"]]
    assert values == sorted(values, reverse=descending)
    assert page.sort == sort


async def test_server_sorts_text_case_insensitively(crm: Backend) -> None:
    page = await crm.list("lead", Query(page=1, page_size=60, sort=SortKey("LastName")))
    names = [str(r.values["LastName"]).lower() for r in page.records]
    assert names == sorted(names)


async def test_fields_narrow_what_comes_back(crm: Backend) -> None:
    page = await crm.list("lead", Query(page=1, page_size=5, fields=("FirstName", "Email")))
    assert all(set(r.values) == {"FirstName", "Email"} for r in page.records)


async def test_field_metadata_types_and_options(crm: Backend) -> None:
    fields = {f.name: f for f in await crm.fields("lead")}
    assert fields["Status"].type is FieldType.CHOICE
    assert "Open" in fields["Status"].options
    assert fields["Email"].type is FieldType.EMAIL
    assert fields["CreatedDate"].read_only
    account = {f.name: f for f in await crm.fields("account")}
    assert account["AnnualRevenue"].type in (FieldType.CURRENCY, FieldType.NUMBER)
    contact = {f.name: f for f in await crm.fields("contact")}
    assert contact["AccountID"].relates_to == "account"


async def test_task_fields_come_from_its_records(crm: Backend) -> None:
    fields = {f.name: f for f in await crm.fields("task")}
    assert {"Subject", "Status", "DueDate"} <= set(fields)
    assert fields["DueDate"].label == "Due date"
    assert fields["Subject"].extra["inferred"] is True
    # A task's parent is whichever entity its RelatedType names.
    assert fields["RelatedTo"].related_entity({"RelatedType": "lead"}) == "lead"


async def test_create_get_update_delete_round_trip(crm: Backend) -> None:
    created = await crm.create(
        "lead",
        {
            "FirstName": "Iris",
            "LastName": "Wright",
            "Company": "Fabrikam",
            "Status": "Open",
            "Email": "iris@fabrikam.example",
        },
    )
    assert created.created_id
    record = await crm.get("lead", created.created_id)
    assert record.values["LastName"] == "Wright"
    assert record.values["CreatedDate"]
    updated = await crm.update("lead", created.created_id, {"Status": "Contacted"})
    assert updated.message == "Record updated."
    assert (await crm.get("lead", created.created_id)).values["Status"] == "Contacted"
    deleted = await crm.delete("lead", created.created_id)
    assert deleted.message == "Record deleted."
    with pytest.raises(ApiError) as caught:
        await crm.get("lead", created.created_id)
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.status == 404


async def test_invalid_values_are_rejected_in_the_servers_words(crm: Backend) -> None:
    page = await crm.list("lead", Query(page=1, page_size=1))
    lead_id = page.records[0].id
    with pytest.raises(ApiError) as caught:
        await crm.update("lead", lead_id, {"Status": "Converted?"})
    error = caught.value
    assert error.kind is ErrorKind.INVALID
    assert "Converted?" in error.message
    assert "Open" in error.message
    assert error.exchange is not None
    assert b"Converted?" in error.exchange.request_body


async def test_convert_a_lead_then_open_its_account(crm: Backend) -> None:
    page = await crm.list("lead", Query(page=1, page_size=60))
    lead = next(r for r in page.records if r.values["Status"] != "Converted")
    result = await crm.run_action("lead", lead.id, "convert")
    assert result.opens is not None
    entity, account_id = result.opens
    account = await crm.get(entity, account_id)
    assert account.values["Name"] == lead.values["Company"]
    assert (await crm.get("lead", lead.id)).values["Status"] == "Converted"
    with pytest.raises(ApiError) as caught:
        await crm.run_action("lead", lead.id, "convert")
    assert caught.value.kind is ErrorKind.INVALID
    assert "already converted" in caught.value.message


async def test_close_a_task(crm: Backend, sandbox: Sandbox) -> None:
    page = await crm.list("task", Query(page=1, page_size=1))
    task_id = page.records[0].id
    result = await crm.run_action("task", task_id, "close")
    assert result.message == "Record updated."
    assert (await crm.get("task", task_id)).values["Status"] == "Completed"
    puts = [r.path for r in sandbox.emulator("cmdatamanager").requests if r.method == "PUT"]
    assert puts == [f"/api/v1/task/close/{task_id}"]


@pytest.mark.sandbox(task_close_paths="upper")
async def test_close_falls_back_to_the_capitalised_path(crm: Backend, sandbox: Sandbox) -> None:
    page = await crm.list("task", Query(page=1, page_size=1))
    task_id = page.records[0].id
    await crm.run_action("task", task_id, "close")
    assert (await crm.get("task", task_id)).values["Status"] == "Completed"
    puts = [
        (r.path, r.status) for r in sandbox.emulator("cmdatamanager").requests if r.method == "PUT"
    ]
    assert puts == [
        (f"/api/v1/task/close/{task_id}", 404),
        (f"/api/v1/Task/Close/{task_id}", 200),
    ]


async def test_add_task_and_opportunity_to_an_account(crm: Backend) -> None:
    account = (await crm.list("account", Query(page=1, page_size=1))).records[0]
    task = await crm.run_action(
        "account",
        account.id,
        "add_task",
        {"Subject": "Call back", "Status": "Not Started", "DueDate": "2025-01-10"},
    )
    assert task.opens is not None
    assert task.opens[0] == "task"
    created_task = await crm.get("task", task.opens[1])
    assert created_task.values["RelatedTo"] == account.id
    opportunity = await crm.run_action(
        "account",
        account.id,
        "add_opportunity",
        {"Name": "Renewal", "Stage": "Prospecting", "Amount": "1200", "CloseDate": "2025-03-01"},
    )
    assert opportunity.opens is not None
    assert opportunity.opens[0] == "opportunity"


async def test_an_unknown_entity_is_refused_before_the_network(crm: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await crm.list("widgets", Query())
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert len(crm.exchange_log) == 0


async def test_more_than_the_page_size_limit_is_refused(crm: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await crm.list("lead", Query(page=1, page_size=1001))
    assert caught.value.kind is ErrorKind.UNSUPPORTED


async def test_test_connection_says_who_and_what(crm: Backend) -> None:
    message = await crm.test_connection()
    assert message.startswith("Signed in as demo@crmdesk.example")
    assert "accounts" in message
