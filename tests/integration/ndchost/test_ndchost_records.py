"""The NDCHost backend against its sandbox: entities, local paging and sorting, reads."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from crmdesk.api import ApiError, ErrorKind, Query, SortKey, kind_info
from crmdesk.api.backends.ndchost import NdcHost
from crmdesk.sandbox import NDCHostEmulator

pytestmark = pytest.mark.asyncio


def functions(emulator: NDCHostEmulator) -> list[str]:
    """The apimodule.apifunction of every request the sandbox received, in order."""
    found = []
    for request in emulator.requests:
        form = dict(pair.split("=", 1) for pair in request.body.decode().split("&"))
        found.append(f"{form['apimodule']}.{form['apifunction']}")
    return found


async def test_the_connection_test_names_the_account(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    said = await ndc.test_connection()

    client = emulator.account.client
    assert said.startswith("The API key works: signed in as ")
    assert f"{client['firstname']} {client['lastname']}" in said
    assert str(client["id"]) in said
    assert functions(emulator) == ["client.getdetails"]


async def test_entities_say_what_the_api_can_do(ndc: NdcHost) -> None:
    entities = {info.name: info for info in await ndc.entities()}

    assert set(entities) == {"client", "products", "licenses"}
    for info in entities.values():
        assert (info.can_create, info.can_update, info.can_delete) == (False, False, False)
        assert not info.server_paging
        assert not info.server_sorting
        assert not info.filterable
    order = entities["products"].action("order")
    assert order.costs_money
    assert order.confirm
    assert "price" in order.description
    assert entities["licenses"].actions == ()


async def test_the_documented_endpoint_is_the_default() -> None:
    info = kind_info("ndchost")

    assert info.default_base_url == "https://customer.ndchost.com/index.php"
    assert [(c.name, c.secret) for c in info.credentials] == [("apikey", True)]


async def test_client_is_one_record(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    page = await ndc.list("client", Query())

    (record,) = page.records
    assert record.id == emulator.account.client["id"]
    assert page.total_records == 1
    assert page.is_last
    assert (await ndc.get("client", record.id)).values["email"] == record.values["email"]


async def test_products_are_paged_and_sorted_locally(ndc: NdcHost) -> None:
    page = await ndc.list("products", Query(page=2, page_size=25, sort=SortKey("name")))

    assert len(page.records) == 25
    assert page.total_records == 60
    assert page.total_pages == 3
    assert not page.paged_by_server
    assert not page.sorted_by_server
    names = [r.values["name"].casefold() for r in page.records]
    assert names == sorted(names)
    assert all(r.values["prices"] for r in page.records)


async def test_ids_sort_as_numbers_descending(ndc: NdcHost) -> None:
    page = await ndc.list("licenses", Query(page_size=5, sort=SortKey("id", descending=True)))

    assert [r.id for r in page.records] == ["5059", "5058", "5057", "5056", "5055"]


async def test_later_pages_reuse_the_first_pages_fetch(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    for number in (1, 2, 3):
        await ndc.list("licenses", Query(page=number, page_size=20))
    await ndc.list("licenses", Query(page=1, page_size=20))

    assert functions(emulator) == ["client.licenses", "client.licenses"]


async def test_get_finds_a_record_by_id(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    record = await ndc.get("licenses", "5003")

    assert record.values["ip"] == emulator.account.licenses["5003"]["ip"]


async def test_get_of_a_missing_record_is_not_found(ndc: NdcHost) -> None:
    with pytest.raises(ApiError) as caught:
        await ndc.get("products", "4")

    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.exchange is not None


async def test_fields_are_the_documented_ones_and_what_records_carry(ndc: NdcHost) -> None:
    fields = {spec.name: spec for spec in await ndc.fields("client")}

    assert fields["lastlogin"].label == "Last login"
    assert "currency_code" in fields
    assert fields["currency_code"].extra["inferred"]
    assert all(spec.read_only for spec in fields.values())


def refused_calls(ndc: NdcHost) -> dict[str, Callable[[], Awaitable[object]]]:
    return {
        "create": lambda: ndc.create("licenses", {"ip": "1.2.3.4"}),
        "update": lambda: ndc.update("client", "1", {"city": "Austin"}),
        "delete": lambda: ndc.delete("licenses", "5000"),
        "filter": lambda: ndc.list("licenses", Query(filters={"ip": "203.0.113.1"})),
        "action": lambda: ndc.run_action("licenses", "5000", "order"),
    }


@pytest.mark.parametrize("operation", ["create", "update", "delete", "filter", "action"])
async def test_what_the_api_cannot_do_is_refused_before_the_network(
    ndc: NdcHost, emulator: NDCHostEmulator, operation: str
) -> None:
    call = refused_calls(ndc)[operation]

    with pytest.raises(ApiError) as caught:
        await call()

    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert emulator.requests == []
