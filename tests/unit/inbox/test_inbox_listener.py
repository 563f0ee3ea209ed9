"""NotificationListener over loopback: the protocol's answers, and everything that is not the
protocol refused with a reply that is not OK, without ever stopping the listener."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio

from crmdesk.inbox import (
    AnswerMode,
    InboxQuery,
    InboxStore,
    NotificationListener,
    Route,
    md5_answer,
)

LOGIN, PASSWORD = "apiuser", "s3cret-Passw0rd"
TOKEN = "T" * 43
WEBHOOK_TOKEN = "W" * 43


def _route(mode: AnswerMode = AnswerMode.KEY, **kwargs: Any) -> Route:
    return Route(TOKEN, "c1", "Dealer", "aicore-push", mode, LOGIN, PASSWORD, **kwargs)


@pytest_asyncio.fixture
async def listener(store: InboxStore) -> AsyncIterator[NotificationListener]:
    async with NotificationListener(store, confirm_delay=0, body_seconds=1.0) as running:
        running.add_route(_route())
        running.add_route(Route(WEBHOOK_TOKEN, "g1", "Mail", "getresponse-webhook"))
        yield running


@pytest_asyncio.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as opened:
        yield opened


def _not_ok(reply: httpx.Response, status: int) -> str:
    assert reply.status_code == status
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body["status"] == "ERROR"
    words: str = body["error"]
    return words


@pytest.mark.asyncio
async def test_key_mode_answers_with_the_md5(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    reply = await client.post(
        listener.url_for(TOKEN), json={"request": "authenticate", "key": "k1"}
    )
    assert reply.json() == {
        "ai_login_id": LOGIN,
        "ai_login_password": md5_answer(LOGIN, PASSWORD, "k1"),
    }
    status = listener.status(TOKEN)
    assert status.last_answer is AnswerMode.KEY
    assert listener.events[-1].kind == "authenticate"


@pytest.mark.asyncio
async def test_key_mode_refuses_an_authenticate_without_key(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    reply = await client.post(listener.url_for(TOKEN), json={"request": "authenticate"})
    assert "no key" in _not_ok(reply, 400)
    assert listener.status(TOKEN).last_answer is None
    assert "no key" in listener.status(TOKEN).last_authenticate_problem


@pytest.mark.asyncio
async def test_plain_mode_warns_and_no_mode_logs_the_password(
    listener: NotificationListener, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    listener.add_route(_route(AnswerMode.PLAIN))
    reply = await client.post(listener.url_for(TOKEN), json={"request": "authenticate"})
    assert reply.json() == {"ai_login_id": LOGIN, "ai_login_password": PASSWORD}
    assert any(r.levelno == logging.WARNING and "plain" in r.getMessage() for r in caplog.records)
    await client.post(listener.url_for(TOKEN), json={"request": "authenticate", "key": "k"})
    await client.post(listener.url_for(TOKEN), json={"request": "delivery", "messages": []})
    ours = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("http"))
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(_route())
    assert TOKEN not in ours  # (the test's own HTTP client logs its URLs)


@pytest.mark.asyncio
async def test_passive_mode_answers_ok_then_confirms_once_and_records_it(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    confirmed = asyncio.Event()
    calls = 0

    async def confirm() -> None:
        nonlocal calls
        calls += 1
        confirmed.set()

    listener.add_route(_route(AnswerMode.PASSIVE, confirm=confirm))
    reply = await client.post(listener.url_for(TOKEN), json={"request": "authenticate", "key": "k"})
    assert reply.json() == {"status": "OK"}
    await asyncio.wait_for(confirmed.wait(), 5)
    await _until(lambda: listener.status(TOKEN).confirm == "confirmed")
    assert calls == 1
    assert [e.kind for e in listener.events[-2:]] == ["authenticate", "confirm"]


@pytest.mark.asyncio
async def test_a_failed_confirmation_is_recorded_in_words(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    async def confirm() -> None:
        raise RuntimeError("Invalid API login ID or password")

    listener.add_route(_route(AnswerMode.PASSIVE, confirm=confirm))
    await client.post(listener.url_for(TOKEN), json={"request": "authenticate"})
    await _until(lambda: listener.status(TOKEN).confirm.startswith("failed"))
    assert "Invalid API login" in listener.status(TOKEN).confirm
    listener.add_route(_route(AnswerMode.PASSIVE))  # nothing to confirm with
    await client.post(listener.url_for(TOKEN), json={"request": "authenticate"})
    assert listener.status(TOKEN).confirm.startswith("not possible")


@pytest.mark.asyncio
async def test_a_delivery_is_ok_only_once_stored(
    listener: NotificationListener, client: httpx.AsyncClient, store: InboxStore
) -> None:
    body = {"request": "delivery", "messages": [{"type": "generic", "data": "Hello"}]}
    reply = await client.post(listener.url_for(TOKEN), json=body)
    assert (reply.status_code, reply.json()) == (200, {"status": "OK"})
    assert await store.count(InboxQuery(connection_id="c1")) == 1
    empty = await client.post(listener.url_for(TOKEN), json={"request": "delivery"})
    assert empty.json() == {"status": "OK"}
    status = listener.status(TOKEN)
    assert (status.deliveries, status.messages) == (2, 1)


@pytest.mark.asyncio
async def test_a_delivery_that_cannot_be_stored_is_not_ok(
    listener: NotificationListener, client: httpx.AsyncClient, store: InboxStore
) -> None:
    await store.aclose()
    body = {"request": "delivery", "messages": [{"type": "generic", "data": "Hello"}]}
    reply = await client.post(listener.url_for(TOKEN), json=body)
    assert "send it again" in _not_ok(reply, 503)
    assert listener.events[-1].kind == "store-failed"


@pytest.mark.asyncio
async def test_a_bug_costs_one_request_not_the_listener(
    listener: NotificationListener, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_args: object) -> None:
        raise KeyError("bug")

    body = {"request": "delivery", "messages": [{"type": "generic", "data": "Hello"}]}
    with monkeypatch.context() as patch:
        patch.setattr(listener.store, "add", broken)
        _not_ok(await client.post(listener.url_for(TOKEN), json=body), 500)
    assert (await client.post(listener.url_for(TOKEN), json=body)).json() == {"status": "OK"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"request": "subscribe"}',
        b'{"request": "delivery", "messages": [1]}',
    ],
)
async def test_what_is_not_the_protocol_gets_400(
    listener: NotificationListener, client: httpx.AsyncClient, body: bytes
) -> None:
    words = _not_ok(await client.post(listener.url_for(TOKEN), content=body), 400)
    assert words.startswith("Not a notification request")
    assert listener.status(TOKEN).rejected == 1


@pytest.mark.asyncio
async def test_unknown_tokens_and_paths_get_404(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    base = listener.url_for(TOKEN).removesuffix(TOKEN)
    for url in (base + "X" * 43, base + TOKEN + "/more", base.removesuffix("/n/") + "/", base):
        _not_ok(await client.post(url, json={"request": "delivery"}), 404)
    listener.remove_route(TOKEN)
    _not_ok(await client.post(base + TOKEN, json={"request": "delivery"}), 404)
    assert listener.unknown_requests == 5


@pytest.mark.asyncio
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "PATCH"])
async def test_other_methods_get_405(
    listener: NotificationListener, client: httpx.AsyncClient, method: str
) -> None:
    reply = await client.request(method, listener.url_for(TOKEN))
    _not_ok(reply, 405)
    assert reply.headers["allow"] == "POST"


@pytest.mark.asyncio
async def test_bodies_over_1_mib_get_413_with_or_without_a_length(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    big = b'{"request": "delivery", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    _not_ok(await client.post(listener.url_for(TOKEN), content=big), 413)

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    _not_ok(await client.post(listener.url_for(TOKEN), content=chunks()), 413)
    assert (await client.post(listener.url_for(TOKEN), json={"request": "delivery"})).json() == {
        "status": "OK"
    }


@pytest.mark.asyncio
async def test_a_trickled_body_meets_a_deadline(listener: NotificationListener) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    writer.write(f"POST /n/{TOKEN} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{{".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n"), 10)
    writer.close()
    assert b" 408 " in head


@pytest.mark.asyncio
async def test_absurd_headers_are_refused_and_the_listener_goes_on(
    listener: NotificationListener, client: httpx.AsyncClient
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    writer.write(f"POST /n/{TOKEN} HTTP/1.1\r\nX-Huge: {'a' * 100_000}\r\n\r\n".encode())
    await writer.drain()
    head = await asyncio.wait_for(reader.read(200), 10)
    writer.close()
    assert b" 400 " in head.split(b"\r\n")[0]
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    writer.write(b"\x16\x03\x01\x02\x00garbage that is not HTTP\r\n\r\n")
    await writer.drain()
    await asyncio.wait_for(reader.read(200), 10)
    writer.close()
    reply = await client.post(listener.url_for(TOKEN), json={"request": "delivery"})
    assert reply.json() == {"status": "OK"}


@pytest.mark.asyncio
async def test_webhooks_are_stored_once_per_webhook_id(
    listener: NotificationListener, client: httpx.AsyncClient, store: InboxStore
) -> None:
    payload = {"type": "contact_subscribed", "contact": {"contactId": "c9", "email": "a@b.example"}}
    url = listener.url_for(WEBHOOK_TOKEN)
    for request_id in ("r1", "r2"):
        headers = {
            "X-Webhook-ID": "hook-1",
            "X-Webhook-Type": "contact_subscribed",
            "X-Request-ID": request_id,
        }
        assert (await client.post(url, json=payload, headers=headers)).json() == {"status": "OK"}
    (stored,) = await store.page(InboxQuery(connection_id="g1"))
    assert stored.repeat_count == 1
    assert stored.meta["X-Request-ID"] == "r1"
    assert stored.link is not None
    assert (stored.link.entity, stored.link.record_id) == ("contacts", "c9")
    assert "Not a webhook" in _not_ok(await client.post(url, content=b"[]"), 400)


@pytest.mark.asyncio
async def test_the_url_is_the_bound_address_or_the_public_one(store: InboxStore) -> None:
    async with NotificationListener(store, host="0.0.0.0", public_base_url="") as everywhere:
        assert everywhere.url_for(TOKEN) == f"http://127.0.0.1:{everywhere.port}/n/{TOKEN}"
    relayed = NotificationListener(store, public_base_url="https://relay.example/me/")
    assert relayed.url_for(_route()) == f"https://relay.example/me/n/{TOKEN}"


def test_a_route_token_must_be_a_url_safe_capability() -> None:
    with pytest.raises(ValueError, match="token"):
        Route("short", "c1", "Dealer", "aicore-push")
    with pytest.raises(ValueError, match="token"):
        Route("a/b" * 10, "c1", "Dealer", "aicore-push")


async def _until(condition: Any, timeout: float = 5.0) -> None:
    # The listener has no event for this; polling a status is what the UI does too.
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_a_broken_chunked_body_is_a_400_not_a_failure(listener: NotificationListener) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    writer.write(
        f"POST /n/{TOKEN} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        '5\r\n{"req\r\nzz\r\n'.encode()
    )
    await writer.drain()
    head = await asyncio.wait_for(reader.read(300), 10)
    writer.close()
    assert b" 400 " in head.split(b"\r\n")[0]
