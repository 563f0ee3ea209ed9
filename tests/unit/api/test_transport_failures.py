"""The transport's boundary: whatever the HTTP stack meets, the caller gets an ApiError in time.

A body trickled a byte at a time ends at the attempt's deadline; an exception that is not
httpx's own is still an ApiError with its exchange; a request HTTP cannot carry is refused
unsent; a write that failed after it went out says that its outcome is unknown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Redactor, response_text
from crmdesk.api.nesting import MAX_JSON_DEPTH
from crmdesk.api.transport import Transport

pytestmark = pytest.mark.asyncio


def make(handler: object, **kwargs: object) -> Transport:
    return Transport(
        "https://crm.example/api/v1",
        connection="Test",
        log=ExchangeLog(),
        redactor=Redactor(),
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        retry_backoff=0.0,
        **kwargs,  # type: ignore[arg-type]
    )


class Trickle(httpx.AsyncByteStream):
    """A body of many bytes, each well within any read timeout of the one before."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(10_000):
            await asyncio.sleep(0.02)
            yield b"x"


async def test_a_trickled_body_ends_at_the_attempts_deadline() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        return httpx.Response(200, stream=Trickle())

    # Each byte comes well within the read timeout; the deadline is the timeouts' sum, 0.4 s.
    transport = make(handler, timeout=httpx.Timeout(0.1))
    async with asyncio.timeout(30):
        with pytest.raises(ApiError) as caught:
            await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert "did not finish its reply" in caught.value.message
    assert caught.value.exchange is not None
    assert caught.value.exchange.status == 200
    assert sent == ["GET"]  # a read past its deadline is not tried again
    assert not caught.value.outcome_unknown
    await transport.aclose()


async def test_a_trickled_reply_to_a_write_leaves_its_outcome_unknown() -> None:
    transport = make(
        lambda request: httpx.Response(200, stream=Trickle()), timeout=httpx.Timeout(0.1)
    )
    async with asyncio.timeout(30):
        with pytest.raises(ApiError) as caught:
            await transport.request("PUT", "lead/1", json_body={"a": 1})
    assert caught.value.outcome_unknown
    assert "may have acted on it" in caught.value.message
    await transport.aclose()


@pytest.mark.parametrize(
    "raised",
    [
        httpx.InvalidURL("Invalid port: '99999'"),
        UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
        ValueError("h11 could not parse this"),
        OSError("the socket went away"),
    ],
)
async def test_anything_the_http_stack_raises_is_an_api_error_with_its_exchange(
    raised: Exception,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    transport = make(handler)
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead")
    assert caught.value.kind is ErrorKind.TRANSPORT
    assert caught.value.exchange is not None
    assert caught.value.message == "The request failed: the server's reply could not be read."
    assert type(raised).__name__ in str(caught.value.detail)
    await transport.aclose()


async def test_a_request_http_cannot_carry_is_refused_unsent() -> None:
    sent: list[httpx.Request] = []
    transport = make(lambda request: sent.append(request) or httpx.Response(200))
    with pytest.raises(ApiError) as caught:
        await transport.request("GET", "lead", headers={"Authorization": "Bearer t²ken"})
    assert caught.value.kind is ErrorKind.INVALID
    assert "nothing was sent" in caught.value.message
    assert sent == []
    await transport.aclose()


@pytest.mark.parametrize(
    ("raised", "unknown"),
    [
        (httpx.ConnectError("refused"), False),  # never left: the server cannot have acted
        (httpx.ReadError("reset by peer"), True),
        (httpx.ReadTimeout("slow"), True),
        (httpx.RemoteProtocolError("closed early"), True),
    ],
)
async def test_a_failed_write_is_unknown_only_once_it_was_sent(
    raised: Exception, unknown: bool
) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        raise raised

    transport = make(handler)
    with pytest.raises(ApiError) as write:
        await transport.request("POST", "lead", json_body={"a": 1})
    assert write.value.outcome_unknown is unknown
    assert calls == ["POST"]
    with pytest.raises(ApiError) as read:
        await transport.request("GET", "lead")
    assert not read.value.outcome_unknown  # a read is only sent again
    await transport.aclose()


@pytest.mark.parametrize(
    ("body", "charset"),
    [(b'{"a": 1}', "punycode"), (b"\xff\xfe\xfd", "idna"), (b"{}", "base64"), (b"{}", "zlib")],
)
async def test_a_charset_that_cannot_decode_is_a_protocol_error(body: bytes, charset: str) -> None:
    headers = {"content-type": f"application/json; charset={charset}"}
    transport = make(lambda request: httpx.Response(200, content=body, headers=headers))
    reply = await transport.request("GET", "lead")
    with pytest.raises(ApiError) as caught:
        reply.json()
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert caught.value.exchange is reply.exchange
    await transport.aclose()


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1),
        b'{"a":' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1),
    ],
)
async def test_json_nested_too_deep_is_a_protocol_error(body: bytes) -> None:
    transport = make(lambda request: httpx.Response(200, content=body))
    reply = await transport.request("GET", "lead")
    with pytest.raises(ApiError) as caught:
        reply.json()
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert "nested" in caught.value.message
    await transport.aclose()


async def test_json_as_deep_as_allowed_is_read_and_nan_is_not_json() -> None:
    deep = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    transport = make(lambda request: httpx.Response(200, content=deep))
    assert (await transport.request("GET", "lead")).json() is not None
    nan = make(lambda request: httpx.Response(200, content=b'{"total": NaN}'))
    with pytest.raises(ApiError) as caught:
        (await nan.request("GET", "lead")).json()
    assert "malformed JSON" in caught.value.message
    assert "Expecting" not in caught.value.message  # the parser's words stay in the detail
    assert caught.value.detail
    await transport.aclose()
    await nan.aclose()


async def test_an_exchange_whose_body_never_finished_says_so() -> None:

    transport = make(
        lambda request: httpx.Response(200, stream=Trickle()), timeout=httpx.Timeout(0.1)
    )
    async with asyncio.timeout(30):
        with pytest.raises(ApiError) as caught:
            await transport.request("GET", "lead")
    assert caught.value.exchange is not None
    shown = response_text(caught.value.exchange)
    assert shown.startswith("HTTP 200")
    assert "did not arrive whole: The server did not finish its reply" in shown
    await transport.aclose()
