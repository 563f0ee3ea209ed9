"""The NDCHost emulator's functions, envelope and refusals, driven with plain httpx."""

from __future__ import annotations

import httpx
import pytest
from ndchost_client import ClientApi

from crmdesk.sandbox import NDCHostEmulator, Sandbox

pytestmark = pytest.mark.asyncio


async def test_getdetails_answers_the_documented_envelope_as_json(api: ClientApi) -> None:
    response = await api.call("client", "getdetails")

    body = response.json()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert body["status"] == "success"
    assert body["message"] == "successfully retrieved client details"
    assert {"id", "firstname", "lastname", "email", "address1", "city", "lastlogin"} <= set(
        body["data"]
    )


async def test_products_are_a_map_keyed_by_id(api: ClientApi) -> None:
    products = await api.data("cpanellicensing", "products")

    assert isinstance(products, dict)
    assert len(products) == 40
    for key, product in products.items():
        assert key == str(product["id"])
        assert {"name", "description", "paytype", "autosetup", "pricing"} <= set(product)
        assert product["pricing"]
        assert all(float(price) > 0 for price in product["pricing"].values())


async def test_licenses_and_payment_gateways(api: ClientApi) -> None:
    licenses = await api.data("client", "licenses")
    gateways = await api.data("billing", "paymentgateways")

    assert len(licenses) == 40
    assert {"productid", "product", "ip", "status", "billingcycle"} <= set(licenses["5000"])
    assert gateways["paypal"] == "PayPal"


async def test_the_same_seed_gives_the_same_data() -> None:
    first, second = NDCHostEmulator(seed=3), NDCHostEmulator(seed=3)

    assert first.account.snapshot("products") == second.account.snapshot("products")
    assert first.account.snapshot("client") == second.account.snapshot("client")
    assert len(first.account.licenses) == 1500
    assert NDCHostEmulator(seed=4).account.snapshot("client") != first.account.snapshot("client")


async def test_get_is_accepted_as_well_as_post(api: ClientApi) -> None:
    params = {
        "m": "clientapi",
        "apikey": api.endpoint.credentials["apikey"],
        "apimodule": "client",
        "apifunction": "getdetails",
    }
    response = await api.client.get(api.url, params=params)

    assert response.json()["status"] == "success"


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"apikey": "wrong-key"}, "Invalid API Key"),
        ({"apikey": ""}, "Missing required parameter: apikey"),
        ({"apimodule": "dns"}, "Invalid API module: dns"),
        ({"apifunction": "delete"}, "Invalid API function: delete"),
        ({"apifunction": ""}, "Missing required parameter: apifunction"),
    ],
)
async def test_refusals_answer_the_error_envelope_with_200(
    api: ClientApi, form: dict[str, str], message: str
) -> None:
    base = {
        "m": "clientapi",
        "apikey": api.endpoint.credentials["apikey"],
        "apimodule": "client",
        "apifunction": "getdetails",
    }
    response = await api.post({**base, **form})

    assert response.status_code == 200
    assert response.json() == {"status": "error", "message": message}


async def test_without_m_clientapi_the_client_area_page_answers(api: ClientApi) -> None:
    response = await api.post({"apikey": "x", "apimodule": "client", "apifunction": "getdetails"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Client Area" in response.text


async def test_a_disabled_api_refuses_even_the_right_key() -> None:
    async with Sandbox(kinds=("ndchost",), api_enabled=False) as sandbox:
        endpoint = sandbox.endpoints[0]
        async with httpx.AsyncClient() as client:
            api = ClientApi(client, endpoint)
            body = (await api.call("client", "getdetails")).json()

    assert body == {"status": "error", "message": "API access is not enabled for this account"}


async def test_an_empty_map_is_sent_as_a_list_like_php_does() -> None:
    async with (
        Sandbox(kinds=("ndchost",), records_per_entity=0) as sandbox,
        httpx.AsyncClient() as client,
    ):
        api = ClientApi(client, sandbox.endpoints[0])
        licenses = await api.data("client", "licenses")

    assert licenses == []
