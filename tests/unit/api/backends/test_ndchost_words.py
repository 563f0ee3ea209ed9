"""NDCHost's words on failure: never the vendor's success text, and a price that is no number
(NaN, infinite) is no price to order at."""

from __future__ import annotations

import pytest
from test_ndchost_backend import Portal, backend, envelope

from crmdesk.api import ApiError, ErrorKind, Query
from crmdesk.api.backends.ndchost_records import price_text


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_success_envelope_on_an_error_status_is_not_quoted(status: int) -> None:
    said = envelope("success", "successfully retrieved licenses", [], code=status)
    async with backend(Portal(client_licenses=said)) as ndc:
        with pytest.raises(ApiError) as caught:
            await ndc.list("licenses", Query())
    assert caught.value.kind is ErrorKind.SERVER
    assert "success" not in caught.value.summary.lower()
    assert caught.value.summary.endswith(".")


@pytest.mark.parametrize(
    ("price", "shown"),
    [("10.00", "10.00"), ("1,200.50", "1,200.50"), ("-1", None), ("free", "free"), (5, "5")]
    + [(v, None) for v in ("NaN", "nan", "Infinity", "-inf", "1e999", "9" * 5000)],
)
def test_a_price_that_is_no_number_is_not_offered(price: object, shown: str | None) -> None:
    assert price_text(price) == shown


@pytest.mark.asyncio
async def test_an_order_is_refused_before_charging_when_its_price_is_nan() -> None:
    products = envelope(
        "success",
        data={"3": {"id": "3", "name": "cPanel", "pricing": {"monthly": "NaN", "annually": "90"}}},
    )
    gateways = envelope("success", data={"paypal": "PayPal"})
    portal = Portal(cpanellicensing_products=products, billing_paymentgateways=gateways)
    order = {"ip": "1.2.3.4", "billingcycle": "monthly"}
    async with backend(portal) as ndc:
        inputs = {f.name: f for f in await ndc.action_inputs("products", "3", "order")}
        with pytest.raises(ApiError) as caught:
            await ndc.run_action("products", "3", "order", order)
    assert "monthly" not in inputs["billingcycle"].options
    assert caught.value.kind is ErrorKind.INVALID
    assert "nothing was ordered" in caught.value.message
    assert all(b"apifunction=order" not in r.content for r in portal.requests)
