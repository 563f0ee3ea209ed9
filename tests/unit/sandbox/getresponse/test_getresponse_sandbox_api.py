"""The GetResponse emulator driven with plain httpx: paging headers, sorting, filters, writes,
errors and limits, as the docs describe them."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from crmdesk.sandbox import Fault, GetResponseEmulator

pytestmark = pytest.mark.asyncio


async def test_lists_carry_paging_and_rate_limit_headers(api: httpx.AsyncClient) -> None:
    reply = await api.get("contacts", params={"page": 2, "perPage": 20})
    headers = {k: reply.headers[k] for k in ("TotalCount", "TotalPages", "CurrentPage")}
    assert headers == {"TotalCount": "50", "TotalPages": "3", "CurrentPage": "2"}
    assert reply.headers["X-RateLimit-Reset"].endswith(" seconds")
    assert len(reply.json()) == 20


async def test_past_the_end_is_an_empty_array(api: httpx.AsyncClient) -> None:
    reply = await api.get("tags", params={"page": 99})
    assert (reply.status_code, reply.json()) == (200, [])


async def test_paging_is_lenient_like_the_live_api(api: httpx.AsyncClient) -> None:
    reply = await api.get("tags", params={"perPage": "zero", "page": "0"})
    assert (reply.status_code, reply.headers["CurrentPage"], len(reply.json())) == (200, "1", 50)


async def test_sorting_on_a_sortable_field(api: httpx.AsyncClient) -> None:
    reply = await api.get("tags", params={"sort[name]": "DESC", "perPage": 50})
    names = [t["name"] for t in reply.json()]
    assert names == sorted(names, key=str.casefold, reverse=True)


async def test_sorting_on_another_field_is_a_400(api: httpx.AsyncClient) -> None:
    reply = await api.get("contacts", params={"sort[note]": "ASC"})
    assert (reply.status_code, reply.json()["code"]) == (400, 1000)


async def test_an_unknown_query_filter_is_a_400(api: httpx.AsyncClient) -> None:
    reply = await api.get("contacts", params={"query[colour]": "red"})
    body = reply.json()
    assert (reply.status_code, body["context"]["fieldName"]) == (400, "colour")


async def test_name_filter_is_like_unless_exact_match(api: httpx.AsyncClient) -> None:
    some = (await api.get("contacts", params={"perPage": 1})).json()[0]
    first = some["name"].split()[0]
    like = await api.get("contacts", params={"query[name]": first.lower()})
    exact = await api.get(
        "contacts", params={"query[name]": first, "additionalFlags": "exactMatch"}
    )
    assert int(like.headers["TotalCount"]) >= 1
    assert exact.json() == []


async def test_fields_projects_and_keeps_the_id(api: httpx.AsyncClient) -> None:
    reply = await api.get("contacts", params={"fields": "email", "perPage": 1})
    assert set(reply.json()[0]) == {"contactId", "email"}


async def test_lists_leave_out_tags_and_custom_fields(api: httpx.AsyncClient) -> None:
    listed = (await api.get("contacts", params={"perPage": 1})).json()[0]
    detail = (await api.get(f"contacts/{listed['contactId']}")).json()
    assert "tags" not in listed
    assert {"tags", "customFieldValues", "geolocation"} <= set(detail)


async def test_contact_create_is_202_with_no_body(api: httpx.AsyncClient) -> None:
    campaign = (await api.get("campaigns", params={"perPage": 1})).json()[0]["campaignId"]
    body = {"email": "queued@example.org", "campaign": {"campaignId": campaign}}
    reply = await api.post("contacts", json=body)
    assert (reply.status_code, reply.content) == (202, b"")


async def test_post_to_an_id_updates_and_delete_is_204(api: httpx.AsyncClient) -> None:
    tag = (await api.get("tags", params={"perPage": 1})).json()[0]
    renamed = await api.post(f"tags/{tag['tagId']}", json={"name": "renamed_tag"})
    deleted = await api.delete(f"tags/{tag['tagId']}")
    gone = await api.get(f"tags/{tag['tagId']}")
    assert (renamed.status_code, renamed.json()["name"]) == (200, "renamed_tag")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (gone.status_code, gone.json()["code"]) == (404, 1013)


async def test_read_only_resources_have_no_writes(api: httpx.AsyncClient) -> None:
    imports = (await api.get("imports", params={"perPage": 1})).json()[0]
    reply = await api.delete(f"imports/{imports['importId']}")
    assert reply.status_code == 405


async def test_the_key_must_carry_the_api_key_prefix(
    api: httpx.AsyncClient, emulator: GetResponseEmulator
) -> None:
    reply = await api.get("tags", headers={"X-Auth-Token": emulator.api_key})
    assert (reply.status_code, reply.json()["code"]) == (401, 1014)


@pytest.mark.sandbox(rate_limit=2)
async def test_a_spent_quota_is_429_with_time_to_reset(api: httpx.AsyncClient) -> None:
    for _ in range(2):
        await api.get("tags")
    reply = await api.get("tags")
    body = reply.json()
    assert (reply.status_code, body["code"]) == (429, 1015)
    assert body["context"]["timeToReset"].endswith(" seconds")
    assert reply.headers["X-RateLimit-Remaining"] == "0"


@pytest.mark.sandbox(latency=0.3)
async def test_the_eleventh_parallel_call_is_refused(api: httpx.AsyncClient) -> None:
    replies = await asyncio.gather(*(api.get("tags") for _ in range(11)))
    statuses = sorted(r.status_code for r in replies)
    assert statuses == [200] * 10 + [429]


async def test_faults_answer_with_error_responses(
    api: httpx.AsyncClient, emulator: GetResponseEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_500)
    reply = await api.get("tags")
    assert (reply.status_code, reply.json()["code"]) == (500, 1)
    assert "X-RateLimit-Limit" in reply.headers


async def test_unknown_time_zone_is_a_400(api: httpx.AsyncClient) -> None:
    reply = await api.get("tags", headers={"X-Time-Zone": "Mars/Olympus"})
    assert (reply.status_code, reply.json()["code"]) == (400, 1021)


async def test_the_same_seed_gives_the_same_data(api: httpx.AsyncClient) -> None:
    from crmdesk.sandbox.getresponse.store import ResourceStore

    first, second = ResourceStore(3, 20), ResourceStore(3, 20)
    assert first.all("contacts") == second.all("contacts")
