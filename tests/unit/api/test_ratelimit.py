"""The governor waits for a spent quota instead of failing, and paces requests."""

from __future__ import annotations

import asyncio

import pytest

from crmdesk.api import ApiError, ErrorKind, RateLimitGovernor, RateLimitState


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
