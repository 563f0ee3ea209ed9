"""Who may call the emulated API: issued tokens and the per-client call quota."""

from __future__ import annotations

import calendar
import math
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

DENIED = "Authorization has been denied for this request."
EXPIRED = "Token expired."


@dataclass(slots=True)
class Token:
    client_id: str
    # Whole unix seconds, so the x-token-reset header says exactly when the token dies.
    expires_at: int


class TokenRegistry:
    """Tokens issued by /authenticate. Expired tokens are kept so they answer "Token expired."
    rather than "denied", as a client that re-authenticates on expiry needs to tell apart."""

    def __init__(self, lifetime: float = 3600.0) -> None:
        self.lifetime = lifetime
        self._lock = threading.Lock()
        self._tokens: dict[str, Token] = {}

    def issue(self, client_id: str) -> tuple[str, Token]:
        value = secrets.token_urlsafe(32)
        token = Token(client_id, math.ceil(time.time() + self.lifetime))
        with self._lock:
            self._tokens[value] = token
        return value, token

    def check(self, value: str | None) -> tuple[Token | None, str | None]:
        """The token and, if it can't be used, why (the 401 Message)."""
        if not value:
            return None, DENIED
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            return None, DENIED
        if time.time() >= token.expires_at:
            return token, EXPIRED
        return token, None

    def expire(self, value: str | None) -> None:
        with self._lock:
            token = self._tokens.get(value or "")
            if token is not None:
                token.expires_at = min(token.expires_at, math.floor(time.time()))

    def expire_all(self) -> None:
        with self._lock:
            now = math.floor(time.time())
            for token in self._tokens.values():
                token.expires_at = min(token.expires_at, now)


@dataclass(frozen=True, slots=True)
class QuotaState:
    """What the x-rate-limit-* headers say, and the 429 Message if the call was refused."""

    limit: int
    remaining: int
    reset_at: int
    refusal: str | None = None

    def headers(self) -> dict[str, str]:
        return {
            "x-rate-limit-limit": str(self.limit),
            "x-rate-limit-remaining": str(self.remaining),
            "x-rate-limit-reset": str(self.reset_at),
        }


@dataclass(slots=True)
class _Window:
    reset_at: int
    used: int = 0


def _month_of(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m")


def _next_month_start(moment: float) -> int:
    day = datetime.fromtimestamp(moment, UTC)
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return calendar.timegm((year, month, 1, 0, 0, 0))


class Quota:
    """Calls per client_id in fixed windows (the first call opens one), plus an optional
    calendar-month cap. Window ends are whole unix seconds, so x-rate-limit-reset is exact."""

    def __init__(self, limit: int = 5000, window: float = 3600.0, monthly: int | None = None):
        self.limit = limit
        self.window = window
        self.monthly = monthly
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}
        self._months: dict[tuple[str, str], int] = {}

    def _current(self, client_id: str, now: float) -> _Window:
        window = self._windows.get(client_id)
        if window is None or now >= window.reset_at:
            window = self._windows[client_id] = _Window(math.ceil(now + self.window))
        return window

    def peek(self, client_id: str) -> QuotaState:
        """The state without spending a call (for answers that don't count)."""
        now = time.time()
        with self._lock:
            window = self._windows.get(client_id)
            if window is None or now >= window.reset_at:
                return QuotaState(self.limit, self.limit, math.ceil(now + self.window))
            return QuotaState(self.limit, max(0, self.limit - window.used), window.reset_at)

    def spend(self, client_id: str) -> QuotaState:
        """Count one call, or refuse it when a quota is spent."""
        now = time.time()
        with self._lock:
            window = self._current(client_id, now)
            month = (client_id, _month_of(now))
            if window.used >= self.limit:
                refusal = f"API calls quota exceeded! maximum admitted {self.limit} per hour."
                return QuotaState(self.limit, 0, window.reset_at, refusal)
            if self.monthly is not None and self._months.get(month, 0) >= self.monthly:
                refusal = f"API calls quota exceeded! maximum admitted {self.monthly} per month."
                # Nothing is left until next month, so the headers say so.
                return QuotaState(self.limit, 0, _next_month_start(now), refusal)
            window.used += 1
            self._months[month] = self._months.get(month, 0) + 1
            return QuotaState(self.limit, self.limit - window.used, window.reset_at)
