"""A connection edited or deleted in File → Connections… while it has unsaved changes: its
tabs close, but the changes are not silently dropped. Edited, they stay pending, the window
says where they are and reopens the lists on request (or, when it now points elsewhere,
offers to discard them); deleted, they go only when the person says so, after an offer to
keep them in a file."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
from collections.abc import Iterator

import pytest
from editing_helpers import click_in_box, top_box, type_into
from memory_keyring import MemoryKeyring
from profiles_helpers import WAIT_MS, load, make_context, shut_down

from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox, QWidget

from crmdesk.profiles import Profile
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.editing.marks import MarkRole
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionState


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=30) as running:
        yield running


class Saved:
    """A window with one saved connection to the sandbox, its leads open with one edit."""

    def __init__(self, qtbot, sandbox: SandboxThread) -> None:
        self.qtbot = qtbot
        self.context = make_context(MemoryKeyring())
        load(qtbot, self.context)
        self.window = MainWindow(self.context)
        qtbot.addWidget(self.window)
        self.window.show()
        endpoint = sandbox.endpoints[0]
        self.credentials = dict(endpoint.credentials)
        self.profile = Profile(
            "Acme CRM", "cmdatamanager", endpoint.base_url, options=dict(endpoint.options)
        )
        self.run(self.context.book.save(self.profile, self.credentials))
        qtbot.waitUntil(lambda: self.profile.id in self.window.sessions, timeout=WAIT_MS)
        self.session = self.window.sessions[self.profile.id]
        self.window.connect_and_open(self.session)
        qtbot.waitUntil(lambda: self.window.tabs.current() is not None, timeout=WAIT_MS)
        self.browser = self.window.tabs.current()
        qtbot.waitUntil(lambda: self.browser.shown_page is not None, timeout=WAIT_MS)
        self.lead = self.browser.model.record_at(0)
        type_into(self.browser, 0, "Title", "Chief Buyer")

    def run(self, coroutine) -> object:
        done = asyncio.ensure_future(coroutine)
        self.qtbot.waitUntil(done.done, timeout=WAIT_MS)
        return done.result()

    def edit(self) -> object:
        return self.context.desk.edits.get(self.profile.id, "lead", self.lead.id, "Title")


@pytest.fixture
def saved(qtbot, qloop, sandbox) -> Iterator[Saved]:
    made = Saved(qtbot, sandbox)
    yield made
    made.window.editing.pending.revert_all()
    shut_down(qtbot, made.window, made.context)


def question() -> QMessageBox:
    box = top_box("connectionChanges")
    assert box is not None
    return box


def file_dialog() -> QFileDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog) and widget.isVisible():
            return widget
    return None


def test_an_edited_connection_keeps_its_changes_and_reopens_its_lists(saved, qtbot) -> None:
    production = dataclasses.replace(saved.profile, production=True)
    saved.run(saved.context.book.save(production, saved.credentials))
    qtbot.waitUntil(lambda: top_box("connectionChanges") is not None, timeout=WAIT_MS)
    assert saved.window.tabs.current() is None  # its tabs closed
    assert saved.edit() is not None  # …and its change did not go with them
    words = question().text() + question().informativeText()
    assert "1 unsaved change of Acme CRM is kept" in words
    assert "Leads (1 record)" in words
    assert question().findChild(QWidget, "discard") is None  # same server: nothing to doubt

    click_in_box(qtbot, "connectionChanges", "reopen")
    qtbot.waitUntil(lambda: saved.window.tabs.current() is not None, timeout=WAIT_MS)
    browser = saved.window.tabs.current()
    qtbot.waitUntil(lambda: browser.shown_page is not None, timeout=WAIT_MS)
    assert saved.session.state is ConnectionState.CONNECTED
    index = browser.model.index(0, browser.model.column_of("Title"))
    assert browser.model.record_at(0).id == saved.lead.id
    assert (index.data(), index.data(MarkRole)) == ("Chief Buyer", "changed")


def test_a_connection_that_points_elsewhere_now_may_have_its_changes_discarded(
    saved, qtbot
) -> None:
    moved = dataclasses.replace(saved.profile, base_url="http://127.0.0.1:9/api/v1")
    saved.run(saved.context.book.save(moved, saved.credentials))
    qtbot.waitUntil(lambda: top_box("connectionChanges") is not None, timeout=WAIT_MS)
    assert "It now points at http://127.0.0.1:9/api/v1" in question().informativeText()
    click_in_box(qtbot, "connectionChanges", "discard")
    qtbot.waitUntil(lambda: saved.edit() is None, timeout=WAIT_MS)


def test_a_deleted_connections_changes_go_only_when_asked_and_may_go_to_a_file(
    saved, qtbot, tmp_path
) -> None:
    saved.run(saved.context.book.delete(saved.profile.id))
    qtbot.waitUntil(lambda: top_box("connectionChanges") is not None, timeout=WAIT_MS)
    assert "Acme CRM was deleted with 1 unsaved change" in question().text()
    assert question().escapeButton() is None  # no way to wave it away
    assert saved.edit() is not None  # not before the person answers

    click_in_box(qtbot, "connectionChanges", "file")
    qtbot.waitUntil(lambda: file_dialog() is not None, timeout=WAIT_MS)
    file_dialog().reject()  # no file chosen: asked again, nothing lost
    qtbot.waitUntil(lambda: top_box("connectionChanges") is not None, timeout=WAIT_MS)
    assert saved.edit() is not None

    target = tmp_path / "acme.csv"
    click_in_box(qtbot, "connectionChanges", "file")
    qtbot.waitUntil(lambda: file_dialog() is not None, timeout=WAIT_MS)
    file_dialog().findChild(QLineEdit, "fileNameEdit").setText(str(target))  # typed in
    file_dialog().accept()
    qtbot.waitUntil(lambda: saved.edit() is None, timeout=WAIT_MS)
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert [(r["record"], r["field"], r["new"]) for r in rows] == [
        (saved.lead.id, "Title", "Chief Buyer")
    ]
    assert str(target) in saved.window.statusBar().currentMessage()


def test_a_deleted_connections_changes_may_be_discarded(saved, qtbot) -> None:
    saved.run(saved.context.book.delete(saved.profile.id))
    qtbot.waitUntil(lambda: top_box("connectionChanges") is not None, timeout=WAIT_MS)
    click_in_box(qtbot, "connectionChanges", "discard")
    qtbot.waitUntil(lambda: saved.edit() is None, timeout=WAIT_MS)
    assert saved.window.editing.pending.unsaved() == 0
