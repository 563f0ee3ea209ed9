"""Calls handed on and brought back: the selection exported as HAR (through a file dialog that
is opened, not exec'd) reads back with `read_har` and holds no secret; a HAR file imported is
listed as imported; two selected calls compare; the history's limits are set and its size
shown."""

from __future__ import annotations

from pathlib import Path

from inspector_helpers import WAIT_MS

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QFileDialog

from crmdesk.history import read_har
from crmdesk.ui.inspector.rows import Origin


def select(inspecting, rows) -> None:
    view = inspecting.dock.list
    view.clearSelection()
    for row in rows:
        index = inspecting.dock.model.index(inspecting.dock.model.row_of(row.id), 0)
        view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )


def choose(inspecting, path: Path) -> None:
    dialog = inspecting.dock.tools.file_dialog
    assert isinstance(dialog, QFileDialog)
    assert dialog.isVisible()
    assert dialog.isModal()
    dialog.selectFile(str(path))
    dialog.accept()


def test_the_selection_exported_as_har_reads_back_without_secrets(inspecting, tmp_path) -> None:
    inspecting.open_first_entity()
    rows = inspecting.rows(lambda r: "/lead" in r.summary.url or r.summary.auth)
    select(inspecting, rows)
    tools = inspecting.dock.tools
    assert tools.export_button.isEnabled()
    tools.export_button.click()
    path = tmp_path / "ticket-4711.har"
    choose(inspecting, path)
    inspecting.qtbot.waitUntil(lambda: "Saved" in tools.notice.text(), timeout=WAIT_MS)

    text = path.read_text("utf-8")
    credentials = inspecting.sandbox.endpoints[0].credentials
    secrets = [credentials["client_secret"], credentials["password"]]  # the id and user are not
    assert all(secret not in text for secret in secrets)
    assert "[REDACTED]" in text
    entries = read_har(text)
    assert sorted(e.exchange.url for e in entries) == sorted(r.summary.url for r in rows)
    assert f"Saved {len(rows)} calls to ticket-4711.har (secrets redacted)." in tools.notice.text()

    # And back in: listed as imported, marked, ready to be sent again.
    tools.import_har(path)
    inspecting.qtbot.waitUntil(lambda: "Imported" in tools.notice.text(), timeout=WAIT_MS)
    imported = inspecting.rows(lambda r: r.origin is Origin.IMPORTED)
    assert len(imported) == len(rows)
    assert all(r.source.startswith("HAR from crmdesk") for r in imported)
    assert inspecting.dock.current_row().origin is Origin.IMPORTED
    top = inspecting.dock.model.index(0, 0)
    assert top.data(Qt.ItemDataRole.FontRole).italic()


def test_a_file_that_is_not_har_is_said_in_words(inspecting, tmp_path) -> None:
    path = tmp_path / "notes.har"
    path.write_text("these are my notes", "utf-8")
    tools = inspecting.dock.tools
    tools.import_har(path)
    inspecting.qtbot.waitUntil(lambda: "not a HAR file" in tools.notice.text(), timeout=WAIT_MS)
    assert not inspecting.rows()


def test_two_selected_calls_compare_side_by_side(inspecting) -> None:
    browser = inspecting.open_first_entity()
    browser.paging.next_button.click()
    inspecting.qtbot.waitUntil(lambda: browser.shown_page.page == 2, timeout=WAIT_MS)
    inspecting.settle()
    pages = inspecting.rows(lambda r: "/lead?page=" in r.summary.url)
    select(inspecting, pages)
    tools = inspecting.dock.tools
    assert tools.compare_button.isEnabled()
    tools.compare_button.click()
    inspecting.qtbot.waitUntil(lambda: tools.compare_window is not None, timeout=WAIT_MS)
    window = tools.compare_window
    found = window.comparison
    assert found.url == (pages[1].summary.url, pages[0].summary.url)  # older first
    assert found.status is None
    assert found.response_body.kind == "json"
    assert "page=2" in window.heading.text().split("<br>")[1]
    assert window.response_body.table.rowCount() == len(found.response_body.changes)
    assert window.first_text.toPlainText().startswith("{")


def test_the_history_limits_are_set_and_its_size_shown(inspecting) -> None:
    inspecting.open_first_entity()
    inspecting.run(inspecting.desk.history.recorder.flush())
    dialog = inspecting.dock.tools.open_settings()
    stored = len(inspecting.desk.exchanges)
    inspecting.qtbot.waitUntil(lambda: "calls</b> stored" in dialog.stats.text(), timeout=WAIT_MS)
    assert f"<b>{stored} calls</b> stored" in dialog.stats.text()
    assert "the oldest from" in dialog.stats.text()
    assert dialog.count.value() == 150_000
    dialog.count.setValue(dialog.count.minimum())
    dialog.days.setValue(3)
    dialog.save()
    inspecting.qtbot.waitUntil(lambda: "Saved." in dialog.outcome.text(), timeout=WAIT_MS)
    retention = inspecting.desk.history.retention
    assert (retention.max_exchanges, retention.max_age_days) == (100, 3.0)
    assert type(retention).load().max_exchanges == 100  # kept in the settings file
