"""The API quota in words, said the same everywhere (the error banner, the export's progress,
the rate-limit meter, Test connection), and the wait a person chooses to make for it.

A read refused for a spent quota whose reset is more than a minute away fails at once (the
governor does not sleep through it unasked); the place that shows the error says when the
quota resets and offers "Wait and retry": `QuotaWait` runs `RateLimitGovernor.wait_for_reset`
with a countdown ("Waiting for the API quota… 1 min 12 s") and a Cancel, then the same read.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Callable

from crmdesk.api import ApiError, ErrorKind, RateLimitGovernor
from crmdesk.ui.tasks import Lane, Op

WAITING = "Waiting for the API quota…"


def time_left(seconds: float) -> str:
    """A countdown's words: "45 s", "1 min 12 s", "2 h 5 min" (whole seconds, rounded up, so
    it never says 0 s while there is still a moment to wait)."""
    whole = max(0, math.ceil(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def waiting_words(seconds_left: float) -> str:
    """ "Waiting for the API quota… 1 min 12 s"."""
    return f"{WAITING} {time_left(seconds_left)}"


def reset_time(retry_at: float, now: float) -> str:
    """ "resets at 14:05:30, in 3 min 12 s" (the day too when it is not today)."""
    when = dt.datetime.fromtimestamp(retry_at)
    clock = when.strftime("%H:%M:%S")
    if when.date() != dt.datetime.fromtimestamp(now).date():
        clock = when.strftime("%a %d %b, %H:%M:%S")
    return f"resets at {clock}, in {time_left(retry_at - now)}"


def can_wait(error: ApiError | None, now: float) -> bool:
    """Whether `error` is a spent quota with a known reset still ahead: worth waiting for."""
    if error is None or error.kind is not ErrorKind.RATE_LIMITED:
        return False
    wait = error.seconds_to_retry(now)
    return wait is not None and wait > 0


def quota_sentence(error: ApiError, now: float) -> str:
    """What a rate-limit error says, with when the quota resets instead of "try again in":
    "Rate limited (HTTP 429): …. The API quota resets at 14:05:30, in 3 min 12 s." """
    if not can_wait(error, now):
        return error.summary
    assert error.retry_at is not None
    return f"{error.headline} The API quota {reset_time(error.retry_at, now)}."


class QuotaWait:
    """Wait and retry, for one place that shows a failed read.

    `start(error)` waits in `lane` (so a new read there cancels the wait) for the quota that
    `error` says is spent, telling `on_tick(seconds_left)` about once a second; when it has
    reset, `read_again()` sends the same read (`on_gave_up()` instead when the governor takes
    the reset for none it can wait for). `cancel()` stops waiting; nothing was sent.
    """

    def __init__(
        self,
        lane: Lane,
        governor: Callable[[], RateLimitGovernor | None],
        *,
        on_tick: Callable[[float], None],
        read_again: Callable[[], None],
        on_gave_up: Callable[[], None] = lambda: None,
    ) -> None:
        self._lane = lane
        self._governor = governor
        self._on_tick = on_tick
        self._read_again = read_again
        self._on_gave_up = on_gave_up
        self._task: asyncio.Task[None] | None = None

    @property
    def waiting(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, error: ApiError) -> bool:
        """Begin waiting; False when there is no connection to wait on (nothing started)."""
        governor = self._governor()
        if governor is None:
            return False

        async def wait() -> bool:
            return await governor.wait_for_reset(error.retry_at, on_tick=self._on_tick)

        op = Op(wait, name="wait for the API quota").success(self._waited)
        self._task = op.run_in(self._lane)
        return True

    def _waited(self, reset: bool) -> None:
        if reset:
            self._read_again()
        else:
            # A reset no governor waits for (days away): said, never obeyed; nothing sent.
            self._on_gave_up()

    def cancel(self) -> None:
        """Stop waiting (while the wait is the lane's work, nothing else of the lane stops)."""
        if self.waiting:
            self._lane.cancel()
        self._task = None
