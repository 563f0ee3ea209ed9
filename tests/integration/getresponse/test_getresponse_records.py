"""The GetResponse backend against its sandbox: listing, paging, sorting, filters and writes."""

from __future__ import annotations

import json

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, Query, SortKey
from crmdesk.sandbox import GetResponseEmulator

pytestmark = pytest.mark.asyncio
ENTITIES = ("contacts", "campaigns", "tags", "custom-fields", "imports", "gdpr-fields")


async def test_connection_test_says_it_connected(gr: Backend) -> None:
    said = await gr.test_connection()
    assert said == "Connected with the API key; the account has 60 lists."


async def test_the_api_key_goes_in_x_auth_token_and_never_in_the_exchange(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    await gr.list("contacts", Query())
    sent = emulator.requests[-1].header("X-Auth-Token")
    assert sent == f"api-key {emulator.api_key}"
    exchange = list(gr.exchange_log)[-1]
    assert emulator.api_key not in repr(exchange)


@pytest.mark.parametrize("entity", ENTITIES)
async def test_every_entity_lists_with_server_totals(gr: Backend, entity: str) -> None:
    page = await gr.list(entity, Query(page=2, page_size=25))
    assert (page.total_records, page.total_pages, len(page.records)) == (60, 3, 25)
    assert page.paged_by_server
    assert page.sorted_by_server


@pytest.mark.parametrize("entity", ENTITIES)
async def test_every_entity_gets_one_record(gr: Backend, entity: str) -> None:
    first = (await gr.list(entity, Query(page_size=1))).records[0]
    again = await gr.get(entity, first.id)
    assert again.id == first.id


async def test_a_page_past_the_end_is_empty(gr: Backend) -> None:
    page = await gr.list("tags", Query(page=9, page_size=25))
    assert page.records == ()
    assert page.total_records == 60


async def test_sorting_is_done_by_the_server(gr: Backend, emulator: GetResponseEmulator) -> None:
    query = Query(page_size=60, sort=SortKey("email", descending=True))
    page = await gr.list("contacts", query)
    emails = [r.values["email"] for r in page.records]
    assert emails == sorted(emails, key=str.casefold, reverse=True)
    assert emulator.requests[-1].query["sort[email]"] == "DESC"


async def test_only_sortable_fields_are_offered_and_others_are_refused(gr: Backend) -> None:
    sortable = {f.name for f in await gr.fields("contacts") if f.sortable}
    assert sortable == {"email", "name", "createdOn", "changedOn", "campaignId"}
    with pytest.raises(ApiError) as caught:
        await gr.list("contacts", Query(sort=SortKey("note")))
    assert caught.value.kind is ErrorKind.UNSUPPORTED


async def test_filters_become_query_parameters(gr: Backend, emulator: GetResponseEmulator) -> None:
    campaign = (await gr.list("campaigns", Query(page_size=1))).records[0].id
    page = await gr.list("contacts", Query(page_size=100, filters={"campaignId": campaign}))
    assert {r.values["campaignId"] for r in page.records} == {campaign}
    assert emulator.requests[-1].query["query[campaignId]"] == campaign


async def test_date_range_filters_use_from_and_to(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    filters = {"createdOn.from": "2024-01-01", "createdOn.to": "2024-12-31"}
    page = await gr.list("contacts", Query(page_size=100, filters=filters))
    assert all(r.values["createdOn"].startswith("2024") for r in page.records)
    assert emulator.requests[-1].query["query[createdOn][from]"] == "2024-01-01"


async def test_projection_asks_for_fields(gr: Backend, emulator: GetResponseEmulator) -> None:
    page = await gr.list("contacts", Query(page_size=3, fields=("email",)))
    assert set(page.records[0].values) == {"contactId", "email"}
    assert emulator.requests[-1].query["fields"] == "email"


async def test_creating_a_contact_is_queued_without_an_id(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    campaign = (await gr.list("campaigns", Query(page_size=1))).records[0].id
    result = await gr.create("contacts", {"email": "new.one@example.org", "campaignId": campaign})
    assert (result.queued, result.created_id) == (True, None)
    assert "queued" in result.message
    assert emulator.requests[-1].status == 202
    found = await gr.list("contacts", Query(filters={"email": "new.one@example.org"}))
    assert found.total_records == 1


async def test_creating_a_tag_returns_its_id(gr: Backend) -> None:
    result = await gr.create("tags", {"name": "fresh_tag"})
    assert result.created_id is not None
    assert (await gr.get("tags", result.created_id)).values["name"] == "fresh_tag"


async def test_update_posts_only_the_changes(gr: Backend, emulator: GetResponseEmulator) -> None:
    contact = (await gr.list("contacts", Query(page_size=1))).records[0]
    await gr.update("contacts", contact.id, {"name": "Renamed Person"})
    sent = emulator.requests[-1]
    assert (sent.method, json.loads(sent.body)) == ("POST", {"name": "Renamed Person"})
    assert (await gr.get("contacts", contact.id)).values["name"] == "Renamed Person"


async def test_update_replaces_the_tags_array_whole(gr: Backend) -> None:
    tags = [t.id for t in (await gr.list("tags", Query(page_size=2))).records]
    contact = (await gr.list("contacts", Query(page_size=1))).records[0]
    await gr.update("contacts", contact.id, {"tags": [tags[0]]})
    await gr.update("contacts", contact.id, {"tags": [tags[1]]})
    now = (await gr.get("contacts", contact.id)).values["tags"]
    assert [t["tagId"] for t in now] == [tags[1]]


async def test_add_tags_action_keeps_existing_tags(gr: Backend) -> None:
    tags = [t.id for t in (await gr.list("tags", Query(page_size=2))).records]
    contact = (await gr.list("contacts", Query(page_size=1))).records[0]
    await gr.update("contacts", contact.id, {"tags": [tags[0]]})
    result = await gr.run_action("contacts", contact.id, "add_tags", {"tags": [tags[1]]})
    assert result.message == f"Contact {contact.id} now has 2 tags."


async def test_delete_answers_204_and_the_contact_is_gone(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    contact = (await gr.list("contacts", Query(page_size=1))).records[0]
    result = await gr.delete("contacts", contact.id)
    assert result.message == f"Deleted contact {contact.id}."
    assert emulator.requests[-1].status == 204
    with pytest.raises(ApiError) as caught:
        await gr.get("contacts", contact.id)
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_read_only_entities_refuse_writes_before_the_network(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    with pytest.raises(ApiError) as caught:
        await gr.create("imports", {})
    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert emulator.requests == []


@pytest.mark.sandbox(domain="acme.example")
async def test_domain_and_time_zone_options_are_sent(
    gr: Backend, endpoint: object, emulator: GetResponseEmulator
) -> None:
    await gr.list("tags", Query())
    assert emulator.requests[-1].header("X-Domain") == "acme.example"


async def test_time_zone_option_shifts_the_dates(endpoint: object, sandbox: object) -> None:
    from crmdesk.api import open_backend
    from crmdesk.sandbox import SandboxEndpoint

    assert isinstance(endpoint, SandboxEndpoint)
    async with open_backend(
        "getresponse", endpoint.base_url, endpoint.credentials, time_zone="Asia/Tokyo"
    ) as tokyo:
        tag = (await tokyo.list("tags", Query(page_size=1))).records[0]
    assert tag.values["createdAt"].endswith("+09:00")
