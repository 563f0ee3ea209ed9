"""NDCHost backend against scripted replies (httpx.MockTransport): shapes the sandbox never sends.

The same operations run against the sandbox over loopback in tests/integration/ndchost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Query, Redactor
from crmdesk.api.backends.ndchost import NdcHost
from crmdesk.api.transport import Transport

KEY = "scripted-api-key-123"
Handler = Callable[[httpx.Request], httpx.Response]
pytestmark = pytest.mark.asyncio


class Portal:
    """Answers each apimodule.apifunction with what a test scripted, and keeps the requests."""

    def __init__(self, **answers: httpx.Response) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        form = dict(parse_qsl(request.content.decode()))
        name = f"{form['apimodule']}_{form['apifunction']}"
        return self.answers.get(name) or envelope("error", "Invalid API function: x")

    def form(self, index: int = -1) -> dict[str, str]:
        return dict(parse_qsl(self.requests[index].content.decode()))


def envelope(
    status: object, message: object = "ok", data: object = None, code: int = 200
) -> httpx.Response:
    return httpx.Response(code, json={"status": status, "message": message, "data": data})


def backend(handler: Handler, base_url: str = "https://portal.example/whmcs/index.php") -> NdcHost:
    transport = Transport(
        base_url,
        connection="Portal",
        log=ExchangeLog(),
        redactor=Redactor(secrets=[KEY], extra_names=["apikey"]),
        transport=httpx.MockTransport(handler),
        retry_backoff=0.0,
    )
    return NdcHost(transport, credentials={"apikey": KEY})


async def test_every_call_is_a_form_post_to_the_address_as_given() -> None:
    portal = Portal(client_getdetails=envelope("success", data={"id": "7", "email": "a@b.c"}))
    async with backend(portal) as ndc:
        await ndc.test_connection()

    request = portal.requests[0]
    assert request.method == "POST"
    assert str(request.url) == "https://portal.example/whmcs/index.php"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert portal.form() == {
        "m": "clientapi",
        "apikey": KEY,
        "apimodule": "client",
        "apifunction": "getdetails",
    }


async def test_licenses_may_come_as_a_list_and_none_as_an_empty_list() -> None:
    listed = [{"id": 9, "ip": "1.2.3.4"}, {"id": 3, "ip": "5.6.7.8"}]
    portal = Portal(client_licenses=envelope("success", data=listed))
    async with backend(portal) as ndc:
        page = await ndc.list("licenses", Query(sort=None))
        portal.answers["client_licenses"] = envelope("success", data=[])
        empty = await ndc.list("licenses", Query())

    assert [r.id for r in page.records] == ["9", "3"]
    assert empty.records == ()
    assert empty.total_records == 0


async def test_a_price_of_minus_one_is_not_offered() -> None:
    pricing = {"monthly": "10.00", "annually": "-1.00"}
    products = {"4": {"id": 4, "name": "Solo", "pricing": pricing}}
    portal = Portal(cpanellicensing_products=envelope("success", data=products))
    async with backend(portal) as ndc:
        (record,) = (await ndc.list("products", Query())).records
        with pytest.raises(ApiError) as caught:
            await ndc.run_action(
                "products", "4", "order", {"ip": "1.2.3.4", "billingcycle": "annually"}
            )

    assert record.values["prices"] == "monthly 10.00"
    assert caught.value.kind is ErrorKind.INVALID
    assert all(
        form["apifunction"] != "order" for form in map(portal.form, range(len(portal.requests)))
    )


async def test_client_details_nested_or_keyed_by_userid_are_read() -> None:
    portal = Portal(
        client_getdetails=envelope("success", data={"client": {"userid": 12, "firstname": "Ann"}})
    )
    async with backend(portal) as ndc:
        (record,) = (await ndc.list("client", Query())).records

    assert record.id == "12"
    assert record.values["firstname"] == "Ann"


@pytest.mark.parametrize(
    ("reply", "kind", "words"),
    [
        (envelope("error", "Invalid API Key", code=401), ErrorKind.AUTH, "Invalid API Key"),
        (envelope("error", "Authentication failed"), ErrorKind.AUTH, "Authentication failed"),
        (envelope("error", "Function not found"), ErrorKind.UNSUPPORTED, "Function not found"),
        (envelope("error", "Missing required parameter: ip"), ErrorKind.INVALID, "ip"),
        (envelope("error", None), ErrorKind.INVALID, "reported status 'error'"),
        (envelope("failed", "Quota"), ErrorKind.INVALID, "Quota"),
        (envelope(True), ErrorKind.PROTOCOL, "status True"),
        (httpx.Response(200, json={"data": {}}), ErrorKind.PROTOCOL, "no status"),
        (httpx.Response(200, json=[1, 2]), ErrorKind.PROTOCOL, "status envelope"),
        (httpx.Response(500, text="oops"), ErrorKind.SERVER, "oops"),
        (
            httpx.Response(200, text="<html><body>Client Area</body></html>"),
            ErrorKind.PROTOCOL,
            "HTML page instead of a client API reply",
        ),
        (envelope("success", data="text"), ErrorKind.PROTOCOL, "not an object"),
    ],
)
async def test_replies_become_errors_of_the_right_kind(
    reply: httpx.Response, kind: ErrorKind, words: str
) -> None:
    async with backend(Portal(client_getdetails=reply)) as ndc:
        with pytest.raises(ApiError) as caught:
            await ndc.list("client", Query())

    assert caught.value.kind is kind
    # What was wrong, in words; the technical part of it in the detail.
    assert words in f"{caught.value.message} {caught.value.detail}"
    assert caught.value.exchange is not None


async def test_json_labelled_as_html_is_still_read() -> None:
    body = json.dumps({"status": "success", "message": "", "data": {"id": "1"}})
    reply = httpx.Response(200, text=body, headers={"content-type": "text/html; charset=UTF-8"})
    async with backend(Portal(client_getdetails=reply)) as ndc:
        (record,) = (await ndc.list("client", Query())).records

    assert record.id == "1"


async def test_payment_gateways_may_come_as_a_list() -> None:
    listed = [{"module": "paypal", "displayname": "PayPal"}, "banktransfer"]
    products = {"5": {"name": "cPanel", "pricing": {"monthly": "15.00", "annually": "-1"}}}
    portal = Portal(
        billing_paymentgateways=envelope("success", data=listed),
        cpanellicensing_products=envelope("success", data=products),
    )
    async with backend(portal) as ndc:
        inputs = {f.name: f for f in await ndc.action_inputs("products", "5", "order")}
        preview = await ndc.preview_action(
            "products",
            "5",
            "order",
            {"ip": "1.2.3.4", "billingcycle": "monthly", "paymentgateway": "paypal"},
        )

    assert inputs["paymentgateway"].options == ("paypal", "banktransfer")
    assert inputs["billingcycle"].options == ("monthly",)  # -1 means "not offered"
    assert ("Payment method", "PayPal") in preview.facts


async def test_a_base_url_that_is_a_folder_is_kept() -> None:
    portal = Portal(client_getdetails=envelope("success", data={"id": "7"}))
    async with backend(portal, "https://portal.example/whmcs/") as ndc:
        await ndc.test_connection()

    assert str(portal.requests[0].url) == "https://portal.example/whmcs/"
