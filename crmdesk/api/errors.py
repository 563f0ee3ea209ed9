"""ApiError: every failure of a backend call, in words, with the exchange that caused it."""

from __future__ import annotations

import time
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange


class ErrorKind(Enum):
    """Why a call failed, in the terms a user acts on."""

    AUTH = "authentication failed"
    FORBIDDEN = "not allowed"
    NOT_FOUND = "not found"
    INVALID = "rejected by the server"
    CONFLICT = "conflict"
    RATE_LIMITED = "rate limited"
    SERVER = "server error"
    PROTOCOL = "unexpected reply"
    TRANSPORT = "connection failed"
    TIMEOUT = "timed out"
    READ_ONLY = "read-only connection"
    UNSUPPORTED = "not supported"


_STATUS_KINDS: Mapping[int, ErrorKind] = MappingProxyType(
    {
        400: ErrorKind.INVALID,
        401: ErrorKind.AUTH,
        403: ErrorKind.FORBIDDEN,
        404: ErrorKind.NOT_FOUND,
        405: ErrorKind.UNSUPPORTED,
        408: ErrorKind.TIMEOUT,
        409: ErrorKind.CONFLICT,
        410: ErrorKind.NOT_FOUND,
        412: ErrorKind.CONFLICT,
        413: ErrorKind.INVALID,
        422: ErrorKind.INVALID,
        429: ErrorKind.RATE_LIMITED,
    }
)


def kind_for_status(status: int) -> ErrorKind:
    """The error kind an HTTP status means when the vendor says nothing more specific."""
    if status in _STATUS_KINDS:
        return _STATUS_KINDS[status]
    if status >= 500:
        return ErrorKind.SERVER
    if status >= 400:
        return ErrorKind.INVALID
    return ErrorKind.PROTOCOL


class ApiError(Exception):
    """A failed call. `str()` is a sentence a user can read; the rest is for the inspector.

    `retry_at` (Unix time) is set for rate limits when the server said when to come back.
    `context` keeps the vendor's extra detail (field errors and the like) as given.
    `outcome_unknown` is set for a write that may have been applied although it failed (it
    timed out or lost its connection after it was sent, or its success reply was unreadable):
    it must not be reported as simply failed, nor sent again, before someone looks.
    """

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        exchange: Exchange | None = None,
        status: int | None = None,
        vendor_code: str | None = None,
        context: Any = None,
        more_info: str | None = None,
        retry_at: float | None = None,
        outcome_unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.exchange = exchange
        self.status = status
        self.vendor_code = vendor_code
        self.context = context
        self.more_info = more_info
        self.retry_at = retry_at
        self.outcome_unknown = outcome_unknown

    @property
    def summary(self) -> str:
        """One line for a status bar or a banner: what kind of failure, and the server's words."""
        head = self.kind.value.capitalize()
        if self.status is not None:
            head += f" (HTTP {self.status}"
            head += f", code {self.vendor_code})" if self.vendor_code else ")"
        elif self.vendor_code:
            head += f" (code {self.vendor_code})"
        text = f"{head}: {self.message}"
        if self.retry_at is not None:
            wait = max(0, round(self.retry_at - time.time()))
            text += f" Try again in {_duration(wait)}."
        return text

    def __repr__(self) -> str:
        return f"ApiError({self.kind.name}, {self.message!r}, status={self.status})"


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
