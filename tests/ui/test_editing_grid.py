"""Editing in the grid against the CMDataManager sandbox: edit → review → save, what goes on
the wire, a failing server keeping the edits, partial success, refused values, closing asks."""

from __future__ import annotations

import json

import pytest
from editing_helpers import (
    click_in_box,
    grid,
    open_changelog,
    review_of,
    save_and_wait,
    type_into,
)

from PySide6.QtCore import Qt

from crmdesk.editing import Outcome
from crmdesk.ui.browser.page_model import PageModel
from crmdesk.ui.editing.marks import MarkRole


@pytest.fixture
def editing(desk, home):
    open_changelog(desk.qtbot, desk.context.desk, home / "changes.db")
    browser = desk.open_first_entity()
    yield desk, browser
    # What is left unsaved would (rightly) make closing the window ask.
    desk.window.editing.pending.revert_all()


def puts(desk):
    return [r for r in desk.emulator.requests if r.method == "PUT"]


def test_an_edit_is_marked_reviewed_and_saved_as_the_exact_request(editing, qtbot) -> None:
    desk, browser = editing
    model = browser.model
    record = model.record_at(0)
    type_into(browser, 0, "LastName", "Bishop-Smith")

    index = model.index(0, model.column_of("LastName"))
    assert index.data() == "Bishop-Smith"
    assert index.data(MarkRole) == "changed"
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    assert "→ “Bishop-Smith”" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert desk.window.status.pending_changes.isVisible()
    assert "1 unsaved change" in desk.window.status.pending_changes.text()
    assert grid(browser).strip.isVisible()

    dialog = review_of(qtbot, desk.window)
    assert "1 change to 1 lead" in dialog.heading.text()
    change = dialog.changes.topLevelItem(0).child(0)
    assert change.text(1) == f"“{record.values['LastName']}” → “Bishop-Smith”"
    assert f"PUT {desk.sandbox.endpoints[0].base_url}" in dialog.requests.toPlainText()
    assert not puts(desk)  # a review sends nothing

    save_and_wait(qtbot, dialog)
    assert [r.outcome for r in dialog.report.results] == [Outcome.SAVED]
    sent = puts(desk)
    assert len(sent) == 1
    assert sent[0].path.endswith(f"/lead/{record.id}")
    assert json.loads(sent[0].body) == {"LastName": "Bishop-Smith"}
    assert desk.context.desk.edits.count() == 0
    qtbot.waitUntil(lambda: not grid(browser).strip.isVisible(), timeout=5000)
    dialog.close()


def test_a_server_error_keeps_the_edits_and_shows_it_on_the_record(editing, qtbot) -> None:
    desk, browser = editing
    record = browser.model.record_at(1)
    type_into(browser, 1, "Company", "Contoso Ltd")
    desk.emulator.faults.inject("HTTP_500", path=record.id, method="PUT")

    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)

    result = dialog.report.results[0]
    assert result.outcome is Outcome.FAILED
    assert "500" in dialog.results.index(0, 2).data()
    assert dialog.retry_button.isEnabled()
    assert desk.context.desk.edits.get(desk.session.id, "lead", record.id, "Company") is not None
    qtbot.waitUntil(lambda: not browser.loading, timeout=5000)
    index = browser.model.index(1, browser.model.column_of("Company"))
    assert index.data() == "Contoso Ltd"  # the refresh did not lose it
    assert index.data(MarkRole) == "failed"
    assert "did not save" in index.data(Qt.ItemDataRole.ToolTipRole)
    # …and the strip under the list says it without a hover.
    strip = grid(browser).strip.text.text()
    assert "the last save did not save 1 lead: Failed: " in strip
    assert "500" in strip

    dialog.retry_failed()
    qtbot.waitUntil(lambda: bool(dialog.report.saved), timeout=10_000)
    assert desk.context.desk.edits.count() == 0
    dialog.close()


