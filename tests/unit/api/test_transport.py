"""Transport: retries only safe reads, records every round trip redacted, bounds reply size."""

from __future__ import annotations

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Redactor, request_text, response_text
from crmdesk.api.exchange import BODY_KEEP_BYTES
from crmdesk.api.transport import Reply, Transport


def make(handler: object, **kwargs: object) -> tuple[Transport, ExchangeLog]:
    log = ExchangeLog()
    transport = Transport(
        "https://crm.example/api/v1",
        connection="Test",
        log=log,
        redactor=Redactor(secrets=["s3cret-value"]),
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        retry_backoff=0.0,
        **kwargs,  # type: ignore[arg-type]
    )
    return transport, log


@pytest.mark.asyncio
async def test_get_is_retried_on_503_and_post_is_not() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503 if len(calls) == 1 else 200, json={"ok": True})

    transport, log = make(handler)
    reply = await transport.request("GET", "lead")
    assert reply.status == 200
    assert calls == ["GET", "GET"]
    assert [e.attempt for e in log] == [1, 2]
    calls.clear()

    def always_503(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        return httpx.Response(503)

    transport2, _ = make(always_503)
    reply = await transport2.request("POST", "lead", json_body={"a": 1})
    assert reply.status == 503
    assert calls == ["POST"]
    await transport.aclose()
    await transport2.aclose()


@pytest.mark.asyncio
async def test_connection_failure_becomes_a_transport_error_with_its_exchange() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    transport, log = make(handler, max_retries=1)
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.TRANSPORT
    assert caught.value.exchange is not None
    assert caught.value.exchange.status is None
    assert "connect" in caught.value.message.lower()
    assert len(log) == 2  # the first try and one retry, both recorded
    await transport.aclose()


@pytest.mark.asyncio
async def test_timeout_is_its_own_kind() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    transport, _ = make(handler, max_retries=0)
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.TIMEOUT
    await transport.aclose()


@pytest.mark.asyncio
async def test_secrets_never_reach_the_exchange() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"echo": request.headers["password"]})

    transport, log = make(handler)
    await transport.request(
        "POST", "authenticate?k=s3cret-value", headers={"password": "s3cret-value"}
    )
    (exchange,) = list(log)
    recorded = repr(exchange)
    assert "s3cret-value" not in recorded
    assert ("password", "[REDACTED]") in exchange.request_headers
    await transport.aclose()


@pytest.mark.asyncio
async def test_a_huge_reply_is_cut_off_with_a_protocol_error() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"x" * 5000)

    transport, log = make(handler, max_response_bytes=1000)
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.PROTOCOL
    (exchange,) = list(log)
    assert exchange.status == 200
    await transport.aclose()


@pytest.mark.asyncio
async def test_closed_transport_refuses_to_send() -> None:
    transport, _ = make(lambda request: httpx.Response(200))
    await transport.aclose()
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.TRANSPORT


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b"", "application/json", "empty reply"),
        (b"<html><body>Bad gateway</body></html>", "text/html", "HTML page"),
        (b'{"Entity": [', "application/json", "malformed JSON"),
        (b"\xff\xfe{}", "application/json; charset=utf-8", "not valid text in the character set"),
        (b"{}", "application/json; charset=klingon", "character set crmdesk cannot read"),
    ],
)
@pytest.mark.asyncio
async def test_unreadable_bodies_become_protocol_errors(
    content: bytes, content_type: str, expected: str
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=content, headers={"content-type": content_type})

    transport, _ = make(handler)
    reply = await transport.request("GET", "lead")
    with pytest.raises(ApiError) as caught:
        reply.json()
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert expected.lower() in caught.value.message.lower()
    assert caught.value.exchange is reply.exchange
    await transport.aclose()


@pytest.mark.asyncio
async def test_declared_latin1_charset_is_honoured() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            content='{"name": "Müller"}'.encode("latin-1"),
            headers={"content-type": "application/json; charset=ISO-8859-1"},
        )

    transport, _ = make(handler)
    reply: Reply = await transport.request("GET", "lead")
    assert reply.json() == {"name": "Müller"}
    await transport.aclose()


def test_error_summary_reads_as_a_sentence() -> None:
    error = ApiError(ErrorKind.NOT_FOUND, "Record not found.", status=404)
    assert error.summary == "Not found (HTTP 404): Record not found."


@pytest.mark.asyncio
async def test_attempts_of_one_call_are_linked_and_a_later_repeat_joins_them() -> None:
    statuses = iter([503, 503, 200, 200])

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(next(statuses), json={})

    transport, log = make(handler)
    first = await transport.request("GET", "lead")
    again = await transport.request("GET", "lead", retry_of=first.exchange, note="after a wait")
    chain = list(log)
    assert [e.attempt for e in chain] == [1, 2, 3, 4]
    assert {e.call_id for e in chain} == {chain[0].id}
    assert len({e.id for e in chain}) == 4
    assert again.exchange.note == "after a wait"
    await transport.aclose()


@pytest.mark.asyncio
async def test_exchanges_name_the_profile_and_mark_logins() -> None:
    log = ExchangeLog()
    transport = Transport(
        "https://crm.example/api/v1",
        connection="Acme",
        connection_id="profile-7",
        log=log,
        redactor=Redactor(),
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json={})),
    )
    await transport.request("POST", "authenticate", auth=True)
    (exchange,) = list(log)
    assert (exchange.connection_id, exchange.connection, exchange.auth) == (
        "profile-7",
        "Acme",
        True,
    )
    await transport.aclose()


@pytest.mark.asyncio
async def test_a_body_shortened_by_redaction_is_not_said_to_be_cut() -> None:
    secret = "a-login-password-longer-than-the-redaction-mark"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"status=0&echo=" + secret.encode())

    transport, log = make(handler)
    transport.redactor = Redactor(secrets=[secret])
    await transport.request("POST", "service", form={"password": secret, "command": "ping"})
    (exchange,) = list(log)
    assert secret.encode() not in exchange.request_body + exchange.response_body
    assert exchange.request_size > len(exchange.request_body)  # the size is what was sent
    assert not exchange.request_truncated
    assert not exchange.response_truncated
    assert "Only the first" not in request_text(exchange) + response_text(exchange)
    await transport.aclose()


@pytest.mark.asyncio
async def test_sizes_are_kept_when_bodies_are_cut() -> None:
    big = b"y" * (BODY_KEEP_BYTES + 10)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=big)

    transport, log = make(handler)
    await transport.request("POST", "lead", form={"note": "x" * (BODY_KEEP_BYTES + 5)})
    (exchange,) = list(log)
    assert exchange.request_truncated
    assert exchange.request_size > BODY_KEEP_BYTES
    assert exchange.response_truncated
    assert exchange.response_size == len(big)
    await transport.aclose()
    transport, log = make(handler, max_response_bytes=1000)
    with pytest.raises(ApiError):
        await transport.request("GET", "lead")
    (cut,) = list(log)
    assert cut.response_size > 1000 >= len(cut.response_body)
    await transport.aclose()
