"""Rate-limit state read from a server's headers, and the governor that keeps within it.

Backends read their headers with `QuotaHeaders` and report them with `observe()`; the
transport passes every request through `slot()`, which paces requests per second, caps how
many are in flight, and waits for a spent quota to reset when that is a short wait (at most
`max_wait`, a minute by default). A longer wait is not slept through: the call fails at once
with a rate-limit error that says when to retry, and the UI offers `wait_for_reset()`, a wait
a person sees (a countdown) and can cancel. A reset time that is absurd (in the past, days
away, not a number) is unknown, never obeyed.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.numbers import INT32_MAX, read_count, read_number

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]
Tick = Callable[[float], None]

# A quota that resets further away than this is said to reset at an unknown time.
RESET_HORIZON = 24 * 3600.0
DEFAULT_MAX_WAIT = 60.0
# Calls made inside `RateLimitGovernor.not_waiting()` (in this task) never wait for a quota.
_NOT_WAITING: ContextVar[bool] = ContextVar("crmdesk_not_waiting", default=False)


def plausible_reset(at: float | None, now: float) -> float | None:
    """`at` when it is a reset time a server can mean (finite, from now to a day ahead)."""
    if at is None or not math.isfinite(at) or at < now or at > now + RESET_HORIZON:
        return None
    return at


def retry_after_at(value: str | None, now: float) -> float | None:
    """When a `Retry-After` header says to come back (seconds or an HTTP date), or None."""
    seconds = read_number(value, maximum=RESET_HORIZON)
    if seconds is not None:
        return now + seconds
    if not value or len(value) > 64:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    return plausible_reset(when, now)


@dataclass(frozen=True, slots=True)
class QuotaHeaders:
    """The names of a kind's three rate-limit headers, and how its reset is written:
    Unix time (CMDataManager) or seconds from now, maybe with a unit (GetResponse)."""

    limit: str
    remaining: str
    reset: str
    reset_in_seconds: bool = False

    def read(
        self, headers: Mapping[str, str], now: float
    ) -> tuple[int | None, int | None, float | None]:
        """(limit, remaining, reset_at), each None where the header is missing or no number."""
        raw_reset = headers.get(self.reset)
        if self.reset_in_seconds:
            seconds = read_number(raw_reset, maximum=RESET_HORIZON, leading=True)
            reset_at = now + seconds if seconds is not None else None
        else:
            reset_at = read_number(raw_reset, maximum=1e11)
        return (
            read_count(headers.get(self.limit), maximum=INT32_MAX),
            read_count(headers.get(self.remaining), maximum=INT32_MAX),
            reset_at,
        )


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

    `max_wait` bounds how long a request waits, unasked, for a spent quota to reset; beyond it
    the request fails with a RATE_LIMITED ApiError carrying `retry_at` and the exchange that
    said the quota was spent. Waiting can always be cancelled.
    """

    def __init__(
        self,
        *,
        max_in_flight: int | None = None,
        per_second: int | None = None,
        max_wait: float = DEFAULT_MAX_WAIT,
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
        # The reply that last told of the quota: what a refusal before sending points to.
        self._told_by: Exchange | None = None

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
        source: Exchange | None = None,
    ) -> None:
        """Take the server's latest word on the quota (any part may be missing). `source` is
        the exchange it came in: a call refused before sending, for a spent quota, carries it."""
        if limit is None and remaining is None and reset_at is None:
            return
        reset_at = plausible_reset(reset_at, self._clock())
        self._told_by = source or self._told_by
        self._set(
            replace(
                self._state,
                limit=limit if limit is not None else self._state.limit,
                remaining=remaining,
                reset_at=reset_at if reset_at is not None else self._state.reset_at,
            )
        )

    def exhausted(self, retry_at: float | None, source: Exchange | None = None) -> None:
        """The server refused a call for the quota (429): nothing more until `retry_at`
        (`source`: the 429's exchange)."""
        retry_at = plausible_reset(retry_at, self._clock())
        self._told_by = source or self._told_by
        self._set(replace(self._state, remaining=0, reset_at=retry_at))

    def will_wait(self) -> bool:
        """Whether a call now would wait for the quota rather than fail: its reset is known and
        near enough, and this task is not `not_waiting()`."""
        wait = self._wait_needed()
        return wait is not None and wait <= self._allowed_wait()

    @contextlib.contextmanager
    def not_waiting(self) -> Iterator[None]:
        """Calls in this block (in this task) fail at once on a spent quota instead of waiting:
        for "Test connection", which must answer now."""
        token = _NOT_WAITING.set(True)
        try:
            yield
        finally:
            _NOT_WAITING.reset(token)

    async def wait_for_reset(
        self, retry_at: float | None = None, *, on_tick: Tick | None = None
    ) -> bool:
        """Wait, as a person chose to, until the quota resets; then calls go out again.

        For the UI's "Wait and retry" after a RATE_LIMITED error: `retry_at` is the error's
        (default: the reset the server last announced). `on_tick(seconds_left)` is called at
        once and then about every second, for a countdown. Cancel the awaiting task to stop
        waiting: nothing is sent meanwhile, and the state is as it was. Returns at once when
        the reset is unknown, absurd or past. This wait is not bounded by `max_wait`; it sets
        `state.waiting_until` so the rate-limit meter shows it.

        True when calls may go now (the reset came, or had already passed); False when the
        reset is unknown or absurd, so nothing was waited for and a call would be refused.
        """
        now = self._clock()
        wanted = retry_at if retry_at is not None else self._state.reset_at
        until = plausible_reset(wanted, now)
        if until is None:
            return wanted is not None and math.isfinite(wanted) and wanted <= now
        self._set(replace(self._state, waiting_until=until))
        try:
            while (left := until - self._clock()) > 0:
                if on_tick is not None:
                    on_tick(left)
                await self._sleep(min(1.0, left))
        finally:
            self._set(replace(self._state, waiting_until=None))
        if on_tick is not None:
            on_tick(0.0)
        self._renewed(until)
        return True

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

    def _allowed_wait(self) -> float:
        return 0.0 if _NOT_WAITING.get() else self._max_wait

    def _wait_needed(self) -> float | None:
        """Seconds until the spent quota resets; 0 when it is not spent; None when unknown."""
        state = self._state
        if state.remaining is None or state.remaining > 0:
            return 0.0
        reset_at = plausible_reset(state.reset_at, self._clock())
        return None if reset_at is None else reset_at - self._clock()

    async def _wait_for_quota(self) -> None:
        state = self._state
        if state.remaining is None or state.remaining > 0:
            if state.remaining is not None:
                # Count the call now so parallel requests don't all spend the last one.
                self._set(replace(state, remaining=state.remaining - 1))
            return
        now = self._clock()
        reset_at = plausible_reset(state.reset_at, now)
        if reset_at is None:
            # Rolled over, or a reset we cannot trust: the next reply will tell the numbers.
            self._set(replace(state, remaining=None))
            return
        if reset_at - now > self._allowed_wait():
            told = self._told_by
            raise ApiError(
                ErrorKind.RATE_LIMITED,
                "The API call quota is spent until it resets; nothing was sent.",
                retry_at=reset_at,
                exchange=told,
                status=told.status if told is not None else None,
            )
        self._set(replace(state, waiting_until=reset_at))
        try:
            # A second past the reset: servers count in whole seconds.
            await self._sleep(reset_at - now + 1.0)
        finally:
            self._set(replace(self._state, waiting_until=None))
        self._renewed(reset_at)

    def _renewed(self, reset_at: float) -> None:
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
