"""Ambiguous outcomes said honestly in the UI (issue 13.4), on NDCHost's license order, which
costs money: an order whose answer was lost is said as what the account's licenses show
(applied, not applied, unknown), "Check again" looks once more, and "Retry" is offered only
after a check the person asked for says nothing was ordered, and then asks for the price
again. No second order ever goes out by itself."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from editing_helpers import WAIT_MS, click_in_box, menu_entry, top_box, values_dialog
from kinds_window import kinds_window

from PySide6.QtWidgets import QMenu

from crmdesk.editing import Outcome
from crmdesk.sandbox import Fault
from crmdesk.ui.browser.menus import popup_cell_menu

IP = "203.0.113.9"


@pytest.fixture
def shop(qtbot, qloop):
    with kinds_window(qtbot, ("ndchost",), records=20) as window:
        yield window


def orders(shop) -> list:
    found = []
    for request in shop.requests("ndchost"):
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        if form.get("apifunction") == "order" and form.get("ip") == IP:
            found.append(request)
    return found


def order(shop, qtbot, fault: Fault):
    """Order a license for IP under `fault`, confirming its price; the result window."""
    browser = shop.open("ndchost", "products")
    shop.sandbox.emulator("ndchost").faults.inject(fault, path="cpanellicensing/order")
    at = browser.table.visualRect(browser.model.index(0, 1)).center()
    menu = popup_cell_menu(browser, at)
    actions = menu.findChild(QMenu, "cellActionsMenu")
    menu_entry(actions, "Order license").trigger()
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    dialog = values_dialog()
    dialog.editors["ip"].line.setText(IP)
    cycle = dialog.editors["billingcycle"]
    cycle.combo.setCurrentIndex(cycle.combo.findData("monthly"))
    dialog.go_button.click()
    click_in_box(qtbot, "confirmation", "confirm")
    flow = shop.window.editing.flow
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    return flow.last_result


def test_an_order_whose_connection_dropped_is_checked_and_retried_only_when_asked(
    shop, qtbot
) -> None:
    window = order(shop, qtbot, Fault.DROP_CONNECTION)
    result = window.record_result
    assert result.outcome is Outcome.UNKNOWN
    assert "not applied, as far as the server shows" in window.heading.text()
    assert "No license of this product for 203.0.113.9 exists: nothing was ordered" in (
        window.message.text()
    )
    assert "Check again before retrying" in window.message.text()
    assert window.check_button.isVisible()
    assert not window.retry_button.isVisible()  # not on the check made at once
    assert len(orders(shop)) == 1

    window.check_button.click()
    qtbot.waitUntil(lambda: window.record_result.checked_again, timeout=WAIT_MS)
    assert window.retry_button.isVisible()
    assert "Retry asks what the first time asked" in window.message.text()
    assert len(orders(shop)) == 1  # checking only reads

    window.retry_button.click()
    qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
    shown = top_box("confirmation").text()
    assert "This costs money" in shown
    assert IP in shown
    top_box("confirmation").reject()
    qtbot.waitUntil(lambda: top_box("confirmation") is None, timeout=WAIT_MS)
    assert len(orders(shop)) == 1  # the price was not confirmed: no second order


def test_an_order_placed_whose_answer_was_cut_says_so_and_offers_no_retry(shop, qtbot) -> None:
    window = order(shop, qtbot, Fault.MALFORMED_JSON)
    result = window.record_result
    assert result.outcome is Outcome.SAVED
    assert "applied (checked on the server)" in window.heading.text()
    assert "the order was placed. Do not order again." in window.message.text()
    assert not window.check_button.isVisible()
    assert not window.retry_button.isVisible()
    assert len(orders(shop)) == 1
