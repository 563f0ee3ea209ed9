"""Rate-limit state read from a server's headers, and the governor that waits instead of failing.

Backends read their own headers and report them with `observe()`; the transport passes every
request through `slot()`, which waits while the quota is spent, paces requests per second and
caps how many are in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace

from crmdesk.api.errors import ApiError, ErrorKind

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RateLimitState:
    """What the server last said about the quota, and whether we are waiting for it."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: float | None = None
    waiting_until: float | None = None

    @property
    def known(self) -> bool:
        return self.limit is not None or self.remaining is not None

    @property
    def used(self) -> int | None:
        if self.limit is None or self.remaining is None:
            return None
        return max(0, self.limit - self.remaining)


StateListener = Callable[[RateLimitState], None]


class RateLimitGovernor:
    """Keeps a connection within its server's limits.

    `max_wait` bounds how long a request waits for a spent quota to reset; beyond it the request
    fails with a rate-limit error that says when to retry. Waiting can always be cancelled.
    """

    def __init__(
        self,
        *,
        max_in_flight: int | None = None,
        per_second: int | None = None,
        max_wait: float = 3600.0,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._state = RateLimitState()
        self._in_flight = asyncio.Semaphore(max_in_flight) if max_in_flight else None
        self._per_second = per_second
        self._recent: deque[float] = deque()
        self._max_wait = max_wait
        self._clock = clock
        self._sleep = sleep
        self._listeners: list[StateListener] = []

    @property
    def state(self) -> RateLimitState:
        return self._state

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def observe(
        self,
        *,
        limit: int | None = None,
        remaining: int | None = None,
        reset_at: float | None = None,
    ) -> None:
        """Take the server's latest word on the quota (any part may be missing)."""
        self._set(
            replace(
                self._state,
                limit=limit if limit is not None else self._state.limit,
                remaining=remaining,
                reset_at=reset_at if reset_at is not None else self._state.reset_at,
            )
        )

    def exhausted(self, retry_at: float | None) -> None:
        """The server refused a call for the quota (429): nothing more until `retry_at`."""
        self._set(replace(self._state, remaining=0, reset_at=retry_at or self._state.reset_at))

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one request's place: wait for quota and pacing, then count it as in flight."""
        await self._wait_for_quota()
        await self._pace()
        if self._in_flight is None:
            yield
            return
        async with self._in_flight:
            yield

    async def _wait_for_quota(self) -> None:
        state = self._state
        if state.remaining is None or state.remaining > 0:
            if state.remaining is not None:
                # Count the call now so parallel requests don't all spend the last one.
                self._set(replace(state, remaining=state.remaining - 1))
            return
        now = self._clock()
        reset_at = state.reset_at
        if reset_at is None or reset_at <= now:
            # The window has rolled over; the next reply will tell the new numbers.
            self._set(replace(state, remaining=None))
            return
        if reset_at - now > self._max_wait:
            raise ApiError(
                ErrorKind.RATE_LIMITED,
                "The API call quota is spent and resets later than this connection waits.",
                retry_at=reset_at,
            )
        self._set(replace(state, waiting_until=reset_at))
        try:
            # A second past the reset: servers count in whole seconds.
            await self._sleep(reset_at - now + 1.0)
        finally:
            self._set(replace(self._state, waiting_until=None))
        if self._state.remaining == 0 and (self._state.reset_at or 0) <= reset_at:
            self._set(replace(self._state, remaining=None))

    async def _pace(self) -> None:
        if not self._per_second:
            return
        while True:
            now = self._clock()
            while self._recent and now - self._recent[0] >= 1.0:
                self._recent.popleft()
            if len(self._recent) < self._per_second:
                self._recent.append(now)
                return
            await self._sleep(1.0 - (now - self._recent[0]))

    def _set(self, state: RateLimitState) -> None:
        if state == self._state:
            return
        self._state = state
        for listener in list(self._listeners):
            listener(state)
