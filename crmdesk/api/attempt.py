"""The parts of one request's attempts: the chain that links them in their Exchanges, the
deadline each must finish within, and the words for what went wrong on the wire."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import httpx

from crmdesk.api.errors import ApiError

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange


class Chain:
    """The attempts of one call: what links them and marks them in their Exchanges."""

    def __init__(
        self,
        retry_of: Exchange | None,
        reply_has_secrets: bool,
        auth: bool,
        note: str,
        repeatable: bool,
    ) -> None:
        self.call_id = retry_of.call_id if retry_of is not None else ""
        self.before = retry_of.attempt if retry_of is not None else 0
        self.reply_has_secrets = reply_has_secrets
        self.auth = auth
        self.note = note
        self.repeatable = repeatable
        self.attempt = 1
        self.request: httpx.Request | None = None
        self.request_body = b""
        self.started_at = 0.0
        self.started = 0.0

    def begin(self, request: httpx.Request) -> None:
        """The current attempt sends `request`, from now."""
        self.request = request
        self.request_body = request.content
        self.started_at = time.time()
        self.started = time.perf_counter()

    @property
    def number(self) -> int:
        return self.before + self.attempt


class Failed(Exception):
    """An attempt that failed: its ApiError, and whether another attempt may help."""

    def __init__(self, error: ApiError, *, retryable: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.retryable = retryable


def deadline_of(request: httpx.Request) -> float | None:
    """How long one attempt may take in all: the sum of its timeouts (connect, write, pool and
    one read), so a body trickled a byte at a time, each within the read timeout, still ends."""
    timeouts = request.extensions.get("timeout", {})
    parts = [timeouts.get(name) for name in ("connect", "read", "write", "pool")]
    if any(part is None for part in parts):
        return None
    return float(sum(parts))


class TooLarge(Exception):
    def __init__(self, head: bytes, size: int) -> None:
        super().__init__("reply too large")
        self.head = head
        self.size = size


def describe(exc: httpx.HTTPError) -> str:
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
    if isinstance(exc, httpx.DecodingError):
        return "The server's reply could not be decoded (its Content-Encoding is wrong)."
    return "The request failed."
