"""The API's limits: calls per window (X-RateLimit-* headers), calls per second, parallel calls."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class QuotaState:
    limit: int
    remaining: int
    reset_in: int
    refused: bool = False
    # Seconds until a refused call may be tried again (the window's reset unless paced).
    wait: int | None = None

    def headers(self) -> dict[str, str]:
        # The reset is "seconds left" written as "432 seconds", per the OpenAPI's header type.
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": f"{self.reset_in} seconds",
        }


class Limits:
    """One account's counters. The first call opens a window; calls over the quota or over
    `per_second` in the last second are refused (and not counted)."""

    def __init__(self, limit: int, window: float, per_second: int, max_in_flight: int) -> None:
        self.limit = limit
        self.window = window
        self.per_second = per_second
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self._lock = threading.Lock()
        self._window_end: float | None = None
        self._used = 0
        self._recent: deque[float] = deque()

    def _reset_in(self, now: float) -> int:
        end = self._window_end
        return math.ceil(end - now) if end is not None and end > now else math.ceil(self.window)

    def peek(self) -> QuotaState:
        now = time.monotonic()
        with self._lock:
            if self._window_end is None or now >= self._window_end:
                return QuotaState(self.limit, self.limit, math.ceil(self.window))
            return QuotaState(self.limit, max(0, self.limit - self._used), self._reset_in(now))

    def spend(self) -> QuotaState:
        now = time.monotonic()
        with self._lock:
            if self._window_end is None or now >= self._window_end:
                self._window_end, self._used = now + self.window, 0
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            reset_in = self._reset_in(now)
            if self._used >= self.limit:
                return QuotaState(self.limit, 0, reset_in, refused=True, wait=reset_in)
            if len(self._recent) >= self.per_second:
                return QuotaState(
                    self.limit, self.limit - self._used, reset_in, refused=True, wait=1
                )
            self._used += 1
            self._recent.append(now)
            return QuotaState(self.limit, self.limit - self._used, reset_in)

    def enter(self) -> bool:
        """Take a parallel-call slot; False when all are taken."""
        with self._lock:
            if self.in_flight >= self.max_in_flight:
                return False
            self.in_flight += 1
            return True

    def leave(self) -> None:
        with self._lock:
            self.in_flight -= 1
