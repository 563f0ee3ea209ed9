"""Record editing from the UI against the sandbox of every other kind: what the review shows
and what goes on the wire (checked in the sandbox's request log), and each kind's actions
through the same menus and questions as CMDataManager's."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from editing_helpers import (
    WAIT_MS,
    click_in_box,
    grid,
    menu_entry,
    open_changelog,
    review_of,
    save_and_wait,
    top_box,
    type_into,
    values_dialog,
)
from kinds_window import kinds_window

from PySide6.QtWidgets import QMenu

from crmdesk.editing import Outcome
from crmdesk.ui.browser.menus import popup_cell_menu
from crmdesk.ui.editing.editors import ChoiceEditor, LineEditor


@pytest.fixture
def kind(request, qtbot, qloop, home):
    """A window on the sandbox of the kind the test names (`@pytest.mark.parametrize`)."""
    with kinds_window(qtbot, (request.param,), records=30) as window:
        open_changelog(qtbot, window.context.desk, home / "changes.db")
        yield window
        # What a failed test left unsaved would (rightly) make closing the window ask.
        window.window.editing.pending.revert_all()


def actions_of(browser, row: int) -> QMenu:
    at = browser.table.visualRect(browser.model.index(row, 1)).center()
    menu = popup_cell_menu(browser, at)
    assert menu is not None
    found = menu.findChild(QMenu, "cellActionsMenu")
    assert found is not None
    return found


def writes(kind, name: str):
    return [r for r in kind.requests(name) if r.method in ("POST", "PUT", "DELETE")]


def form_of(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.body.decode()).items()}


@pytest.mark.parametrize("kind", ["mothernode"], indirect=True)
def test_mothernode_puts_the_lead_wrapped_in_its_singular_then_makes_an_opportunity(
    kind, qtbot
) -> None:
    browser = kind.open("mothernode", "leads")
    lead = browser.model.record_at(0)
    type_into(browser, 0, "l_working_title", "Office refit")
    dialog = review_of(qtbot, kind.window)
    planned = dialog.requests.toPlainText()
    assert f"PUT {kind.session('mothernode').profile.base_url}/leads/{lead.id}" in planned
    assert '{"lead":{"l_working_title":"Office refit"}}' in planned.splitlines()
    assert not writes(kind, "mothernode")  # the review sent nothing
    save_and_wait(qtbot, dialog)
    assert dialog.report.results[0].outcome is Outcome.SAVED
    sent = writes(kind, "mothernode")
    assert [(r.method, r.path) for r in sent] == [("PUT", f"/leads/{lead.id}")]
    assert json.loads(sent[0].body) == {"lead": {"l_working_title": "Office refit"}}
    dialog.close()

    menu_entry(actions_of(browser, 0), "Make opportunity").trigger()
    flow = kind.window.editing.flow
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    assert flow.last_result.record_result.outcome is Outcome.SAVED
    assert flow.last_result.open_button.text() == f"Open opportunity {lead.id}"
    stored = kind.sandbox.emulator("mothernode").store.get("leads", lead.id)
    assert stored["is_opportunity"] == "1"


@pytest.mark.parametrize("kind", ["getresponse"], indirect=True)
def test_getresponse_posts_only_what_changed_and_a_new_contact_is_queued(kind, qtbot) -> None:
    browser = kind.open("getresponse", "contacts")
    contact = browser.model.record_at(0)
    type_into(browser, 0, "name", "Ada Lovelace")
    dialog = review_of(qtbot, kind.window)
    save_and_wait(qtbot, dialog)
    assert dialog.report.results[0].outcome is Outcome.SAVED
    sent = writes(kind, "getresponse")
    assert [(r.method, r.path) for r in sent] == [("POST", f"/v3/contacts/{contact.id}")]
    assert json.loads(sent[0].body) == {"name": "Ada Lovelace"}
    dialog.close()

    editing = kind.window.editing
    form = editing.new_record(kind.session("getresponse"), browser.entity)
    qtbot.waitUntil(lambda: bool(form.rows), timeout=WAIT_MS)
    form.rows["email"].editor.line.setText("ada@example.org")
    campaign = form.rows["campaignId"].editor
    if isinstance(campaign, ChoiceEditor):
        campaign.combo.setCurrentIndex(campaign.combo.count() - 1)
    else:
        assert isinstance(campaign, LineEditor)
        campaign.line.setText(str(contact.values["campaignId"]))
    form.create_record()
    qtbot.waitUntil(lambda: editing.writes.last_result is not None, timeout=WAIT_MS)
    result = editing.writes.last_result
    assert result.record_result.outcome is Outcome.QUEUED
    assert "Until GetResponse has made it, it has no id" in result.message.text()
    assert "will appear when GetResponse has processed it" in form.note.text()
    assert form.record_id is None  # never shown as a record it is not
    assert result.open_button is None
    assert writes(kind, "getresponse")[-1].path == "/v3/contacts"


@pytest.mark.parametrize("kind", ["ndchost"], indirect=True)
def test_ndchost_orders_a_license_only_after_its_price_is_confirmed(kind, qtbot) -> None:
    browser = kind.open("ndchost", "products")
    product = browser.model.record_at(0)
    flow = kind.window.editing.flow

    def ask_order() -> str:
        menu_entry(actions_of(browser, 0), "Order license").trigger()
        qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
        dialog = values_dialog()
        dialog.editors["ip"].line.setText("203.0.113.7")
        cycle = dialog.editors["billingcycle"]
        assert isinstance(cycle, ChoiceEditor)
        assert (cycle.combo.currentIndex(), cycle.raw()) == (-1, "")  # none chosen for you
        assert cycle.combo.placeholderText() == "Choose…"
        cycle.combo.setCurrentIndex(cycle.combo.findData("monthly"))
        dialog.go_button.click()
        qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
        return top_box("confirmation").text()

    def orders() -> list:
        return [r for r in kind.requests("ndchost") if "order" in form_of(r).get("apifunction", "")]

    menu = actions_of(browser, 0).parentWidget()
    assert menu_entry(menu, "Edit cell") is None  # products are never edited: no entry
    assert menu_entry(menu, "Open record") is not None
    shown = ask_order()
    for fact in ("Product", product.values["name"], "Server IP", "203.0.113.7", "monthly"):
        assert fact in shown
    assert "This costs money" in shown
    assert "Price" in shown
    top_box("confirmation").reject()
    qtbot.waitUntil(lambda: top_box("confirmation") is None, timeout=WAIT_MS)
    assert flow.last_result is None
    assert orders() == []  # cancelled: nothing was ordered

    ask_order()
    click_in_box(qtbot, "confirmation", "confirm")
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    assert flow.last_result.record_result.outcome in (Outcome.SAVED, Outcome.QUEUED)
    (order,) = orders()
    assert form_of(order)["ip"] == "203.0.113.7"
    assert form_of(order)["billingcycle"] == "monthly"


@pytest.mark.parametrize("kind", ["aicore"], indirect=True)
def test_aicore_saves_a_lead_with_lead_set_and_changes_its_status(kind, qtbot) -> None:
    browser = kind.open("aicore", "leads")
    lead = browser.model.record_at(0)
    type_into(browser, 0, "city", "Utrecht")
    dialog = review_of(qtbot, kind.window)
    save_and_wait(qtbot, dialog)
    assert dialog.report.results[0].outcome is Outcome.SAVED
    assert any("lead_set" in r.body.decode() for r in writes(kind, "aicore"))
    store = kind.sandbox.emulator("aicore").store
    assert store.get("leads", lead.id)["city"] == "Utrecht"
    dialog.close()

    grid(browser).browser.table.setCurrentIndex(browser.model.index(0, 1))
    menu_entry(actions_of(browser, 0), "Change status").trigger()
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    values_dialog().editors["status"].line.setText("3")
    values_dialog().go_button.click()
    flow = kind.window.editing.flow
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    assert flow.last_result.record_result.outcome is Outcome.SAVED
    assert str(store.get("leads", lead.id)["status"]) == "3"
