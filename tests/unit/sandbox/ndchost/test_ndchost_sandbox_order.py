"""Ordering a license from the NDCHost emulator: what it makes and what it refuses."""

from __future__ import annotations

import pytest
from ndchost_client import ClientApi

from crmdesk.sandbox import NDCHostEmulator

pytestmark = pytest.mark.asyncio


def a_product(emulator: NDCHostEmulator, autosetup: str | None = None) -> tuple[str, str]:
    """(product id, one billing cycle it offers)."""
    for key, product in emulator.account.products.items():
        if autosetup is None or product["autosetup"] == autosetup:
            pricing = product["pricing"]
            assert isinstance(pricing, dict)
            return key, next(iter(pricing))
    raise AssertionError("no such product")


async def test_an_order_makes_a_pending_license(api: ClientApi, emulator: NDCHostEmulator) -> None:
    product, cycle = a_product(emulator, autosetup="payment")

    data = await api.data(
        "cpanellicensing", "order", product=product, ip="198.51.100.9", billingcycle=cycle
    )

    assert set(data) == {"ordernumber", "invoiceid", "orderstatus", "productactivated"}
    assert data["orderstatus"] == "Pending"
    assert data["productactivated"] is False
    assert len(data["ordernumber"]) == 10
    licenses = await api.data("client", "licenses")
    assert len(licenses) == 41
    (new,) = [lic for lic in licenses.values() if lic["ip"] == "198.51.100.9"]
    assert new["status"] == "Pending"


async def test_autosetup_on_order_activates_at_once(
    api: ClientApi, emulator: NDCHostEmulator
) -> None:
    product, cycle = a_product(emulator, autosetup="order")

    data = await api.data(
        "cpanellicensing", "order", product=product, ip="198.51.100.10", billingcycle=cycle
    )

    assert data["productactivated"] is True


async def test_a_second_license_for_the_same_ip_goes_to_review(
    api: ClientApi, emulator: NDCHostEmulator
) -> None:
    product, cycle = a_product(emulator)
    order = {"product": product, "ip": "198.51.100.11", "billingcycle": cycle}

    await api.data("cpanellicensing", "order", **order)
    again = await api.data("cpanellicensing", "order", **order)

    assert again["orderstatus"] == "Review"
    assert again["productactivated"] is False


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ip": ""}, "Missing required parameter: ip"),
        ({"product": ""}, "Missing required parameter: product"),
        ({"billingcycle": ""}, "Missing required parameter: billingcycle"),
        ({"product": "999999"}, "Invalid product id"),
        ({"ip": "300.1.2.3"}, "Invalid IP address"),
        ({"billingcycle": "biennially"}, "Invalid billing cycle"),
        ({"paymentgateway": "bitcoin"}, "Invalid payment gateway"),
    ],
)
async def test_bad_orders_are_refused_and_charge_nothing(
    api: ClientApi, emulator: NDCHostEmulator, change: dict[str, str], message: str
) -> None:
    product, cycle = a_product(emulator)
    order = {"product": product, "ip": "198.51.100.12", "billingcycle": cycle, **change}

    body = (await api.call("cpanellicensing", "order", **order)).json()

    assert body["status"] == "error"
    assert body["message"].startswith(message)
    assert emulator.account.orders == []
