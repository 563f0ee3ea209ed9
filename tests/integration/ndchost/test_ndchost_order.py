"""Ordering a license through the NDCHost backend: the price is named, mistakes cost nothing."""

from __future__ import annotations

import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.api.backends.ndchost import NdcHost
from crmdesk.sandbox import NDCHostEmulator, SandboxEndpoint

pytestmark = pytest.mark.asyncio


def a_product(emulator: NDCHostEmulator, autosetup: str = "payment") -> tuple[str, str, str, str]:
    """(id, name, a cycle it offers, that cycle's price) of a product with that autosetup."""
    for key, product in emulator.account.products.items():
        pricing = product["pricing"]
        assert isinstance(pricing, dict)
        if product["autosetup"] == autosetup:
            cycle = next(iter(pricing))
            return key, str(product["name"]), cycle, pricing[cycle]
    raise AssertionError("no such product")


def orders_sent(emulator: NDCHostEmulator) -> int:
    return sum(1 for r in emulator.requests if b"apifunction=order" in r.body)


async def test_an_order_says_what_was_ordered_and_its_price(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    product, name, cycle, price = a_product(emulator)

    result = await ndc.run_action(
        "products", product, "order", {"ip": "198.51.100.20", "billingcycle": cycle}
    )

    placed = emulator.account.orders[-1]
    assert name in result.message
    assert f"{cycle} at {price}" in result.message
    assert placed.ordernumber in result.message
    assert str(placed.invoiceid) in result.message
    assert result.created_id == placed.ordernumber
    assert result.queued
    assert (await ndc.list("licenses", Query(page_size=100))).total_records == 61


async def test_the_price_can_be_asked_before_ordering(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    product, name, cycle, price = a_product(emulator)

    preview = await ndc.preview_action(
        "products", product, "order", {"ip": "198.51.100.30", "billingcycle": cycle}
    )

    assert preview.cost == price
    assert dict(preview.facts) == {
        "Product": name,
        "Server IP": "198.51.100.30",
        "Billing cycle": cycle,
        "Price": price,
    }
    assert f"{name} for 198.51.100.30" in preview.summary
    assert preview.api_calls == 2
    assert orders_sent(emulator) == 0


async def test_an_activated_order_is_not_queued(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    product, _, cycle, _ = a_product(emulator, autosetup="order")

    result = await ndc.run_action(
        "products", product, "order", {"ip": "198.51.100.21", "billingcycle": cycle}
    )

    assert not result.queued
    assert "active now" in result.message


async def test_an_order_held_for_review_says_so(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    product, _, cycle, _ = a_product(emulator)
    args = {"ip": "198.51.100.22", "billingcycle": cycle, "paymentgateway": "stripe"}

    await ndc.run_action("products", product, "order", args)
    result = await ndc.run_action("products", product, "order", args)

    assert "status Review" in result.message
    assert emulator.account.licenses[emulator.account.orders[-1].license_id]["paymentmethod"] == (
        "stripe"
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ({"ip": "198.51.100.23", "billingcycle": "triennially"}, "has no 'triennially' price"),
        ({"billingcycle": "monthly"}, "needs ip"),
        ({"ip": "198.51.100.23"}, "needs billingcycle"),
    ],
)
async def test_an_order_that_cannot_be_right_is_not_sent(
    ndc: NdcHost, emulator: NDCHostEmulator, args: dict[str, str], words: str
) -> None:
    product, _, _, _ = a_product(emulator)

    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", product, "order", args)

    assert caught.value.kind is ErrorKind.INVALID
    assert words in caught.value.message
    assert "nothing was ordered" in caught.value.message
    assert orders_sent(emulator) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"ip": "not-an-ip"}, "Invalid IP address."),
        ({"ip": "198.51.100.24", "paymentgateway": "bitcoin"}, "Invalid payment gateway."),
    ],
)
async def test_an_order_the_server_refuses_is_invalid(
    ndc: NdcHost, emulator: NDCHostEmulator, args: dict[str, str], message: str
) -> None:
    product, _, cycle, _ = a_product(emulator)

    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", product, "order", {"billingcycle": cycle, **args})

    assert caught.value.kind is ErrorKind.INVALID
    assert caught.value.message == message
    assert caught.value.exchange is not None
    assert emulator.account.orders == []


async def test_ordering_a_product_that_does_not_exist_is_not_found(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", "1", "order", {"ip": "1.2.3.4", "billingcycle": "x"})

    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert orders_sent(emulator) == 0


async def test_a_read_only_connection_orders_nothing(
    endpoint: SandboxEndpoint, emulator: NDCHostEmulator
) -> None:
    product, _, cycle, _ = a_product(emulator)
    async with open_backend(
        "ndchost", endpoint.base_url, endpoint.credentials, read_only=True, log=ExchangeLog()
    ) as ndc:
        with pytest.raises(ApiError) as caught:
            await ndc.run_action(
                "products", product, "order", {"ip": "1.2.3.4", "billingcycle": cycle}
            )

    assert caught.value.kind is ErrorKind.READ_ONLY
    assert emulator.requests == []


async def test_the_order_form_offers_the_priced_cycles_and_the_gateways(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    product, _, cycle, _ = a_product(emulator)

    inputs = {f.name: f for f in await ndc.action_inputs("products", product, "order")}

    assert inputs["ip"].required
    assert cycle in inputs["billingcycle"].options
    assert "banktransfer" in inputs["paymentgateway"].options
    assert not inputs["paymentgateway"].required
    assert orders_sent(emulator) == 0
