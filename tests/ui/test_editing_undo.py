"""Undo of the last save and a save that meets a spent API quota, against the CMDataManager
sandbox (the server's values checked in the sandbox itself), and the model tester on the
save-results and change-log models."""

from __future__ import annotations

import pytest
from editing_helpers import (
    WAIT_MS,
    click_in_box,
    open_changelog,
    review_of,
    save_and_wait,
    top_box,
    type_into,
    values_dialog,
)

from crmdesk.editing import Outcome
from crmdesk.ui.editing.action_flow import ActionTarget
from crmdesk.ui.editing.change_log import ChangeLogWindow
from crmdesk.ui.editing.undo import UndoResults


@pytest.fixture
def editing(desk, home):
    open_changelog(desk.qtbot, desk.context.desk, home / "changes.db")
    browser = desk.open_first_entity()
    yield desk, browser
    desk.window.editing.pending.revert_all()


def test_undo_last_save_puts_the_old_values_back_on_the_server(editing, qtbot) -> None:
    desk, browser = editing
    lead = browser.model.record_at(0)
    type_into(browser, 0, "Title", "Chief Buyer")
    type_into(browser, 0, "Company", "Northwind")
    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)
    dialog.close()
    stored = desk.emulator.store.get("lead", lead.id)
    assert (stored["Title"], stored["Company"]) == ("Chief Buyer", "Northwind")

    desk.window.editing.undo_current()
    qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
    asked = top_box("confirmation").text()
    assert f"Lead {lead.id}" in asked  # the record and fields in words, not API names
    assert f"Job title: back to “{lead.values['Title']}” (now “Chief Buyer”)" in asked
    click_in_box(qtbot, "confirmation", "confirm")
    undo = desk.window.editing.undo
    qtbot.waitUntil(lambda: isinstance(undo.last_window, UndoResults), timeout=WAIT_MS)
    report = undo.last_window.report
    assert [r.outcome for r in report.results] == [Outcome.SAVED]
    assert undo.last_window.model.index(0, 0).data().startswith(f"Lead {lead.id}")
    stored = desk.emulator.store.get("lead", lead.id)
    assert (stored["Title"], stored["Company"]) == (lead.values["Title"], lead.values["Company"])


def test_a_save_that_meets_a_spent_quota_waits_and_says_so(editing, qtbot) -> None:
    desk, browser = editing
    lead = browser.model.record_at(3)
    type_into(browser, 3, "Title", "Head of Buying")
    desk.emulator.faults.inject("HTTP_429", path=lead.id, method="PUT")
    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)

    (result,) = dialog.report.results
    assert result.outcome is Outcome.SAVED
    words = dialog.results.index(0, 2).data()
    assert "Sent again after the quota reset" in words
    assert "the server had refused the first attempt, which changed nothing" in words
    assert desk.emulator.store.get("lead", lead.id)["Title"] == "Head of Buying"
    puts = [r.status for r in desk.emulator.requests if r.method == "PUT"]
    assert puts == [429, 200]  # once refused, once taken: never applied twice
    assert desk.context.desk.edits.count() == 0
    dialog.close()


def test_the_results_and_change_log_models_pass_the_model_tester(
    editing, qtbot, qtmodeltester
) -> None:
    desk, browser = editing
    for row in range(3):
        type_into(browser, row, "Company", f"Buyer {row}")
    desk.emulator.faults.inject("HTTP_500", path=browser.model.record_at(1).id, method="PUT")
    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)
    assert len(dialog.report.saved) == 2
    qtmodeltester.check(dialog.results)
    dialog.close()

    window = desk.window.editing.show_change_log()
    assert isinstance(window, ChangeLogWindow)
    qtbot.waitUntil(lambda: window.model.rowCount() >= 2, timeout=WAIT_MS)
    qtmodeltester.check(window.model)
    window.close()


def test_a_convert_is_not_offered_for_undo_and_nothing_is_sent(editing, qtbot) -> None:
    desk, browser = editing
    lead = browser.model.record_at(5)
    flow = desk.window.editing.flow
    target = ActionTarget(desk.session, browser.entity, lead.id, f"Lead {lead.id}")
    flow.start(target, browser.entity.action("convert"))
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    values_dialog().editors["Name"].line.setText("Contoso Ltd")
    values_dialog().go_button.click()
    qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
    assert f"On <b>Lead {lead.id}</b> of {desk.session.name}" in top_box("confirmation").text()
    click_in_box(qtbot, "confirmation", "confirm")
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)

    def writes() -> int:
        return len([r for r in desk.emulator.requests if r.method != "GET"])

    sent = writes()

    desk.window.editing.undo_current()
    undo = desk.window.editing.undo
    qtbot.waitUntil(lambda: undo.last_window is not None, timeout=WAIT_MS)
    words = undo.last_window.message.text()
    assert "cannot be undone" in words
    assert "action Convert lead" in words
    assert top_box("confirmation") is None  # no Undo button that could do nothing
    assert writes() == sent
