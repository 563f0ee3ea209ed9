"""The governor waits for a spent quota instead of failing, and paces requests."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import pytest

from crmdesk.api import ApiError, ErrorKind, RateLimitGovernor, RateLimitState
from crmdesk.api.ratelimit import QuotaHeaders, retry_after_at


class FakeTime:
    def __init__(self) -> None:
        self.now = 1_000_000.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def governor(fake: FakeTime, **kwargs: object) -> RateLimitGovernor:
    return RateLimitGovernor(clock=fake.clock, sleep=fake.sleep, **kwargs)  # type: ignore[arg-type]


@pytest.mark.asyncio
async def test_no_wait_while_quota_remains() -> None:
    fake = FakeTime()
    gov = governor(fake)
    gov.observe(limit=5000, remaining=10, reset_at=fake.now + 60)
    async with gov.slot():
        pass
    assert fake.slept == []
    assert gov.state.remaining == 9


@pytest.mark.asyncio
async def test_spent_quota_waits_for_the_reset_then_goes_on() -> None:
    fake = FakeTime()
    gov = governor(fake)
    states: list[RateLimitState] = []
    gov.subscribe(states.append)
    gov.exhausted(retry_at=fake.now + 30)
    async with gov.slot():
        pass
    assert fake.slept == [pytest.approx(31.0)]
    assert any(s.waiting_until == 1_000_030.0 for s in states)
    assert gov.state.waiting_until is None


@pytest.mark.asyncio
async def test_a_reset_beyond_max_wait_fails_with_the_retry_time() -> None:
    fake = FakeTime()
    gov = governor(fake, max_wait=60.0)
    gov.exhausted(retry_at=fake.now + 3600)
    with pytest.raises(ApiError) as caught:
        async with gov.slot():
            pass
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_at == fake.now + 3600


@pytest.mark.asyncio
async def test_a_past_reset_means_the_window_rolled_over() -> None:
    fake = FakeTime()
    gov = governor(fake)
    gov.observe(limit=10, remaining=0, reset_at=fake.now - 1)
    async with gov.slot():
        pass
    assert fake.slept == []
    assert gov.state.remaining is None


@pytest.mark.asyncio
async def test_per_second_pacing() -> None:
    fake = FakeTime()
    gov = governor(fake, per_second=3)
    for _ in range(7):
        async with gov.slot():
            pass
    assert len(fake.slept) == 2


@pytest.mark.asyncio
async def test_in_flight_cap() -> None:
    gov = RateLimitGovernor(max_in_flight=2)
    running = 0
    peak = 0

    async def one() -> None:
        nonlocal running, peak
        async with gov.slot():
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(one() for _ in range(6)))
    assert peak == 2


def test_state_reports_used_calls() -> None:
    assert RateLimitState(limit=5000, remaining=188).used == 4812
    assert RateLimitState().used is None
    assert not RateLimitState().known


@pytest.mark.parametrize(
    "reset_at", [float("nan"), float("inf"), float("-inf"), 1e300, 1_000_000.0 + 3 * 86400]
)
@pytest.mark.asyncio
async def test_an_absurd_reset_is_unknown_never_slept_on(reset_at: float) -> None:
    fake = FakeTime()
    gov = governor(fake)
    gov.observe(limit=100, remaining=0, reset_at=reset_at)
    assert gov.state.reset_at is None
    async with gov.slot():  # unknown: the next reply will tell; nothing is waited for
        pass
    assert fake.slept == []


@pytest.mark.asyncio
async def test_a_refusal_before_sending_carries_the_exchange_that_said_it_was_spent() -> None:
    fake = FakeTime()
    gov = governor(fake)
    told = SimpleNamespace(status=429)
    gov.exhausted(retry_at=fake.now + 600, source=told)  # type: ignore[arg-type]
    with pytest.raises(ApiError) as caught:
        async with gov.slot():
            pass
    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.exchange is told
    assert caught.value.status == 429
    assert caught.value.retry_at == fake.now + 600
    assert fake.slept == []


@pytest.mark.asyncio
async def test_waits_longer_than_a_minute_are_not_taken_unasked() -> None:
    fake = FakeTime()
    gov = governor(fake)  # the default max_wait
    gov.exhausted(retry_at=fake.now + 61)
    assert not gov.will_wait()
    gov.exhausted(retry_at=fake.now + 59)
    assert gov.will_wait()
    with gov.not_waiting():
        assert not gov.will_wait()
        with pytest.raises(ApiError):
            async with gov.slot():
                pass
    assert fake.slept == []


@pytest.mark.asyncio
async def test_wait_for_reset_counts_down_then_lets_calls_through() -> None:
    fake = FakeTime()
    gov = governor(fake)
    gov.exhausted(retry_at=fake.now + 3.5)
    ticks: list[float] = []
    states: list[RateLimitState] = []
    gov.subscribe(states.append)
    assert await gov.wait_for_reset(on_tick=ticks.append)
    assert ticks == [3.5, 2.5, 1.5, 0.5, 0.0]
    assert any(s.waiting_until == 1_000_003.5 for s in states)
    assert gov.state.waiting_until is None
    assert gov.state.remaining is None
    async with gov.slot():
        pass
    assert sum(fake.slept) == pytest.approx(3.5)


@pytest.mark.asyncio
async def test_wait_for_reset_can_be_cancelled_and_leaves_the_quota_spent() -> None:
    gov = RateLimitGovernor()
    gov.exhausted(retry_at=time.time() + 3600)
    waiting = asyncio.create_task(gov.wait_for_reset())
    await asyncio.sleep(0)
    assert gov.state.waiting_until is not None
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert gov.state.waiting_until is None
    assert gov.state.remaining == 0


@pytest.mark.asyncio
async def test_wait_for_reset_returns_at_once_when_the_reset_is_unknown() -> None:
    fake = FakeTime()
    gov = governor(fake)
    gov.exhausted(retry_at=float("nan"))
    assert not await gov.wait_for_reset()  # nothing to wait for: a call would be refused
    assert not await gov.wait_for_reset(fake.now + 5 * 24 * 3600)  # absurd: not obeyed
    assert await gov.wait_for_reset(fake.now - 10)  # already past: calls may go
    assert fake.slept == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"l": "100", "r": "7", "z": "30 seconds"}, (100, 7, 1_000_030.0)),
        ({"l": "inf", "r": "nan", "z": "1e999"}, (None, None, None)),
        ({"l": "²", "r": "9" * 5000, "z": "-5"}, (None, None, None)),
        ({"l": "-1", "r": "1.5", "z": "nan seconds"}, (None, None, None)),
    ],
)
def test_quota_headers_are_read_tolerantly(
    headers: dict[str, str], expected: tuple[object, ...]
) -> None:
    assert QuotaHeaders("l", "r", "z", reset_in_seconds=True).read(headers, 1_000_000.0) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 1_000_030.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", None),  # in the past: unknown
        ("inf", None),
        ("nan", None),
        ("1e999", None),
        ("²", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_is_read_tolerantly(value: str | None, expected: float | None) -> None:
    assert retry_after_at(value, 1_000_000.0) == expected
