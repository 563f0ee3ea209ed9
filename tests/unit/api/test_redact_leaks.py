"""Each leak the redaction properties (tests/unit/history/test_redaction_everywhere.py)
found, pinned by a test of its own: a form of a secret the Redactor or the Transport let
through."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus

import httpx
import pytest

from crmdesk.api import REDACTED, ApiError, ExchangeLog, Redactor
from crmdesk.api.transport import Transport

SECRET = 'pä"ss wörd&=+%/'


def test_base64_of_a_secret_is_caught() -> None:
    redactor = Redactor(secrets=[SECRET])
    encoded = base64.b64encode(SECRET.encode()).decode()
    urlsafe = base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("=")
    assert encoded not in redactor.text(f'{{"b64": "{encoded}", "jwt_part": "{urlsafe}"}}')
    assert urlsafe not in redactor.text(f"x.{urlsafe}.y")


def test_lower_case_and_double_url_quoting_is_caught() -> None:
    redactor = Redactor(secrets=[SECRET])
    lower = quote(SECRET, safe="").lower()  # as some servers write their escapes
    twice = quote_plus(quote_plus(SECRET))  # a URL carried inside a URL's query
    for form in (lower, twice, quote(quote(SECRET, safe=""), safe="")):
        assert form not in redactor.text(f"next=https%3A%2F%2Fx%2F%3Fk%3D{form}&k={form}")


def test_json_escaped_without_ascii_escapes_is_caught() -> None:
    # httpx writes request bodies with ensure_ascii=False: "ä" stays, '"' becomes '\\"'.
    redactor = Redactor(secrets=[SECRET])
    body = httpx.Request("POST", "https://x.example/", json={"note": SECRET}).content
    assert "wörd".encode() not in redactor.body(body)
    assert redactor.body(body) == b'{"note":"[REDACTED]"}'


def test_the_credentials_of_an_authorization_header_are_learnt() -> None:
    redactor = Redactor()
    pair = base64.b64encode(b"heidi:hunter2-long").decode()
    headers = redactor.headers([("Authorization", f"Basic {pair}")])
    assert headers == (("Authorization", REDACTED),)
    echoed = redactor.text(f'{{"you sent": "Basic {pair}", "password": "hunter2-long"}}')
    assert pair not in echoed
    assert "hunter2-long" not in echoed
    redactor.headers([("X-Auth-Token", "api-key k3y-from-a-header")])
    redactor.headers([("authorization", "Bearer t0ken-from-a-header")])
    assert redactor.text("k3y-from-a-header t0ken-from-a-header") == f"{REDACTED} {REDACTED}"


def test_a_url_in_a_header_loses_its_secret_named_parameters() -> None:
    redactor = Redactor()
    (location,) = redactor.headers([("Location", "https://app.example/cb?access_token=n3w&x=1")])
    assert location == ("Location", f"https://app.example/cb?access_token={REDACTED}&x=1")


def transport_for(handler: object, secret: str) -> tuple[Transport, ExchangeLog]:
    log = ExchangeLog()
    transport = Transport(
        "https://crm.example/api/v1",
        connection="Test",
        log=log,
        redactor=Redactor(secrets=[secret]),
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        max_retries=0,
    )
    return transport, log


@pytest.mark.asyncio
async def test_transport_error_text_that_quotes_the_url_is_redacted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    transport, log = transport_for(handler, "k3y-in-the-url")
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead", params={"q": "k3y-in-the-url"})
    assert "k3y-in-the-url" not in caught.value.message
    (exchange,) = log
    assert "k3y-in-the-url" not in (exchange.error or "")
    assert REDACTED in (exchange.error or "")
    await transport.aclose()


@pytest.mark.asyncio
async def test_error_text_that_quotes_the_reply_is_redacted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401, text="invalid key k3y-in-the-reply", headers={"content-type": "text/plain"}
        )

    transport, _ = transport_for(handler, "k3y-in-the-reply")
    reply = await transport.request("GET", "lead")
    assert reply.body == b"invalid key k3y-in-the-reply"  # the backend still reads it all
    assert reply.error().message == f"invalid key {REDACTED}."
    assert reply.error("The vendor says: k3y-in-the-reply").message == (
        f"The vendor says: {REDACTED}."
    )
    await transport.aclose()


@pytest.mark.asyncio
async def test_credentials_learnt_from_the_headers_leave_the_url_of_the_same_exchange() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"echo": request.headers["authorization"]})

    transport, log = transport_for(handler, "some-other-secret")
    await transport.request(
        "GET",
        "lead",
        params={"sig": "t0ken-only-in-a-header"},
        headers={"Authorization": "Bearer t0ken-only-in-a-header"},
    )
    (exchange,) = log
    assert "t0ken-only-in-a-header" not in exchange.url
    assert json.loads(exchange.response_body) == {"echo": f"Bearer {REDACTED}"}
    await transport.aclose()
