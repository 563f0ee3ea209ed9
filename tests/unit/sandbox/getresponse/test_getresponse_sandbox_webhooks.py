"""GetResponse's webhooks as API-NOTES §4 says: headers, `{"status": "OK"}` required, 3 more
tries at growing intervals on 2xx without it, 429, 5xx or timeout, none on other 4xx."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from push_receiver import receiving

from crmdesk.sandbox import GetResponseEmulator, Sandbox


@pytest_asyncio.fixture
async def account() -> Any:
    async with Sandbox(kinds=("getresponse",), records_per_entity=20) as running:
        emulator = running.emulator("getresponse")
        assert isinstance(emulator, GetResponseEmulator)
        emulator.push.configure(retry_intervals=(0.01, 0.02, 0.03), timeout=2.0)
        yield emulator


def _status(status: int, body: Any = None) -> Any:
    def answer(payload: dict[str, Any], request: web.Request) -> web.Response:
        return web.json_response(body, status=status)

    return answer


@pytest.mark.asyncio
async def test_a_webhook_carries_the_documented_headers_and_payload(
    account: GetResponseEmulator,
) -> None:
    async with receiving() as receiver:
        account.push.register(receiver.url)
        (payload,) = account.push.burst(1)
        assert await account.push.drain(5)
    ((body, headers),) = receiver.received
    assert body == payload
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Webhook-Type"] == body["type"]
    assert headers["X-Webhook-ID"]
    assert headers["X-Request-ID"]
    contact = body["contact"]
    assert account.store.get("contacts", contact["contactId"]) is not None
    assert {"contactId", "email", "name", "href"} <= set(contact)
    assert "occurredAt" in body["event"]
    assert account.push.stats.delivered == 1


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        _status(500, {"status": "OK"}),
        _status(503),
        _status(429),
        _status(200, {"ok": 1}),
        _status(204),
    ],
    ids=["500", "503", "429", "200 without OK", "204"],
)
async def test_three_more_tries_then_it_gives_up(account: GetResponseEmulator, answer: Any) -> None:
    async with receiving(answer) as receiver:
        account.push.register(receiver.url)
        account.push.burst(1)
        assert await account.push.drain(5)
    assert len(receiver.received) == 4
    ids = {headers["X-Webhook-ID"] for _, headers in receiver.received}
    requests = {headers["X-Request-ID"] for _, headers in receiver.received}
    assert len(ids) == 1  # the same webhook on every try
    assert len(requests) == 4  # a new request each time
    assert account.push.stats.given_up == 1


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [400, 404, 410, 302])
async def test_no_retry_on_other_4xx_or_3xx(account: GetResponseEmulator, status: int) -> None:
    async with receiving(_status(status)) as receiver:
        account.push.register(receiver.url)
        account.push.burst(1)
        assert await account.push.drain(5)
    assert len(receiver.received) == 1
    assert account.push.stats.given_up == 1


@pytest.mark.asyncio
async def test_a_refused_connection_is_tried_again(account: GetResponseEmulator) -> None:
    async with receiving() as receiver:
        url = receiver.url
    account.push.register(url)  # nobody listens there any more
    account.push.burst(1)
    assert await account.push.drain(5)
    assert account.push.stats.tries == 4
    assert "given up after 4 tries" in next(iter(account.push.stats.outcomes.values()))


@pytest.mark.asyncio
async def test_a_retry_that_succeeds_stops_the_retries(account: GetResponseEmulator) -> None:
    tries = 0

    def second_time(payload: dict[str, Any], request: web.Request) -> web.Response:
        nonlocal tries
        tries += 1
        return web.json_response(
            {"status": "OK"} if tries == 2 else None, status=200 if tries == 2 else 502
        )

    async with receiving(second_time) as receiver:
        account.push.register(receiver.url)
        account.push.burst(1)
        assert await account.push.drain(5)
    assert len(receiver.received) == 2
    assert account.push.stats.delivered == 1
