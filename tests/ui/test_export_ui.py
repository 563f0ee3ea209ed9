"""Export… from the browser: the current view (filter, sort, visible columns) of 10,000
sandbox leads, every page, with its progress and Cancel in the status bar."""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterator

import pytest

from crmdesk.exporting import ExportFormat
from crmdesk.sandbox import Fault, SandboxThread
from crmdesk.ui.actions import MainAction

RECORDS = 10_000
WAIT_MS = 15_000


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    """The browser fixtures' sandbox, with enough leads for ten export pages."""
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=RECORDS) as running:
        yield running


def test_the_view_is_exported_with_its_sort_and_visible_columns(desk, tmp_path):
    browser = desk.open_first_entity()
    browser.sort_by_column(browser.model.column_of("LastName"))
    desk.wait_loaded(browser)
    for state in browser.columns.states():
        browser.columns.set_visible(state.column, state.key in ("@id", "LastName", "Email"))
    target = tmp_path / "leads.csv"
    panel = desk.window.status.work

    op = browser.exporter.start(target, ExportFormat.CSV)
    assert panel.isVisible()
    assert panel.text.text().startswith("Exporting Leads to leads.csv")
    desk.qtbot.waitUntil(lambda: op.progress.finished, timeout=WAIT_MS)

    with target.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["ExternalID", "Last name", "Email"]
    assert len(rows) == RECORDS + 1
    names = [row[1] for row in rows[1:]]
    assert names == sorted(names, key=str.casefold)
    assert desk.window.statusBar().currentMessage().startswith("Exported 10,000 records (10 pages)")
    assert not panel.isVisible()
    pages = [r for r in desk.emulator.requests if r.path.endswith("/lead")][-10:]
    assert {r.query["per_page"] for r in pages} == {"1000"}


def test_cancel_in_the_status_bar_leaves_no_file(desk, tmp_path):
    browser = desk.open_first_entity()
    desk.emulator.faults.inject(Fault.HANG, 1, path="/lead", seconds=20)
    target = tmp_path / "leads.xlsx"
    op = browser.exporter.start(target, ExportFormat.XLSX)
    panel = desk.window.status.work
    desk.qtbot.waitUntil(lambda: panel.cancel_button.isVisible(), timeout=WAIT_MS)

    panel.cancel_button.click()
    desk.qtbot.waitUntil(lambda: op.progress.finished, timeout=WAIT_MS)
    assert os.listdir(tmp_path) == []
    assert desk.window.statusBar().currentMessage() == (
        f"Export cancelled; nothing was written to {target}."
    )
    desk.emulator.faults.clear()


def test_the_export_action_opens_the_dialog_for_the_current_tab(desk):
    browser = desk.open_first_entity()
    desk.window.main_actions[MainAction.EXPORT].trigger()
    dialog = browser.exporter.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert "Export all 10,000 records of <b>Leads · CMDataManager sandbox</b>" in (
        dialog.summary.text()
    )
    dialog.reject()


def test_a_spent_quota_is_waited_for_in_the_exports_progress_and_cancel_stops_it(desk, tmp_path):
    browser = desk.open_first_entity()
    # The export's first page is refused until three minutes from now: too long to wait unasked.
    desk.emulator.faults.inject(Fault.HTTP_429, 1, path="/lead", method="GET", seconds=180)
    target = tmp_path / "leads.csv"
    op = browser.exporter.start(target, ExportFormat.CSV)
    panel = desk.window.status.work
    counting = re.compile(r"^Exporting Leads to leads\.csv · Waiting for the API quota… [23] min")
    desk.qtbot.waitUntil(lambda: counting.match(panel.text.text()) is not None, timeout=WAIT_MS)
    # The meter counts the same wait down in the same words.
    assert desk.window.status.rate_limit.text().startswith("Waiting for the API quota… ")
    assert panel.cancel_button.isVisible()

    panel.cancel_button.click()
    desk.qtbot.waitUntil(lambda: op.progress.finished, timeout=WAIT_MS)
    assert os.listdir(tmp_path) == []
    assert desk.window.statusBar().currentMessage() == (
        f"Export cancelled; nothing was written to {target}."
    )
    assert not desk.window.status.rate_limit.text().startswith("Waiting")
