"""Transport: the one HTTP client of a connection, and the record of every round trip it makes.

It owns the `httpx.AsyncClient` (timeouts, TLS verification on), retries reads that are safe to
repeat, keeps each request within the rate-limit governor, reads replies up to a size bound, and
hands each round trip, redacted, to the ExchangeLog. It never interprets a status: that is the
backend's job, through `Reply.error()`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from crmdesk import __version__
from crmdesk.api.errors import ApiError, ErrorKind, kind_for_status
from crmdesk.api.exchange import BODY_KEEP_BYTES, Exchange, ExchangeLog, new_exchange_id
from crmdesk.api.model import PlannedWrite, RawRequest, WireRequest
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.redact import Redactor

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_STATUSES = frozenset({502, 503, 504})
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Reply:
    """A response that arrived whole: status, headers, body, and its recorded Exchange."""

    status: int
    headers: httpx.Headers
    body: bytes
    exchange: Exchange
    # Error text quotes the reply (the unredacted body the backend reads): it is redacted.
    redactor: Redactor | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def content_type(self) -> str:
        value: str = self.headers.get("content-type", "")
        return value.split(";")[0].strip().lower()

    def text(self) -> str:
        """The body as text in the charset the server declared (UTF-8 if it declared none)."""
        charset = "utf-8"
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip('"').strip()
        try:
            return self.body.decode(charset)
        except LookupError:
            raise self.error(
                f"The server declared an unknown character set {charset!r}.",
                kind=ErrorKind.PROTOCOL,
            ) from None
        except UnicodeDecodeError:
            raise self.error(
                f"The reply is not valid {charset} text.", kind=ErrorKind.PROTOCOL
            ) from None

    def json(self) -> Any:
        """The body parsed as JSON; anything else is a protocol error carrying this exchange."""
        if not self.body.strip():
            raise self.error("The server sent an empty reply.", kind=ErrorKind.PROTOCOL)
        try:
            return json.loads(self.text())
        except ValueError as exc:
            what = "an HTML page" if self.body.lstrip()[:1] == b"<" else "malformed JSON"
            raise self.error(
                f"The server sent {what} where JSON was expected ({exc}).",
                kind=ErrorKind.PROTOCOL,
            ) from None

    def body_message(self) -> str | None:
        """What a body that is not the API's format says: an HTML page, or plain text."""
        if self.body.lstrip()[:1] == b"<":
            return "The server sent an HTML error page instead of an API reply."
        if self.content_type == "text/plain" and self.body.strip():
            text = self.body.decode("utf-8", errors="replace").strip()
            return text if len(text) <= 300 else text[:297] + "..."
        return None

    def plain_message(self) -> str:
        """What this reply says in words when the API gave no message of its own."""
        reason = self.exchange.reason or "no reason given"
        return self.body_message() or f"The server answered {self.status} ({reason})."

    def error(
        self,
        message: str | None = None,
        *,
        kind: ErrorKind | None = None,
        vendor_code: str | None = None,
        context: Any = None,
        more_info: str | None = None,
        retry_at: float | None = None,
    ) -> ApiError:
        """The ApiError this reply stands for; the one place a status becomes an error."""
        if kind is None:
            kind = kind_for_status(self.status) if self.status >= 400 else ErrorKind.PROTOCOL
        message = message or self.plain_message()
        if self.redactor is not None:
            message = self.redactor.text(message)
        return ApiError(
            kind,
            message,
            exchange=self.exchange,
            status=self.status,
            vendor_code=vendor_code,
            context=context,
            more_info=more_info,
            retry_at=retry_at,
        )


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

        Raises ApiError only when no whole reply arrived: transport failure, timeout, or a body
        over the size bound. Reads are retried on a dropped connection, a timeout and
        502/503/504; `repeatable` says whether this request is such a read when its method
        alone does not tell (a form POST that only reads), or forbids retrying one that is not.
        `governed=False` is for calls the server does not count against the quota (logging
        in), which must not wait for it. `reply_has_secrets=True` marks
        replies that carry secrets in named fields (a login's token): their bodies are redacted
        by field name as well as by the known secret values. `auth` marks a login or token
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
        chain = _Chain(retry_of, auth or reply_has_secrets, auth, note)
        attempt = 0
        while True:
            attempt += 1
            chain.attempt = attempt
            request = self._client.build_request(
                method,
                url,
                params=params,
                json=json_body,
                data=form,
                content=content,
                headers=headers,
                timeout=timeout or self._client.timeout,
            )
            try:
                if governed:
                    async with self.governor.slot():
                        reply = await self._send_once(request, chain)
                else:
                    reply = await self._send_once(request, chain)
            except ApiError as error:
                retryable = error.kind in (ErrorKind.TRANSPORT, ErrorKind.TIMEOUT)
                if attempt > retries or not retryable:
                    raise
                await asyncio.sleep(self._retry_backoff * 2 ** (attempt - 1))
                continue
            if attempt <= retries and reply.status in RETRY_STATUSES:
                await asyncio.sleep(self._retry_delay(reply, attempt))
                continue
            return reply

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
        retry_after: str = reply.headers.get("retry-after", "")
        if retry_after.isdigit():
            return min(float(retry_after), 10.0)
        return backoff

    async def _send_once(self, request: httpx.Request, chain: _Chain) -> Reply:
        started_at = time.time()
        started = time.perf_counter()
        request_body = request.content
        try:
            response = await self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise self._failure(request, request_body, started_at, started, chain, exc) from None
        try:
            body = await self._read_body(response)
        except httpx.HTTPError as exc:
            raise self._failure(request, request_body, started_at, started, chain, exc) from None
        except _TooLarge as too_large:
            exchange = self._record(
                request,
                request_body,
                started_at,
                started,
                chain,
                response,
                too_large.head,
                body_size=too_large.size,
            )
            raise ApiError(
                ErrorKind.PROTOCOL,
                f"The reply is larger than {self._max_response_bytes // (1024 * 1024)} MiB; "
                "crmdesk stopped reading it.",
                exchange=exchange,
                status=response.status_code,
            ) from None
        finally:
            await response.aclose()
        exchange = self._record(
            request,
            request_body,
            started_at,
            started,
            chain,
            response,
            body,
        )
        return Reply(response.status_code, response.headers, body, exchange, self.redactor)

    async def _read_body(self, response: httpx.Response) -> bytes:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self._max_response_bytes:
                raise _TooLarge(b"".join(chunks)[:BODY_KEEP_BYTES], size)
            chunks.append(chunk)
        return b"".join(chunks)

    def _failure(
        self,
        request: httpx.Request,
        request_body: bytes,
        started_at: float,
        started: float,
        chain: _Chain,
        exc: httpx.HTTPError,
    ) -> ApiError:
        timed_out = isinstance(exc, httpx.TimeoutException)
        # An error's own words can quote the URL, secrets and all.
        what = self.redactor.text(_describe_transport_error(exc))
        exchange = self._record(
            request, request_body, started_at, started, chain, None, b"", error=what
        )
        kind = ErrorKind.TIMEOUT if timed_out else ErrorKind.TRANSPORT
        return ApiError(kind, what, exchange=exchange)

    def _record(
        self,
        request: httpx.Request,
        request_body: bytes,
        started_at: float,
        started: float,
        chain: _Chain,
        response: httpx.Response | None,
        body: bytes,
        *,
        error: str | None = None,
        body_size: int | None = None,
    ) -> Exchange:
        redact = self.redactor
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
            started_at=started_at,
            elapsed_ms=(time.perf_counter() - started) * 1000.0,
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
        return exchange


class _Chain:
    """The attempts of one call: what links them and marks them in their Exchanges."""

    def __init__(self, retry_of: Exchange | None, reply_has_secrets: bool, auth: bool, note: str):
        self.call_id = retry_of.call_id if retry_of is not None else ""
        self.before = retry_of.attempt if retry_of is not None else 0
        self.reply_has_secrets = reply_has_secrets
        self.auth = auth
        self.note = note
        self.attempt = 1

    @property
    def number(self) -> int:
        return self.before + self.attempt


class _TooLarge(Exception):
    def __init__(self, head: bytes, size: int) -> None:
        super().__init__("reply too large")
        self.head = head
        self.size = size


def _describe_transport_error(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "Could not connect to the server in time."
    if isinstance(exc, httpx.ReadTimeout):
        return "The server did not answer in time."
    if isinstance(exc, httpx.TimeoutException):
        return "The request timed out."
    if isinstance(exc, httpx.ConnectError):
        return f"Could not connect to the server ({exc or 'connection refused'})."
    if isinstance(exc, httpx.RemoteProtocolError):
        return "The server closed the connection without a complete reply."
    if isinstance(exc, httpx.ReadError | httpx.WriteError):
        return "The connection dropped while talking to the server."
    return f"The request failed: {exc.__class__.__name__}: {exc}"
