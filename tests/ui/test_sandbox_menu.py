"""The demo's Sandbox menu: each fault goes to the next requests of the current connection's
emulator, a line says what was injected, and the failure then shows as it would for real."""

from __future__ import annotations

import pytest

from crmdesk.sandbox import Fault
from crmdesk.ui.actions import MainAction
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.sandbox_menu import FAULTS


@pytest.fixture
def demo(desk):
    """The desk fixture's window, built as the demo builds it: with its running sandbox."""
    window = MainWindow(desk.context, sandbox=desk.sandbox)
    desk.qtbot.addWidget(window)
    window.show()
    desk.window.close()
    desk.window = window
    return desk


def action(menu, fault, seconds=None):
    return next(
        a
        for item, a in menu.fault_actions.items()
        if item.fault is fault and item.seconds == seconds
    )


def test_every_fault_of_the_sandbox_is_offered(demo):
    menu = demo.window.sandbox_menu
    assert {item.fault for item in menu.fault_actions} == {
        Fault.HTTP_500,
        Fault.HTTP_503,
        Fault.HTTP_429,
        Fault.MALFORMED_JSON,
        Fault.HTML_ERROR_PAGE,
        Fault.HANG,
        Fault.DROP_CONNECTION,
        Fault.TOKEN_EXPIRED,
    }
    # A spent quota both as a short wait (waited for unasked) and as one too long for that.
    assert action(menu, Fault.HTTP_429, 180.0).text() == "Quota spent for &3 minutes (HTTP 429)"
    assert not action(menu, Fault.HTTP_500).isEnabled()  # no tab open yet
    assert menu.heading.text() == "Open a sandbox connection's tab to inject faults"


def test_a_fault_reaches_the_next_request_and_shows_as_it_would_for_real(demo):
    browser = demo.open_first_entity()
    menu = demo.window.sandbox_menu
    menu.refresh()
    assert menu.heading.text() == "Next requests to CMDataManager sandbox:"

    action(menu, Fault.HTTP_500).trigger()
    assert (
        demo.window.statusBar()
        .currentMessage()
        .startswith(
            "Sandbox: the next request to CMDataManager sandbox will answer with a server error"
        )
    )
    assert [p.fault for p in demo.emulator.faults.pending] == [Fault.HTTP_500]
    assert menu.pending.text() == "Waiting: HTTP_500 ×1"

    demo.window.main_actions[MainAction.REFRESH].trigger()
    demo.wait_settled(browser)
    assert browser.banner.isVisible()
    assert demo.emulator.requests[-1].fault == "HTTP_500"


def test_retried_faults_last_as_many_requests_as_a_read_is_tried(demo):
    demo.open_first_entity()
    menu = demo.window.sandbox_menu
    item = next(i for i in FAULTS if i.fault is Fault.HTTP_503)
    words = menu.inject(item)
    assert "the next 3 requests" in words
    menu.clear()
    assert demo.emulator.faults.pending == []


def test_other_features_add_their_items_below_the_faults(demo):
    menu = demo.window.sandbox_menu
    pushed = []
    action = menu.add_action("Push a notification", lambda: pushed.append(1))
    action.trigger()
    assert pushed == [1]
    assert menu.menu.actions()[-1] is action
