"""The rate-limit meter's words for every state a governor can be in."""

from __future__ import annotations

import time

from crmdesk.api import RateLimitGovernor, RateLimitState
from crmdesk.ui.quota import waiting_words
from crmdesk.ui.status_bar import RateLimitMeter, describe_quota

NOW = 1_800_000_000.0


def test_numbers_and_time_to_reset():
    state = RateLimitState(limit=5000, remaining=4812, reset_at=NOW + 41 * 60 - 5)
    assert describe_quota(state, NOW) == "API calls left: 4,812 of 5,000 · resets in 41 min"


def test_long_and_short_resets():
    # The last two minutes count down in seconds.
    assert describe_quota(RateLimitState(5000, 10, NOW + 30), NOW).endswith("resets in 30 s")
    assert describe_quota(RateLimitState(5000, 10, NOW + 2 * 3600), NOW).endswith("resets in 2 h")


def test_an_hour_and_a_bit():
    assert describe_quota(RateLimitState(5000, 10, NOW + 75 * 60), NOW).endswith("1 h 15 min")


def test_partial_and_unknown_states():
    assert describe_quota(RateLimitState(remaining=12), NOW) == "API calls left: 12"
    assert describe_quota(RateLimitState(limit=100), NOW) == "API call limit: 100"
    assert describe_quota(RateLimitState(), NOW) == "No API rate limit reported"
    # After the reset time the old count is not the truth any more.
    renewed = describe_quota(RateLimitState(100, 0, NOW - 10), NOW)
    clock = time.strftime("%H:%M", time.localtime(NOW - 10))
    assert renewed == f"API quota renewed at {clock}; the next call brings the new count"


def test_waiting_for_the_reset_counts_down_in_the_words_of_the_wait_itself():
    until = NOW + 72
    text = describe_quota(RateLimitState(5000, 0, until, waiting_until=until), NOW)
    # The banner or export that waits says the very same (crmdesk.ui.quota).
    assert text == waiting_words(72) == "Waiting for the API quota… 1 min 12 s"


def test_a_long_wait_is_counted_down_every_second_while_it_lasts(qtbot):
    meter = RateLimitMeter(clock=lambda: NOW)
    qtbot.addWidget(meter)
    governor = RateLimitGovernor(clock=lambda: NOW)
    meter.watch(governor)
    governor.exhausted(NOW + 600)
    assert meter._timer.interval() == 20_000  # ten minutes off: minutes are enough
    meter._take(RateLimitState(0, 0, NOW + 600, waiting_until=NOW + 600))
    assert meter.text() == "Waiting for the API quota… 10 min"
    assert meter._timer.interval() == 1_000


def test_the_meter_counts_down_every_second_near_the_reset_and_says_when_it_passed(qtbot):
    now = [NOW]
    meter = RateLimitMeter(clock=lambda: now[0])
    qtbot.addWidget(meter)
    governor = RateLimitGovernor(clock=lambda: now[0])
    meter.watch(governor)
    governor.observe(limit=100, remaining=0, reset_at=NOW + 90)
    assert meter.text() == "API calls left: 0 of 100 · resets in 1 min 30 s"
    assert meter._timer.interval() == 1_000
    now[0] += 91
    meter._timer.timeout.emit()  # what the next tick does
    assert meter.text().startswith("API quota renewed at")
    assert "bold" not in meter.styleSheet()
    assert meter._timer.interval() == 20_000


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
