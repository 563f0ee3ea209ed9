"""CMDataManager where a server could make crmdesk work without end: field paging that never
stops, a token no header can carry, logins by the thousand, a quota during Test connection."""

from __future__ import annotations

import time

import httpx
import pytest
from test_cmdatamanager import Clock, Server, backend, listing

from crmdesk.api import ApiError, ErrorKind, Query

pytestmark = pytest.mark.asyncio


def field(name: str) -> dict[str, object]:
    return {"ExternalID": f"F-{name}", "Properties": {"Name": name, "Type": "Text"}}


async def test_field_paging_stops_when_a_page_adds_nothing() -> None:
    server = Server()
    # A server that says a million pages and sends the same page each time.
    server.routes["GET", "lead/fields"] = lambda r: httpx.Response(
        200, json={"Total Records": "9", "Total Page": "1000000", "Field": [field("City")]}
    )
    async with backend(server) as crm:
        fields = await crm.fields("lead")
    assert [f.name for f in fields] == ["City"]
    assert sum(1 for r in server.requests if r.url.path.endswith("/fields")) == 2


async def test_field_paging_stops_at_a_sane_cap() -> None:
    server = Server()

    def page(request: httpx.Request) -> httpx.Response:
        number = request.url.params["page"]
        return httpx.Response(
            200, json={"Total Page": "1000000", "Field": [field(f"Field{number}")]}
        )

    server.routes["GET", "lead/fields"] = page
    async with backend(server) as crm:
        fields = await crm.fields("lead")
    asked = sum(1 for r in server.requests if r.url.path.endswith("/fields"))
    assert asked == 50
    assert len(fields) == 50


@pytest.mark.parametrize("token", ["tøken-123456", "tok en-123456", "tok\ten-123456"])
async def test_a_token_no_header_can_carry_is_refused_at_login(token: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"token": token})

    async with backend(handler) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert caught.value.exchange is not None
    assert caught.value.exchange.auth


async def test_a_thousand_logins_leave_the_redactor_as_small_as_a_few() -> None:
    server = Server()
    server.token_reset = "1700000000"  # reset already: every call logs in again
    server.routes["GET", "lead"] = lambda r: listing()
    clock = Clock()
    sizes: list[int] = []
    async with backend(server, clock=clock) as crm:
        redactor = crm._transport.redactor
        for call in range(1000):
            await crm.list("lead", Query())
            if call in (4, 999):
                sizes.append(redactor.size)
        last = f"tok-{server.logins:04d}-abcdef"
        recorded = list(crm.exchange_log)
    assert server.logins == 1000
    # Count, don't time: the pattern every exchange is matched against did not grow.
    assert sizes[1] == sizes[0]
    assert all(last not in repr(e) for e in recorded)
    assert all("client-secret-1" not in repr(e) and "password-1" not in repr(e) for e in recorded)


async def test_test_connection_never_waits_for_the_quota() -> None:
    sent: list[str] = []
    reset = str(int(time.time()) + 30)  # a wait `list` would take unasked

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.path)
        if request.url.path.endswith("/authenticate"):
            return httpx.Response(200, json={"token": "tok-000001"})
        return httpx.Response(
            429,
            json={"Message": "API calls quota exceeded! maximum admitted 5000 per hour."},
            headers={"x-rate-limit-remaining": "0", "x-rate-limit-reset": reset},
        )

    async with backend(handler) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.test_connection()
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.status == 429
    assert caught.value.exchange is not None
    assert caught.value.retry_at == float(reset)
    assert sent == ["/api/v1/authenticate", "/api/v1/account"]
    assert "Try again in" in caught.value.summary
