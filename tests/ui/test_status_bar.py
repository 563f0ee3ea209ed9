"""The rate-limit meter's words for every state a governor can be in."""

from __future__ import annotations

import time

from crmdesk.api import RateLimitGovernor, RateLimitState
from crmdesk.ui.status_bar import RateLimitMeter, describe_quota

NOW = 1_800_000_000.0


def test_numbers_and_time_to_reset():
    state = RateLimitState(limit=5000, remaining=4812, reset_at=NOW + 41 * 60 - 5)
    assert describe_quota(state, NOW) == "API calls left: 4,812 of 5,000 · resets in 41 min"


def test_long_and_short_resets():
    assert describe_quota(RateLimitState(5000, 10, NOW + 30), NOW).endswith(
        "resets in less than a minute"
    )
    assert describe_quota(RateLimitState(5000, 10, NOW + 2 * 3600), NOW).endswith("resets in 2 h")


def test_an_hour_and_a_bit():
    assert describe_quota(RateLimitState(5000, 10, NOW + 75 * 60), NOW).endswith("1 h 15 min")


def test_partial_and_unknown_states():
    assert describe_quota(RateLimitState(remaining=12), NOW) == "API calls left: 12"
    assert describe_quota(RateLimitState(limit=100), NOW) == "API call limit: 100"
    assert describe_quota(RateLimitState(), NOW) == "No API rate limit reported"
    # A reset time in the past is not worth mentioning.
    assert describe_quota(RateLimitState(100, 5, NOW - 10), NOW) == "API calls left: 5 of 100"


def test_waiting_for_the_reset_says_until_when():
    until = NOW + 600
    text = describe_quota(RateLimitState(5000, 0, until, waiting_until=until), NOW)
    clock = time.strftime("%H:%M:%S", time.localtime(until))
    assert text == f"API quota spent · waiting for it to reset at {clock}"


def test_the_meter_follows_its_governor_and_can_be_cleared(qtbot):
    meter = RateLimitMeter(clock=lambda: NOW)
    qtbot.addWidget(meter)
    # The governor keeps the meter's clock: a reset it cannot reach from now is no reset.
    governor = RateLimitGovernor(clock=lambda: NOW)

    meter.watch(governor)
    assert meter.text() == "No API rate limit reported"
    governor.observe(limit=5000, remaining=300, reset_at=NOW + 600)
    assert meter.text() == "API calls left: 300 of 5,000 · resets in 10 min"
    assert "bold" in meter.styleSheet()  # under a tenth left stands out

    meter.watch(None)
    assert meter.isHidden()
    governor.observe(remaining=299)  # no longer followed: nothing changes
    assert meter.text().startswith("API calls left: 300")
