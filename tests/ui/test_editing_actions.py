"""Actions, create and delete from the UI against the CMDataManager sandbox: what the entity
offers (never per kind), a convert whose result opens the new account, a task closed, a
record created and one deleted, each asked and reported in words with its exchange."""

from __future__ import annotations

import pytest
from editing_helpers import WAIT_MS, click_in_box, open_changelog, top_box, values_dialog

from PySide6.QtWidgets import QLineEdit

from crmdesk.editing import Outcome
from crmdesk.ui.editing.action_flow import ActionTarget
from crmdesk.ui.editing.editors import LineEditor
from crmdesk.ui.editing.record_form import RecordForm
from crmdesk.ui.editing.values_dialog import ValuesDialog


@pytest.fixture
def window(desk, home):
    open_changelog(desk.qtbot, desk.context.desk, home / "changes.db")
    desk.open_first_entity()
    yield desk
    desk.window.editing.pending.revert_all()


def fill_required(dialog: ValuesDialog) -> None:
    for spec in dialog.fields:
        editor = dialog.editors[spec.name]
        if spec.required and isinstance(editor, LineEditor) and not editor.raw():
            editor.line.setText("1" if spec.type.name in ("NUMBER", "CURRENCY") else "Test value")


def target(desk, entity: str, record_id: str) -> ActionTarget:
    info = desk.session.entity(entity)
    return ActionTarget(desk.session, info, record_id, f"{info.label} {record_id}")


def test_convert_asks_then_offers_to_open_the_new_account(window, qtbot) -> None:
    desk = window
    flow = desk.window.editing.flow
    lead = desk.window.tabs.current().model.record_at(0)
    convert = desk.session.entity("lead").action("convert")

    flow.start(target(desk, "lead", lead.id), convert)
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    dialog = values_dialog()
    fill_required(dialog)
    dialog.go_button.click()
    click_in_box(qtbot, "confirmation", "confirm")
    qtbot.waitUntil(lambda: flow.last_result is not None, timeout=WAIT_MS)

    result = flow.last_result
    assert result.record_result.outcome is Outcome.SAVED
    assert result.open_button is not None
    assert result.open_button.text().startswith("Open account ")
    assert result.details_button.isEnabled()
    assert any(r.path.endswith(f"/lead/convert/{lead.id}") for r in desk.emulator.requests)
    result.open_button.click()
    qtbot.waitUntil(
        lambda: isinstance(desk.window.tabs.tabs.currentWidget(), RecordForm), timeout=WAIT_MS
    )
    form = desk.window.tabs.tabs.currentWidget()
    assert form.entity.name == "account"
    qtbot.waitUntil(lambda: form.record is not None, timeout=WAIT_MS)


def test_an_action_cancelled_at_its_confirmation_sends_nothing(window, qtbot) -> None:
    desk = window
    flow = desk.window.editing.flow
    lead = desk.window.tabs.current().model.record_at(1)
    flow.start(target(desk, "lead", lead.id), desk.session.entity("lead").action("convert"))
    qtbot.waitUntil(lambda: values_dialog() is not None, timeout=WAIT_MS)
    dialog = values_dialog()
    fill_required(dialog)
    dialog.go_button.click()
    qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
    top_box("confirmation").reject()
    qtbot.wait(100)
    assert not any("/convert/" in r.path for r in desk.emulator.requests)


def test_a_new_record_is_created_from_an_empty_form(window, qtbot) -> None:
    desk = window
    editing = desk.window.editing
    form = editing.new_record(desk.session, desk.session.entity("lead"))
    qtbot.waitUntil(lambda: bool(form.rows), timeout=WAIT_MS)
    names = list(form.rows)
    required = [n for n in names if form.rows[n].spec.required]
    assert names[: len(required)] == required  # the required fields come first
    for name in required:
        editor = form.rows[name].editor
        if isinstance(editor, LineEditor):
            editor.line.setText("Test value")
    form.create_record()
    qtbot.waitUntil(lambda: form.record_id is not None, timeout=WAIT_MS)
    assert any(r.method == "POST" and r.path.endswith("/lead") for r in desk.emulator.requests)
    assert editing.writes.last_result.record_result.outcome is Outcome.SAVED


def test_delete_asks_naming_the_record_and_is_reported(window, qtbot) -> None:
    desk = window
    browser = desk.window.tabs.current()
    record = browser.model.record_at(2)
    desk.window.editing.delete_record(desk.session, browser.entity, record)

    qtbot.waitUntil(lambda: top_box("confirmation") is not None, timeout=WAIT_MS)
    assert record.id in top_box("confirmation").text()
    click_in_box(qtbot, "confirmation", "confirm")
    writes = desk.window.editing.writes
    qtbot.waitUntil(lambda: writes.last_result is not None, timeout=WAIT_MS)
    assert writes.last_result.record_result.outcome is Outcome.SAVED
    assert any(r.method == "DELETE" and record.id in r.path for r in desk.emulator.requests)


def test_the_actions_menu_comes_from_the_entity(window) -> None:
    from PySide6.QtWidgets import QMenu

    from crmdesk.ui.editing.actions_menu import add_actions

    desk = window
    menu = QMenu()
    lead = desk.window.tabs.current().model.record_at(0)
    count = add_actions(menu, target(desk, "lead", lead.id), desk.window.editing.flow)
    labels = [a.text() for a in menu.actions()]
    assert count == len(desk.session.entity("lead").actions)
    assert labels[0].startswith("Convert lead")
    assert not any(isinstance(w, QLineEdit) for w in menu.children())
