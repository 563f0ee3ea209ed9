"""aicore against the documents' letter: a filter they do not list is checked, not trusted,
and a yes/no value that is neither is refused, never rewritten."""

from __future__ import annotations

from urllib.parse import parse_qs

import httpx
import pytest
from test_aicore import Site, as_json, open_site

from crmdesk.api import ApiError, ErrorKind

pytestmark = pytest.mark.asyncio


def leads(*ids: int, total: int | None = None) -> httpx.Response:
    body: dict[str, object] = {"status": 0, "leads": [{"lead_id": str(i)} for i in ids]}
    if total is not None:
        body["total_results"] = total
    return as_json(body)


async def test_a_lead_is_read_through_the_filter_when_the_server_applies_it() -> None:
    site = Site(leads(1042))
    async with open_site(site) as backend:
        lead = await backend.get("leads", "1042")
    assert lead.id == "1042"
    assert parse_qs(site.forms[0]["search_params"]) == {"lead_id": ["1042"]}
    assert len(site.forms) == 1


async def test_a_lead_is_paged_for_when_the_server_ignores_the_filter() -> None:
    # search_params=lead_id=… is not in the documents: this server sends its first lead.
    first_page = leads(*range(1, 501), total=700)
    second_page = leads(*range(501, 701), total=700)
    site = Site(leads(1, total=700), first_page, second_page)
    async with open_site(site) as backend:
        lead = await backend.get("leads", "650")
    assert lead.id == "650"
    assert [f.get("page_number") for f in site.forms] == [None, "1", "2"]
    assert "search_params" not in site.forms[1]


async def test_a_lead_that_is_nowhere_is_not_found_after_paging() -> None:
    site = Site(leads(1, total=3), leads(1, 2, 3, total=3))
    async with open_site(site) as backend:
        with pytest.raises(ApiError) as caught:
            await backend.get("leads", "99")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.exchange is not None


async def test_no_lead_back_from_the_filter_is_not_found_at_once() -> None:
    site = Site(leads())
    async with open_site(site) as backend:
        with pytest.raises(ApiError) as caught:
            await backend.get("leads", "99")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert len(site.forms) == 1


@pytest.mark.parametrize("value", ["maybe", "2", "sí", "nope"])
async def test_a_consent_flag_that_is_neither_yes_nor_no_is_refused_before_the_network(
    value: str,
) -> None:
    site = Site()
    async with open_site(site) as backend:
        for attempt in (
            backend.update("leads", "7", {"ok_to_text": value}),
            backend.plan_update("leads", "7", {"ok_to_text": value}),
            backend.create("leads", {"first_name": "A", "ok_to_text": value}),
        ):
            with pytest.raises(ApiError) as caught:
                await attempt
            assert caught.value.kind is ErrorKind.INVALID
            assert "yes or no" in caught.value.message
            assert "nothing was sent" in caught.value.message
        results = await backend.update_many("leads", {"7": {"ok_to_text": value}})
    assert isinstance(results["7"], ApiError)
    assert results["7"].kind is ErrorKind.INVALID
    assert site.forms == []


@pytest.mark.parametrize(
    ("value", "sent", "created"), [("Y", "Yes", "Y"), ("no", "No", "N"), (True, "Yes", "Y")]
)
async def test_yes_and_no_are_spelled_as_each_command_wants(
    value: object, sent: str, created: str
) -> None:
    site = Site(
        as_json({"status": 0, "status_message": "Lead Updated"}),
        as_json({"status": 0, "lead_id": "8"}),
    )
    async with open_site(site) as backend:
        planned = await backend.plan_update("leads", "7", {"ok_to_text": value})
        await backend.update("leads", "7", {"ok_to_text": value})
        await backend.create("leads", {"ok_to_text": value})
    assert f"ok_to_text={sent}" in planned.body
    assert site.forms[0]["ok_to_text"] == sent
    assert site.forms[1]["ok_to_text"] == created
