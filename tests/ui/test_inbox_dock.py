"""The inbox dock against the sandbox's pushing servers: a pushed message appears unread and
bold, is counted on the dock's title, and opens the record it names; the filters; read and
unread; the desktop notification and its switch; the addresses to register."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from inbox_helpers import InboxWindow, run

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from crmdesk.inbox import InboxQuery
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.editing.record_form import RecordForm
from crmdesk.ui.inbox.addresses import NotificationAddresses
from crmdesk.ui.inbox.model import MESSAGE_ROLE, SUMMARY, TYPE
from crmdesk.ui.profiles.form import ProfileForm


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    with SandboxThread(kinds=("aicore", "getresponse"), records_per_entity=40) as running:
        yield running


@pytest.fixture
def inbox(qtbot, qloop, sandbox: SandboxThread) -> Iterator[InboxWindow]:
    harness = InboxWindow(qtbot, sandbox)
    yield harness
    harness.shut_down()


def test_a_burst_arrives_unread_and_a_message_opens_its_record(inbox: InboxWindow) -> None:
    dock, model = inbox.dock, inbox.dock.model
    assert model is not None
    bursts = dock.bursts
    assert bursts is not None  # the demo's Sandbox menu is there
    push_all = next(a for a in bursts.actions if "every pushing connection" in a.text())
    assert "1,000" not in push_all.text()
    push_all.trigger()  # 50 from each of the two pushing emulators
    inbox.wait_rows(100)

    assert dock.windowTitle().startswith("Inbox (100 unread) — listening on 127.0.0.1:")
    assert model.data(model.index(0, SUMMARY), Qt.ItemDataRole.FontRole).bold()
    aicore = inbox.profile("aicore")
    row = next(
        r
        for r in range(100)
        if (m := model.message_at(r)) is not None
        and m.connection_id == aicore.id
        and m.type == "new_user"
    )
    message = model.data(model.index(row, SUMMARY), MESSAGE_ROLE)
    assert message.link is not None
    assert message.link.entity == "users"

    dock.view.selectRow(row)  # seen whole: read
    assert dock.details.message.id == message.id
    assert json.loads(dock.details.raw.toPlainText()) == message.data
    assert dock.details.tree.topLevelItem(0).childCount() == len(message.data)
    inbox.wait(lambda: "(99 unread)" in dock.windowTitle())
    assert model.data(model.index(row, SUMMARY), Qt.ItemDataRole.FontRole) is None

    assert dock.details.open_button.isVisible()
    dock.details.open_button.click()  # connects the connection first, then opens the form
    key = (aicore.id, "users", message.link.record_id)

    def form() -> RecordForm | None:
        found = [p for p in inbox.window.tabs.pages() if isinstance(p, RecordForm)]
        return next((p for p in found if p.key == key), None)

    inbox.wait(lambda: form() is not None and form().record is not None)
    assert form().record.id == message.link.record_id
    assert inbox.window.tabs.tabs.currentWidget() is form()

    # And from there the calls that touched it: the inspector, following that record.
    assert dock.details.calls_button.isVisible()
    dock.details.calls_button.click()
    inspector = inbox.window.inspector
    assert inspector.isVisible()
    assert f"Record {message.link.record_id} of API Service" in inspector.filters.record.text()
    # The form's own read of the record is among them (words are looked for off the GUI
    # thread: a moment later).
    inbox.wait(lambda: inspector.model.rowCount() >= 1 and not inspector.feed.loading)


def test_behind_the_inspector_it_counts_and_catches_up_when_brought_forward(
    inbox: InboxWindow,
) -> None:
    dock, model = inbox.dock, inbox.dock.model
    assert model is not None
    inbox.window.inspector.raise_()  # as the window starts: the inbox is the tab behind
    assert dock.visibleRegion().isEmpty()  # a tab behind is "visible", but not seen
    inbox.push("aicore", 6)
    inbox.wait(lambda: "(6 unread)" in dock.windowTitle())  # its tab says so
    assert model.rowCount() == 0  # not refreshed while nobody looks
    dock.raise_()
    inbox.wait_rows(6)


def test_filters_by_type_connection_and_text(inbox: InboxWindow) -> None:
    dock, model = inbox.dock, inbox.dock.model
    assert model is not None
    inbox.push("aicore", 30)
    inbox.push("getresponse", 10)
    inbox.wait_rows(40)
    store = inbox.notifications.store
    dock._update_choices()  # the timer's job every few seconds
    filters = dock.filters
    inbox.wait(lambda: filters.type.findData("new_user") >= 0)

    filters.type.setCurrentIndex(filters.type.findData("new_user"))
    expected = run(inbox.qtbot, store.count(InboxQuery(type="new_user")))
    assert 0 < expected < 40
    inbox.wait_rows(expected)
    assert {model.message_at(r).type for r in range(expected)} == {"new_user"}

    filters.type.setCurrentIndex(0)  # all types
    getresponse = inbox.profile("getresponse")
    filters.connection.setCurrentIndex(filters.connection.findData(getresponse.id))
    inbox.wait_rows(10)
    assert {model.message_at(r).connection_id for r in range(10)} == {getresponse.id}
    assert "GetResponse sandbox (10, 10 unread)" in filters.connection.currentText()

    filters.connection.setCurrentIndex(0)
    inbox.wait_rows(40)
    wanted = model.message_at(7)
    assert wanted is not None
    words = wanted.summary.split(": ")[-1][:18]
    filters.text.setText(words)
    filters.text.returnPressed.emit()
    matching = run(inbox.qtbot, store.count(InboxQuery(text=words)))
    inbox.wait_rows(matching)
    assert wanted.id in {model.message_at(r).id for r in range(matching)}
    for r in range(matching):
        shown = model.message_at(r)
        assert words.lower() in (shown.summary + shown.data_json).lower()


def test_mark_unread_read_and_all_read(inbox: InboxWindow) -> None:
    dock, model = inbox.dock, inbox.dock.model
    assert model is not None
    inbox.push("aicore", 5)
    inbox.wait_rows(5)
    dock.view.selectRow(2)
    inbox.wait(lambda: inbox.notifications.store.unread == 4)
    assert dock.details.read_button.text() == "Mark &unread"

    dock.details.read_button.click()
    inbox.wait(lambda: inbox.notifications.store.unread == 5)
    assert model.data(model.index(2, TYPE), Qt.ItemDataRole.FontRole).bold()
    assert dock.details.read_button.text() == "Mark &read"
    dock.details.read_button.click()
    inbox.wait(lambda: inbox.notifications.store.unread == 4)

    dock.filters.unread_only.setChecked(True)
    inbox.wait_rows(4)
    dock.filters.mark_all.click()
    inbox.wait(lambda: inbox.notifications.store.unread == 0 and model.rowCount() == 0)
    inbox.wait(lambda: "(0 unread)" in dock.windowTitle())


def test_desktop_notifications_come_for_new_messages_only_while_on(
    inbox: InboxWindow, home: Path
) -> None:
    dock, tray = inbox.dock, inbox.dock.tray
    shown: list[tuple[str, str]] = []
    tray.present = lambda title, text: shown.append((title, text))  # the desktop's balloon
    switch = dock.filters.desktop_notifications
    assert switch.isChecked()

    switch.trigger()  # off
    inbox.wait(lambda: not inbox.notifications.settings.desktop_notifications)
    saved = json.loads((home / "config" / "listener.json").read_text())
    assert saved["desktop_notifications"] is False
    inbox.push("aicore", 4)
    inbox.wait(lambda: tray.heard >= 4)  # told of them, and showed nothing
    assert shown == []

    switch.trigger()  # on again
    inbox.wait(lambda: inbox.notifications.settings.desktop_notifications)
    inbox.push("aicore", 3)
    inbox.wait(lambda: shown)
    title, text = shown[0]  # one for the three, or for those of them in the same second
    assert title.endswith(" from API Service (/service) sandbox")
    assert text


def test_where_to_send_notifications_shows_each_address_and_what_came(
    inbox: InboxWindow,
) -> None:
    dock = inbox.dock
    inbox.push("aicore", 2)
    inbox.wait_rows(2)
    dock.pages.setCurrentWidget(dock.addresses)
    aicore = inbox.profile("aicore")
    row = dock.addresses.rows[aicore.id]
    assert row.field.line.text() == inbox.notifications.url_for(aicore)
    inbox.wait(lambda: "Deliveries: " in row.status.text() and "none" not in row.status.text())
    assert "Last authenticate:" in row.status.text()
    assert "answered with the MD5 (key)" in row.status.text()
    row.field.copy.click()
    assert QGuiApplication.clipboard().text() == inbox.notifications.url_for(aicore)
    reach = dock.addresses.reach.text()
    assert "ssh -R" in reach
    assert f"127.0.0.1:{inbox.notifications.listener.port}" in reach


def test_the_connection_form_shows_the_whole_address_and_how_to_reach_it(
    qtbot, inbox: InboxWindow
) -> None:
    form = ProfileForm()
    qtbot.addWidget(form)
    form.set_addresses(NotificationAddresses(inbox.notifications))
    aicore = inbox.profile("aicore")
    form.set_profile(aicore, {}, new=False)
    assert form.notify_address.line.text() == inbox.notifications.url_for(aicore)
    assert form.notify_reach.text().startswith("Register this address with the server.")
    assert "Public base URL in the inbox's Listener settings" in form.notify_reach.text()
    form.notify.setChecked(False)
    assert "once the connection is saved" in form.notify_reach.text()