def test_ten_records_save_in_part_and_the_failures_export(editing, qtbot, tmp_path) -> None:
    desk, browser = editing
    ids = [browser.model.record_at(row).id for row in range(10)]
    for row in range(10):
        type_into(browser, row, "Company", f"Buyer {row}")
    desk.emulator.faults.inject("HTTP_500", path=ids[3], method="PUT")
    desk.emulator.faults.inject("DROP_CONNECTION", path=ids[7], method="PUT")

    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)

    outcomes = {r.record_id: r.outcome for r in dialog.report.results}
    assert [rid for rid, o in outcomes.items() if o is Outcome.SAVED] == [
        rid for rid in ids if rid not in (ids[3], ids[7])
    ]
    assert outcomes[ids[3]] is Outcome.FAILED
    assert outcomes[ids[7]] in (Outcome.FAILED, Outcome.UNKNOWN, Outcome.SAVED)
    pending = desk.context.desk.edits
    assert pending.get(desk.session.id, "lead", ids[3], "Company").new == "Buyer 3"
    target = tmp_path / "failures.csv"
    task = dialog.export_failures(target)
    qtbot.waitUntil(task.done, timeout=5000)
    text = target.read_text()
    assert ids[3] in text
    assert "Buyer 3" in text
    assert ids[0] not in text
    dialog.close()


def test_a_value_the_field_refuses_is_kept_marked_and_never_sent(editing, qtbot) -> None:
    desk, browser = editing
    model = browser.model
    numeric = next(
        (f for f in model.fields if f.type.name in ("NUMBER", "CURRENCY") and not f.read_only),
        None,
    )
    choice = next(f for f in model.fields if f.options and not f.read_only)
    type_into(browser, 0, choice.name, "maybe not")
    index = model.index(0, model.column_of(choice.name))
    assert index.data() == "⚠ maybe not"
    assert index.data(MarkRole) == "refused"
    assert "was not taken" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert desk.context.desk.edits.count() == 0
    assert desk.window.editing.pending.unsaved() == 1
    if numeric is not None:
        type_into(browser, 0, numeric.name, "twelve")
        assert model.index(0, model.column_of(numeric.name)).data() == "⚠ twelve"

    grid(browser).browser.table.setCurrentIndex(index)
    assert grid(browser).revert_selected_cells() == 1
    assert index.data() == model.record_at(0).values.get(choice.name)


def test_closing_the_tab_with_unsaved_changes_asks_first(editing, qtbot) -> None:
    desk, browser = editing
    type_into(browser, 0, "FirstName", "Georgina")
    tabs = desk.window.tabs

    tabs.close_current()
    click_in_box(qtbot, "unsavedQuestion", "cancel")
    qtbot.wait(50)
    assert tabs.current() is browser

    tabs.close_current()
    click_in_box(qtbot, "unsavedQuestion", "discard")
    qtbot.waitUntil(lambda: tabs.current() is None, timeout=5000)
    assert desk.context.desk.edits.count() == 0


def test_edits_outlive_paging_and_closing_the_window_asks(editing, qtbot) -> None:
    desk, browser = editing
    record = browser.model.record_at(0)
    type_into(browser, 0, "FirstName", "Georgina")
    browser.next_page()
    desk.wait_settled(browser)
    browser.first_page()
    desk.wait_settled(browser)
    assert browser.model.record_at(0).id == record.id
    assert browser.model.index(0, browser.model.column_of("FirstName")).data() == "Georgina"

    desk.window.close()
    click_in_box(qtbot, "unsavedQuestion", "cancel")
    qtbot.wait(50)
    assert desk.window.isVisible()


def test_the_editable_page_model_passes_the_model_tester(editing, qtmodeltester) -> None:
    _desk, browser = editing
    type_into(browser, 0, "LastName", "Changed")
    assert isinstance(browser.model, PageModel)
    qtmodeltester.check(browser.model)


def test_the_unsaved_count_waits_for_a_status_message_to_go(editing) -> None:
    desk, browser = editing
    bar = desk.window.statusBar()
    bar.showMessage("Sandbox: the next request will answer with a server error (500).")
    type_into(browser, 0, "FirstName", "Georgina")
    count = desk.window.status.pending_changes
    assert not count.isVisible()  # not drawn across the sentence
    bar.clearMessage()
    assert count.isVisible()
    assert "1 unsaved change" in count.text()


def test_the_current_cell_stays_on_its_record_after_a_save(editing, qtbot) -> None:
    desk, browser = editing
    column = browser.model.column_of("Company")
    record = browser.model.record_at(2)
    browser.table.setCurrentIndex(browser.model.index(2, column))
    type_into(browser, 2, "Company", "Fabrikam")
    dialog = review_of(qtbot, desk.window)
    save_and_wait(qtbot, dialog)
    dialog.close()
    qtbot.waitUntil(
        lambda: not browser.loading and browser.model.index(2, column).data() == "Fabrikam",
        timeout=5000,
    )  # the list shows the server's values again
    current = browser.table.currentIndex()
    assert (browser.model.record_at(current.row()).id, current.column()) == (record.id, column)
    assert grid(browser).bar.open_button.isEnabled()
