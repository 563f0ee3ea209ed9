"""The record form against the CMDataManager sandbox: read-only fields labelled and locked
with a drawn padlock, editors framed with nothing selected, and its Revert and Review & save
waiting for a change of this record."""

from __future__ import annotations

import pytest
from editing_helpers import WAIT_MS, open_changelog

from PySide6.QtWidgets import QLineEdit

from crmdesk.sandbox import Fault
from crmdesk.ui.editing.editors import LineEditor


@pytest.fixture
def form(desk, home):
    open_changelog(desk.qtbot, desk.context.desk, home / "changes.db")
    browser = desk.open_first_entity()
    record = browser.model.record_at(0)
    desk.window.editing.open_record(desk.session, "lead", record.id)
    opened = desk.window.tabs.tabs.currentWidget()
    desk.qtbot.waitUntil(lambda: bool(opened.rows), timeout=WAIT_MS)
    yield opened
    desk.window.editing.pending.revert_all()


def test_read_only_fields_are_labelled_and_locked_with_a_drawn_padlock(form) -> None:
    created = form.rows["CreatedDate"]
    assert created.editor is None
    assert "Created" in created.label.text()
    assert "(locked)" not in created.label.text()
    (lock,) = [a for a in created.locked.actions() if a.objectName() == "lock"]
    assert not lock.icon().isNull()
    assert "cannot be changed here" in lock.toolTip()
    assert created.locked.text() != ""  # the value is shown, greyed, not hidden


def test_the_forms_editors_are_framed_and_nothing_is_selected(form) -> None:
    editor = form.rows["LastName"].editor
    assert isinstance(editor, LineEditor)
    assert editor.line.hasFrame()
    assert not editor.line.hasSelectedText()


def test_revert_and_review_wait_for_a_change_of_this_record(form, qtbot) -> None:
    assert not form.save_button.isEnabled()
    assert not form.revert_button.isEnabled()
    line = form.rows["Company"].editor.line
    assert isinstance(line, QLineEdit)
    line.setText("Northwind GmbH")
    line.textEdited.emit("Northwind GmbH")
    assert form.save_button.isEnabled()
    assert form.save_button.text() == "Review && save (1)…"
    form.revert_button.click()
    assert not form.save_button.isEnabled()
    assert line.text() == form.record.values["Company"]


def test_a_record_refused_for_a_spent_quota_offers_to_wait_and_cancel(form, desk) -> None:
    path = f"/lead/{form.record_id}"
    desk.emulator.faults.inject(Fault.HTTP_429, path=path, method="GET", seconds=300)
    form.refresh_button.click()
    banner = form.banner
    desk.qtbot.waitUntil(lambda: banner.wait_button.isVisible(), timeout=WAIT_MS)
    assert f"Opening Lead {form.record_id} failed." in banner.message.text()
    assert "The API quota resets at" in banner.message.text()
    banner.wait_button.click()
    assert banner.waiting
    assert "Waiting for the API quota…" in banner.message.text()
    banner.cancel_button.click()
    assert not banner.waiting
    assert banner.wait_button.isVisible()
    gets = [r for r in desk.emulator.requests if r.method == "GET" and r.path.endswith(path)]
    assert [r.status for r in gets[-1:]] == [429]  # nothing more was sent while it waited
