"""GetResponse backend against scripted replies (httpx.MockTransport): quirks easier to script
than to provoke. The same operations run against the sandbox in tests/integration/getresponse."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Query, Redactor
from crmdesk.api.backends.getresponse import GetResponse
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.transport import Transport

pytestmark = pytest.mark.asyncio
KEY = "secret-api-key-1"
Handler = Callable[[httpx.Request], httpx.Response]


def backend(handler: Handler, **options: str) -> GetResponse:
    transport = Transport(
        "https://api.getresponse.com/v3",
        connection="Acme",
        log=ExchangeLog(),
        redactor=Redactor(secrets=[KEY]),
        governor=RateLimitGovernor(clock=lambda: 1000.0),
        transport=httpx.MockTransport(handler),
        retry_backoff=0.0,
    )
    return GetResponse(transport, credentials={"api_key": KEY}, clock=lambda: 1000.0, **options)


def error(status: int, code: int, message: str = "No.", context: object = None) -> httpx.Response:
    body = {
        "httpStatus": status,
        "code": code,
        "codeDescription": "",
        "message": message,
        "moreInfo": f"https://apidocs.getresponse.com/en/v3/errors/{code}",
        "context": context or {},
        "uuid": "u",
    }
    return httpx.Response(status, json=body)


async def failure(handler: Handler) -> ApiError:
    async with backend(handler) as gr:
        with pytest.raises(ApiError) as caught:
            await gr.list("tags", Query())
    return caught.value


async def test_headers_carry_key_domain_and_time_zone() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[])

    async with backend(handler, domain="acme.example", time_zone="Europe/Warsaw") as gr:
        await gr.list("tags", Query())
        exchange = next(iter(gr.exchange_log))
    headers = seen[0].headers
    assert headers["X-Auth-Token"] == f"api-key {KEY}"
    assert (headers["X-Domain"], headers["X-Time-Zone"]) == ("acme.example", "Europe/Warsaw")
    assert KEY not in repr(exchange)


async def test_missing_totals_headers_leave_totals_unknown() -> None:
    async with backend(lambda r: httpx.Response(200, json=[{"tagId": "a1", "name": "x"}])) as gr:
        page = await gr.list("tags", Query())
    assert (page.total_records, page.total_pages) == (None, None)


@pytest.mark.parametrize("total", ["lots", "-1", "2147483648", "1e999", "nan", "9" * 5000])
async def test_an_odd_total_leaves_it_unknown_and_keeps_the_page(total: str) -> None:
    # TotalCount and TotalPages are int32 in GetResponse's OpenAPI.
    headers = {"TotalCount": total, "TotalPages": total}
    reply = httpx.Response(200, json=[{"tagId": "t1", "name": "a"}], headers=headers)
    async with backend(lambda r: reply) as gr:
        page = await gr.list("tags", Query())
    assert [r.id for r in page.records] == ["t1"]
    assert (page.total_records, page.total_pages) == (None, None)
    exchange = next(iter(gr.exchange_log))
    assert exchange.response_header("TotalCount") == total  # the odd header stays visible


@pytest.mark.parametrize(
    "body",
    [b"", b"[{", b"<html>oops</html>", b'{"tagId": "a"}', b"[1, 2]", b'[{"name": "no id"}]'],
)
async def test_odd_list_bodies_are_protocol_errors(body: bytes) -> None:
    reply = httpx.Response(200, content=body, headers={"Content-Type": "application/json"})
    caught = await failure(lambda r: reply)
    assert caught.kind is ErrorKind.PROTOCOL
    assert caught.exchange is not None


@pytest.mark.parametrize("status", [401, 403])
async def test_code_1014_is_auth_with_either_status(status: int) -> None:
    caught = await failure(lambda r: error(status, 1014, "Unable to authenticate request."))
    assert (caught.kind, caught.vendor_code) == (ErrorKind.AUTH, "1014")
    assert caught.message == "Unable to authenticate request."


async def test_a_403_with_another_code_is_forbidden() -> None:
    assert (await failure(lambda r: error(403, 1002))).kind is ErrorKind.FORBIDDEN


async def test_429_waits_time_to_reset_then_fails_with_retry_time() -> None:
    reply = error(429, 1015, "Slow down.", {"currentLimit": 30000, "timeToReset": "100 seconds"})
    caught = await failure(lambda r: reply)
    assert caught.kind is ErrorKind.RATE_LIMITED
    assert caught.retry_at == 1100.0


async def test_rate_limit_reset_header_in_seconds_feeds_the_governor() -> None:
    headers = {
        "X-RateLimit-Limit": "30000",
        "X-RateLimit-Remaining": "29000",
        "X-RateLimit-Reset": "432 seconds",
    }
    async with backend(lambda r: httpx.Response(200, json=[], headers=headers)) as gr:
        await gr.list("tags", Query())
        state = gr.governor.state
    assert (state.limit, state.remaining, state.reset_at) == (30000, 29000, 1432.0)


async def test_an_html_error_page_keeps_its_status_kind() -> None:
    page = httpx.Response(500, content=b"<html>down</html>")
    caught = await failure(lambda r: page)
    assert caught.kind is ErrorKind.SERVER
    assert "HTML" in caught.message


async def test_update_sends_the_campaign_nested_and_tags_whole() -> None:
    sent: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(200, json={"contactId": "c1", "email": "a@b.c"})

    async with backend(handler) as gr:
        await gr.update("contacts", "c1", {"campaignId": "L1", "tags": [{"tagId": "t1"}, "t2"]})
    assert sent[0] == b'{"tags":[{"tagId":"t1"},{"tagId":"t2"}],"campaign":{"campaignId":"L1"}}'
