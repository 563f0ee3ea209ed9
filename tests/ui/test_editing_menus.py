"""Record editing on the grid's right-click menu and the Actions button, against the
CMDataManager sandbox: the entries a record offers, editing a cell with the keyboard, revert
and review from the menu, and a task closed and a task added through the Actions submenu."""

from __future__ import annotations

import dataclasses
import json

import pytest
from editing_helpers import WAIT_MS, menu_entry, open_changelog, type_into, values_dialog

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMenu

from crmdesk.editing import Outcome
from crmdesk.ui.browser.menus import popup_cell_menu
from crmdesk.ui.editing.record_form import RecordForm


@pytest.fixture
def window(desk, home):
    open_changelog(desk.qtbot, desk.context.desk, home / "changes.db")
    yield desk
    desk.window.editing.pending.revert_all()


def cell_menu(browser, row: int, field: str | None) -> QMenu:
    column = browser.model.column_of(field) if field is not None else 0
    at = browser.table.visualRect(browser.model.index(row, column)).center()
    menu = popup_cell_menu(browser, at)
    assert menu is not None
    return menu


def open_tasks(desk):
    browser = desk.window.open_entity(desk.session, desk.session.entity("task"))
    desk.wait_loaded(browser)
    return browser


def test_a_record_offers_its_entries_and_its_actions_on_right_click(window) -> None:
    browser = window.open_first_entity()
    menu = cell_menu(browser, 0, "LastName")
    record = browser.model.record_at(0)
    assert menu_entry(menu, "Edit cell").isEnabled()
    assert menu_entry(menu, "Edit cell").text().endswith("\tF2")
    assert menu_entry(menu, "Open record").isEnabled()
    assert menu_entry(menu, f"Delete lead {record.id}").isEnabled()
    assert menu_entry(menu, "Revert") is None  # nothing changed yet
    actions = menu_entry(menu, "Actions").menu()
    labels = [a.text().rstrip("…") for a in actions.actions()]
    assert labels == [a.label for a in browser.entity.actions]
    assert menu_entry(menu, "Copy") is not None  # the browser's own entries stay
    calls = menu_entry(menu, f"Show calls for {record.id}")  # the inspector's own entry
    calls.trigger()
    menu.close()
    inspector = window.window.inspector
    assert inspector.isVisible()
    assert record.id in inspector.filters.record.text()

    locked = cell_menu(browser, 0, "CreatedDate")
    edit = menu_entry(locked, "Edit cell")
    assert not edit.isEnabled()
    assert "read-only" in edit.toolTip()
    locked.close()


def test_edit_cell_from_the_menu_takes_what_is_typed(window, qtbot) -> None:
    browser = window.open_first_entity()
    record = browser.model.record_at(1)
    menu = cell_menu(browser, 1, "Company")
    menu_entry(menu, "Edit cell").trigger()
    menu.close()
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.selectedText() == record.values["Company"]  # typed over, as in a sheet
    qtbot.keyClicks(editor, "Northwind GmbH")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # a second commit would warn (and fail)
    edit = window.context.desk.edits.get(window.session.id, "lead", record.id, "Company")
    assert edit is not None
    assert edit.new == "Northwind GmbH"


def test_revert_and_review_come_from_the_menu(window, qtbot) -> None:
    browser = window.open_first_entity()
    ids = [browser.model.record_at(row).id for row in range(3)]
    for row in range(3):
        type_into(browser, row, "Title", f"Buyer {row}")
    type_into(browser, 0, "Company", "Contoso")
    model = browser.model
    title = model.column_of("Title")
    block = QItemSelection(model.index(0, title), model.index(1, title))
    browser.table.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    menu = cell_menu(browser, 0, "Title")
    assert menu_entry(menu, "Revert 2 changed cells") is not None
    assert menu_entry(menu, "Review & save 4 changes").text().endswith("\tCtrl+S")
    menu_entry(menu, "Review & save these 2 records").trigger()
    dialog = window.window.editing.reviews[(window.session.id, "lead")]
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=WAIT_MS)
    assert "3 changes to 2 leads" in dialog.heading.text()
    dialog.close()
    menu_entry(menu, "Revert 2 records").trigger()
    menu.close()
    pending = window.context.desk.edits
    assert [pending.of_record(window.session.id, "lead", i) == {} for i in ids] == [
        True,
        True,
        False,
    ]


def test_a_task_is_closed_from_the_right_click_menu(window, qtbot) -> None:
    window.open_first_entity()
    tasks = open_tasks(window)
    row = next(
        r for r in range(tasks.model.rowCount())
        if tasks.model.record_at(r).values["Status"] != "Completed"
    )  # fmt: skip
    task = tasks.model.record_at(row)
    menu = cell_menu(tasks, row, "Subject")
    menu_entry(menu.findChild(QMenu, "cellActionsMenu"), "Close task").trigger()
    menu.close()
    flow = window.window.editing.flow
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    assert flow.last_result.record_result.outcome is Outcome.SAVED
    closes = [r for r in window.emulator.requests if r.method == "PUT" and "close" in r.path]
    assert [r.path.rsplit("/", 1)[-1] for r in closes] == [task.id]
    assert window.emulator.store.get("task", task.id)["Status"] == "Completed"


def test_a_task_is_added_to_a_lead_through_the_actions_button(window, qtbot) -> None:
    browser = window.open_first_entity()
    lead = browser.model.record_at(2)
    browser.table.setCurrentIndex(browser.model.index(2, 1))
    bar = window.window.editing.grid_of(browser).bar
    assert bar.actions_button.menu() is None  # no style-drawn indicator beside the arrow
    bar.actions_button.click()
    menu_entry(bar.actions_button.actions_menu, "Add task").trigger()
    bar.actions_button.actions_menu.close()
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    dialog = values_dialog()
    dialog.editors["Subject"].line.setText("Call back about the renewal")
    dialog.go_button.click()

    flow = window.window.editing.flow
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)
    result = flow.last_result
    assert result.record_result.outcome is Outcome.SAVED, result.record_result.message
    posted = [r for r in window.emulator.requests if r.method == "POST"]
    assert posted[-1].path.endswith(f"/lead/{lead.id}/task")
    assert json.loads(posted[-1].body)["Subject"] == "Call back about the renewal"
    assert result.open_button.text().startswith("Open task ")
    result.open_button.click()
    qtbot.waitUntil(
        lambda: isinstance(window.window.tabs.tabs.currentWidget(), RecordForm), timeout=WAIT_MS
    )
    form = window.window.tabs.tabs.currentWidget()
    qtbot.waitUntil(lambda: form.record is not None, timeout=WAIT_MS)
    assert form.record.values["Subject"] == "Call back about the renewal"


def test_a_read_only_connection_offers_no_edit_and_says_why(window, qtbot) -> None:
    browser = window.open_first_entity()
    window.session.profile = dataclasses.replace(window.session.profile, read_only=True)
    menu = cell_menu(browser, 0, "LastName")
    for words in ("Edit cell", "Delete lead"):
        entry = menu_entry(menu, words)
        assert not entry.isEnabled()
        assert "read-only" in entry.toolTip()
    assert all(not a.isEnabled() for a in menu_entry(menu, "Actions").menu().actions())
    assert menu_entry(menu, "Open record").isEnabled()  # reading is still fine
    menu.close()
