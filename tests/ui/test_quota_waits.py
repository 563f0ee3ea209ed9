"""A wait a person can see and stop (issue 13.2): a page refused for a spent API quota whose
reset is minutes away says when it resets and offers "Wait and retry"; the wait counts down
in the banner (and the rate-limit meter says the same), Cancel and Esc stop it with nothing
sent, and once the quota has reset the same page is loaded again. Test connection never
waits, and says when the quota resets.
"""

from __future__ import annotations

import asyncio
import re
import time

import pytest

from crmdesk.api import RateLimitGovernor, open_backend
from crmdesk.demo import demo_profiles
from crmdesk.desk import Desk
from crmdesk.profiles import Connections, ProfileBook, SecretStore
from crmdesk.sandbox import Fault
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.profiles.connection_test import test_connection as try_connection

WAIT_MS = 10_000
# "resets at 14:05:30" (with the day when that is not today: a test can run at midnight).
RESETS_AT = r"The API quota resets at (\w{3} \d\d \w{3}, )?\d\d:\d\d:\d\d, in "


def lists(desk) -> list:
    return [r for r in desk.emulator.requests if r.method == "GET" and r.path.endswith("/lead")]


def refused_for_quota(desk, seconds: float):
    browser = desk.open_first_entity()
    desk.emulator.faults.inject(Fault.HTTP_429, path="/lead", method="GET", seconds=seconds)
    before = len(lists(desk))
    browser.refresh()
    desk.wait_settled(browser)
    # Refused once, and not sent again: the reset is too far off to wait for unasked.
    assert len(lists(desk)) == before + 1
    return browser


def test_a_spent_quota_says_when_it_resets_and_the_wait_counts_down_until_cancelled(desk):
    browser = refused_for_quota(desk, 180)
    banner = browser.banner
    text = banner.message.text()
    assert "Loading page 1 of Leads failed." in text
    assert "Rate limited (HTTP 429)" in text
    assert re.search(
        r"The API quota resets at (\w{3} \d\d \w{3}, )?\d\d:\d\d:\d\d, in [23] min( \d+ s)?\.", text
    )
    assert "Try again in" not in text  # the reset is said once, as a time and a countdown
    assert banner.wait_button.isVisible()
    assert not banner.retry_button.isVisible()  # it would be refused at once
    sent = len(lists(desk))

    banner.wait_button.click()
    counting = re.compile(r"Waiting for the API quota… [23] min( \d+ s)?, then it is tried again")
    desk.qtbot.waitUntil(lambda: counting.search(banner.message.text()) is not None)
    assert banner.cancel_button.isVisible()
    assert not banner.wait_button.isVisible()
    assert browser.loading
    meter = desk.window.status.rate_limit
    desk.qtbot.waitUntil(lambda: counting.match(meter.text() + ", then it is tried again"))

    banner.cancel_button.click()
    assert not banner.waiting
    assert banner.wait_button.isVisible()
    assert "The API quota resets at" in banner.message.text()
    desk.qtbot.waitUntil(lambda: not meter.text().startswith("Waiting"), timeout=WAIT_MS)

    # Esc stops a wait too, from the table.
    banner.wait_button.click()
    assert banner.waiting
    browser.escape()
    assert not banner.waiting
    assert banner.wait_button.isVisible()
    assert len(lists(desk)) == sent  # nothing went while waiting


def test_going_to_another_page_ends_the_wait(desk):
    browser = refused_for_quota(desk, 180)
    browser.banner.wait_button.click()
    assert browser.banner.waiting
    browser.next_page()
    desk.wait_settled(browser)
    assert not browser.banner.waiting
    # The governor knows the quota is spent: the new page is refused before it is sent.
    assert "nothing was sent" in browser.banner.message.text()


class FastTime:
    """A clock for a governor that runs ahead as fast as its sleeps are asked for, so a wait
    of minutes passes in a moment of real time (the sandbox's resets stay real)."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def clock(self) -> float:
        return time.time() + self.ahead

    async def sleep(self, seconds: float) -> None:
        self.ahead += seconds
        await asyncio.sleep(0.01)


@pytest.fixture
def fast_window(qtbot, qloop, sandbox):
    fast = FastTime()

    def opener(*args, **kwargs):
        governor = RateLimitGovernor(clock=fast.clock, sleep=fast.sleep)
        return open_backend(*args, governor=governor, **kwargs)

    secrets = SecretStore()
    desk = Desk(secrets, ProfileBook(Connections(secrets, opener=opener), secrets))
    for profile, credentials in demo_profiles(sandbox.endpoints):
        desk.add_session_profile(profile, credentials)
    context = UiContext.for_desk(desk, saved_connections=False)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    yield window, sandbox.emulator("cmdatamanager")
    window.close()
    done = asyncio.ensure_future(context.shutdown())
    qtbot.waitUntil(done.done, timeout=WAIT_MS)


def test_once_the_quota_has_reset_the_same_page_is_loaded_again(qtbot, fast_window):
    window, emulator = fast_window
    session = next(iter(window.sessions.values()))
    window.connect_and_open(session)
    qtbot.waitUntil(lambda: window.tabs.current() is not None, timeout=WAIT_MS)
    browser = window.tabs.current()
    qtbot.waitUntil(lambda: browser.shown_page is not None, timeout=WAIT_MS)
    browser.next_page()
    qtbot.waitUntil(lambda: not browser.loading and browser.shown_page.page == 2)
    emulator.faults.inject(Fault.HTTP_429, path="/lead", method="GET", seconds=90)
    browser.previous_page()
    qtbot.waitUntil(lambda: browser.banner.wait_button.isVisible(), timeout=WAIT_MS)
    assert browser.shown_page.page == 2  # the page on screen stays while it waits
    browser.banner.wait_and_retry()
    qtbot.waitUntil(lambda: not browser.loading and not browser.banner.isVisible(), timeout=WAIT_MS)
    assert browser.shown_page.page == 1
    asked = [r.query.get("page") for r in emulator.requests if r.path.endswith("/lead")]
    assert asked[-2:] == ["1", "1"]  # refused once, then sent once more after the wait


def test_test_connection_never_waits_and_says_when_the_quota_resets(desk):
    desk.open_first_entity()
    desk.emulator.faults.inject(Fault.HTTP_429, seconds=600)
    profile = desk.session.profile
    credentials = next(e for e in desk.sandbox.endpoints if e.kind == profile.kind).credentials
    tested = asyncio.ensure_future(try_connection(profile, credentials, desk.context.connections))
    desk.qtbot.waitUntil(tested.done, timeout=WAIT_MS)
    outcome = tested.result()
    assert not outcome.ok
    assert re.search(
        r"The API quota resets at (\w{3} \d\d \w{3}, )?\d\d:\d\d:\d\d, in (9|10) min( \d+ s)?\.",
        outcome.words,
    )
    assert outcome.exchange is not None
    assert outcome.exchange.status == 429
