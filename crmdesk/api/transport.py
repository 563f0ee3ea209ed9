"""Transport: the one HTTP client of a connection, and the record of every round trip it makes.

It owns the `httpx.AsyncClient` (timeouts, TLS verification on), retries reads that are safe to
repeat, keeps each request within the rate-limit governor, reads replies up to a size bound and
within a deadline, and hands each round trip, redacted, to the ExchangeLog. It never interprets
a status: that is the backend's job, through `Reply.error()`. Whatever goes wrong on the way
(httpx's errors and any other the client raises) leaves here as an ApiError with its exchange.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from typing import Any

import httpx

from crmdesk import __version__
from crmdesk.api import boundary
from crmdesk.api.attempt import Chain, Failed, TooLarge, deadline_of, describe
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import BODY_KEEP_BYTES, Exchange, ExchangeLog, new_exchange_id
from crmdesk.api.model import PlannedWrite, RawRequest, WireRequest
from crmdesk.api.numbers import header_number
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.redact import Redactor
from crmdesk.api.reply import Reply as Reply

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# The longest a 503's Retry-After is obeyed before a read is sent again.
MAX_RETRY_DELAY = 10.0
# Failures that happen before a request leaves: the server cannot have acted on it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class Transport:
    """One connection's HTTP client. Build it in the composition root, close it exactly once."""

    def __init__(
        self,
        base_url: str,
        *,
        connection: str,
        connection_id: str = "",
        log: ExchangeLog,
        redactor: Redactor,
        governor: RateLimitGovernor | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        retry_backoff: float = 0.25,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.connection = connection
        self.connection_id = connection_id
        self.log = log
        self.redactor = redactor
        self.governor = governor or RateLimitGovernor()
        self._max_retries = max_retries
        self._retry_backoff = retry_backoff
        self._max_response_bytes = max_response_bytes
        self._client = httpx.AsyncClient(
            base_url=base_url,
            timeout=timeout,
            verify=True,
            follow_redirects=False,
            headers={"User-Agent": f"crmdesk/{__version__}", **(headers or {})},
            transport=transport,
        )

    @property
    def base_url(self) -> str:
        return str(self._client.base_url)

    @property
    def closed(self) -> bool:
        return self._client.is_closed

    async def aclose(self) -> None:
        await self._client.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | httpx.Headers | None = None,
        timeout: httpx.Timeout | None = None,
        governed: bool = True,
        repeatable: bool | None = None,
        reply_has_secrets: bool = False,
        auth: bool = False,
        note: str = "",
        retry_of: Exchange | None = None,
    ) -> Reply:
        """Send one request (retrying if it is safe to) and return the reply, whatever its status.

        Raises ApiError only when no whole reply arrived: transport failure, timeout, a body
        over the size bound, or an attempt past its deadline (the sum of its timeouts: a body
        trickled slowly still ends). Such an error of a request that is not `repeatable` and
        had been sent is `outcome_unknown`: the server may have acted on it. Reads are
        retried on a dropped connection, a timeout and 502/503/504 (not past a deadline);
        `repeatable` says whether this request is such a read when its method alone does not
        tell (a form POST that only reads), or forbids retrying one that is not.
        `governed=False` is for calls the server does not count against the quota (logging
        in), which must not wait for it. `reply_has_secrets=True` marks replies that carry
        secrets in named fields (a login's token): their bodies are redacted by field name as
        well as by the known secret values. `auth` marks a login or token
        renewal in its Exchange, `note` says why the call was made when that is not obvious,
        and `retry_of` links a backend's own repeat of a call (after a quota wait, a re-login)
        to the attempts before it.
        """
        if self._client.is_closed:
            raise ApiError(ErrorKind.TRANSPORT, f"The connection {self.connection} is closed.")
        method = method.upper()
        if repeatable is None:
            repeatable = method in SAFE_METHODS
        retries = self._max_retries if repeatable else 0
        chain = Chain(retry_of, auth or reply_has_secrets, auth, note, repeatable)
        attempt = 0
        while True:
            attempt += 1
            chain.attempt = attempt
            request = self._build(method, url, params, json_body, form, content, headers, timeout)
            try:
                if governed:
                    async with self.governor.slot():
                        reply = await self._send_once(request, chain)
                else:
                    reply = await self._send_once(request, chain)
            except Failed as failed:
                if attempt > retries or not failed.retryable:
                    raise failed.error from None
                await asyncio.sleep(self._retry_backoff * 2 ** (attempt - 1))
                continue
            if attempt <= retries and reply.status in RETRY_STATUSES:
                await asyncio.sleep(self._retry_delay(reply, attempt))
                continue
            return reply

    def _build(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        form: Mapping[str, str] | None,
        content: bytes | None,
        headers: Mapping[str, str] | httpx.Headers | None,
        timeout: httpx.Timeout | None,
    ) -> httpx.Request:
        try:
            return self._client.build_request(
                method,
                url,
                params=params,
                json=json_body,
                data=form,
                content=content,
                headers=headers,
                timeout=timeout or self._client.timeout,
            )
        except Exception as exc:
            # A value HTTP cannot carry (a non-ASCII header, a bad URL): nothing was sent.
            raise ApiError(
                ErrorKind.INVALID,
                "crmdesk could not build this request (a value in it cannot be sent over "
                "HTTP as it is); nothing was sent.",
                detail=f"{type(exc).__name__}: {exc}"[:300],
            ) from None

    async def send_raw(self, request: RawRequest, *, note: str = "") -> Reply:
        """Send a request given on the wire's terms (a replay): method, URL, headers, body."""
        return await self.request(
            request.method,
            request.url,
            content=request.body or None,
            headers=httpx.Headers(list(request.headers)),
            note=note,
        )

    def preview(self, wire: WireRequest) -> PlannedWrite:
        """What `wire` would send, built as it would be but not sent, secrets redacted."""
        built = self._client.build_request(
            wire.method,
            wire.path,
            params=wire.params or None,
            json=wire.json_body,
            data=wire.form,
        )
        body = self.redactor.body(built.content).decode("utf-8", errors="replace")
        content_type = built.headers.get("content-type", "")
        return PlannedWrite(wire.method, self.redactor.url(str(built.url)), body, content_type)

    def _retry_delay(self, reply: Reply, attempt: int) -> float:
        backoff: float = self._retry_backoff * 2 ** (attempt - 1)
        # A Retry-After is obeyed for as long as one read may take, and never longer.
        longest = min(MAX_RETRY_DELAY, self._client.timeout.read or MAX_RETRY_DELAY)
        retry_after = header_number(reply.headers, "retry-after", maximum=1e9)
        return backoff if retry_after is None else min(retry_after, longest)

    async def _send_once(self, request: httpx.Request, chain: Chain) -> Reply:
        """One attempt, whole: sent, answered and read within its deadline, or a `Failed`."""
        chain.begin(request)
        response: httpx.Response | None = None
        deadline = deadline_of(request)
        limit = asyncio.timeout(deadline)
        try:
            async with limit:
                response = await self._client.send(request, stream=True)
                body = await self._read_body(response)
        except TooLarge as too_large:
            assert response is not None
            exchange = self._record(chain, response, too_large.head, body_size=too_large.size)
            error = ApiError(
                ErrorKind.PROTOCOL,
                f"The reply is larger than {self._max_response_bytes // (1024 * 1024)} MiB; "
                "crmdesk stopped reading it.",
                exchange=exchange,
                status=response.status_code,
            )
            raise Failed(self._unsure(error, chain, sent=True), retryable=False) from None
        except TimeoutError:
            if not limit.expired():
                raise
            what = f"The server did not finish its reply within {deadline:g} s."
            raise self._failure(
                chain,
                response,
                what,
                ErrorKind.TIMEOUT,
                sent=True,
                retryable=False,
            ) from None
        except httpx.HTTPError as exc:
            timed_out = isinstance(exc, httpx.TimeoutException)
            raise self._failure(
                chain,
                response,
                describe(exc),
                ErrorKind.TIMEOUT if timed_out else ErrorKind.TRANSPORT,
                sent=not isinstance(exc, _NOT_SENT),
                retryable=True,
                detail=f"{type(exc).__name__}: {exc}",
            ) from None
        except Exception as exc:
            # Anything else the HTTP stack raises on a strange reply (a bad redirect URL, h11).
            raise self._failure(
                chain,
                response,
                "The request failed: the server's reply could not be read.",
                ErrorKind.TRANSPORT,
                sent=True,
                retryable=False,
                detail=f"{type(exc).__name__}: {exc}",
            ) from None
        finally:
            if response is not None:
                with contextlib.suppress(Exception):
                    await response.aclose()
        exchange = self._record(chain, response, body)
        return Reply(response.status_code, response.headers, body, exchange, self.redactor)

    async def _read_body(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_response_bytes:
                raise TooLarge(b"".join(chunks)[:BODY_KEEP_BYTES], size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _failure(
        self,
        chain: Chain,
        response: httpx.Response | None,
        what: str,
        kind: ErrorKind,
        *,
        sent: bool,
        retryable: bool,
        detail: str | None = None,
    ) -> Failed:
        # An error's own words can quote the URL, secrets and all.
        what = self.redactor.text(what)
        exchange = self._record(chain, response, b"", error=what)
        status = response.status_code if response is not None else None
        error = ApiError(
            kind, what, exchange=exchange, status=status, detail=detail and detail[:300]
        )
        return Failed(self._unsure(error, chain, sent=sent), retryable=retryable)

    @staticmethod
    def _unsure(error: ApiError, chain: Chain, *, sent: bool) -> ApiError:
        # A read can be sent again; a write that went out and got no whole answer may have
        # been applied, and its caller must not be told it simply failed.
        return error.mark_outcome_unknown() if sent and not chain.repeatable else error

    def _record(
        self,
        chain: Chain,
        response: httpx.Response | None,
        body: bytes,
        *,
        error: str | None = None,
        body_size: int | None = None,
    ) -> Exchange:
        redact = self.redactor
        request, request_body = chain.request, chain.request_body
        assert request is not None  # an attempt is recorded only once it has begun
        exchange_id = new_exchange_id()
        # Headers first: the credentials the Redactor learns from them are then also
        # removed from the URL and the bodies.
        request_headers = redact.headers(request.headers.multi_items())
        exchange = Exchange(
            id=exchange_id,
            connection_id=self.connection_id,
            connection=self.connection,
            method=request.method,
            url=redact.url(str(request.url)),
            request_headers=request_headers,
            request_body=redact.body(request_body[:BODY_KEEP_BYTES]),
            request_size=len(request_body),
            started_at=chain.started_at,
            elapsed_ms=(time.perf_counter() - chain.started) * 1000.0,
            status=response.status_code if response is not None else None,
            reason=response.reason_phrase if response is not None else "",
            response_headers=redact.headers(response.headers.multi_items()) if response else (),
            response_body=redact.body(body[:BODY_KEEP_BYTES], by_name=chain.reply_has_secrets),
            response_size=len(body) if body_size is None else body_size,
            error=error,
            attempt=chain.number,
            call_id=chain.call_id or exchange_id,
            auth=chain.auth,
            note=chain.note,
        )
        if not chain.call_id:
            chain.call_id = exchange_id
        self.log.record(exchange)
        boundary.note(exchange, write=not chain.repeatable)
        return exchange
