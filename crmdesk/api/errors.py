"""ApiError: every failure of a backend call, in words, with the exchange that caused it."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange
    from crmdesk.api.model import WriteAttempt


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


# Said of a write whose outcome is unknown: it went out, and no answer said what became of it.
OUTCOME_UNKNOWN = "It was sent, so the server may have acted on it: check before sending it again."
# A retry time further away than this is no time a person can wait for: it is not shown.
_LONGEST_WAIT_SHOWN = 7 * 24 * 3600.0


class ApiError(Exception):
    """A failed call. `str()` is a sentence a user can read; the rest is for the inspector.

    `retry_at` (Unix time) is set for rate limits when the server said when to come back.
    `context` keeps the vendor's extra detail (field errors and the like) as given; `detail`
    crmdesk's own technical detail (a parser's message) for the Details view, never the words.
    `outcome_unknown` is True for a write that may have been applied although it failed: it
    timed out or lost its connection after it was sent, or the server answered success in a
    reply that could not be read. Such a write is not offered again blindly:
    `Backend.find_outcome(error.write)` finds out first. `write` is the write that failed
    (set by the Backend for every failed create, update, delete and action).
    Presenting an ApiError (`str`, `summary`, `repr`) never raises, whatever it holds.
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
        detail: str | None = None,
    ) -> None:
        message = sentence(message) or "The call failed."
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
        self.detail = detail
        self.write: WriteAttempt | None = None

    def mark_outcome_unknown(self) -> ApiError:
        """Say that this failure may have left the write applied (once, in its words too)."""
        if not self.outcome_unknown:
            self.outcome_unknown = True
            self.message = f"{self.message} {OUTCOME_UNKNOWN}"
            self.args = (self.message,)
        return self

    @property
    def summary(self) -> str:
        """One line for a status bar or a banner: what kind of failure, and the server's words."""
        text = self.headline
        wait = self.seconds_to_retry()  # never raises, whatever `retry_at` holds
        if wait is not None:
            text += f" Try again in {_duration(wait)}."
        return text

    @property
    def headline(self) -> str:
        """The summary without when to try again, for a view that counts that down itself."""
        try:
            head = self.kind.value.capitalize()
            if self.status is not None:
                head += f" (HTTP {self.status}"
                head += f", code {self.vendor_code})" if self.vendor_code else ")"
            elif self.vendor_code:
                head += f" (code {self.vendor_code})"
            return f"{head}: {self.message}"
        except Exception:
            # A summary must always render, even of an error built from nonsense.
            return f"{_safe(getattr(self, 'message', ''))} (details unavailable)".strip()

    def seconds_to_retry(self, now: float | None = None) -> int | None:
        """Whole seconds until `retry_at`, or None when there is no usable retry time."""
        at = self.retry_at
        if isinstance(at, bool) or not isinstance(at, int | float):
            return None
        try:
            wait = float(at) - (time.time() if now is None else now)
        except (OverflowError, ValueError):
            return None
        if not math.isfinite(wait) or abs(wait) > _LONGEST_WAIT_SHOWN:
            return None
        return max(0, round(wait))

    def __str__(self) -> str:
        return _safe(getattr(self, "message", ""))

    def __repr__(self) -> str:
        try:
            return f"ApiError({self.kind.name}, {self.message!r}, status={self.status})"
        except Exception:
            return "ApiError(...)"


def sentence(text: str) -> str:
    """`text` stripped, ending as a sentence does (a full stop added when it has no ending)."""
    text = _safe(text).strip()
    if text and text[-1] not in ".!?…":
        text += "."
    return text


def _safe(value: object) -> str:
    try:
        return value if isinstance(value, str) else str(value)
    except Exception:
        return ""


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
