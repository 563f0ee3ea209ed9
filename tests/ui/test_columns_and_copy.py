"""Column chooser: shown, hidden, reordered and resized columns are kept per connection and
entity for the next window, reset puts the defaults back, and a deleted connection's are
forgotten. Copy: the selection as TSV, with titles, as JSON; the menus' extension point."""

from __future__ import annotations

import json

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu

from crmdesk.exporting import CopyFormat
from crmdesk.ui.browser.menus import CellMenuContext, popup_cell_menu, popup_header_menu
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.settings import UiSettings


def shown_titles(browser) -> list[str]:
    return [state.label for state in browser.columns.states() if state.visible]


def test_the_chosen_columns_come_back_in_a_new_window(desk):
    browser = desk.open_first_entity()
    dialog = browser.choose_columns()
    wanted = [("Email", True), ("LastName", True), ("@id", True), ("FirstName", False)]
    rest = [(s.key, False) for s in browser.columns.states() if s.key not in dict(wanted)]
    for row, (key, visible) in enumerate(wanted + rest):
        for n in range(dialog.list.count()):
            item = dialog.list.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == key:
                dialog.list.takeItem(n)
                dialog.list.insertItem(row, item)
                item.setCheckState(Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
                break
    dialog.accept()
    assert shown_titles(browser) == ["Email", "Last name", "ExternalID"]
    header = browser.table.horizontalHeader()
    header.resizeSection(browser.model.column_of("Email"), 280)
    desk.window.close()

    again = MainWindow(desk.context)
    desk.qtbot.addWidget(again)
    reopened = again.open_entity(desk.session, desk.session.entity("lead"))
    desk.wait_loaded(reopened)
    assert shown_titles(reopened) == ["Email", "Last name", "ExternalID"]
    email = reopened.model.column_of("Email")
    assert reopened.table.horizontalHeader().sectionSize(email) == 280

    reopened.columns.reset()
    assert shown_titles(reopened)[:3] == ["ExternalID", "First name", "Last name"]
    assert UiSettings().columns(desk.session.id, "lead") is None


def test_the_header_menu_hides_and_shows_columns_and_explains_what_cannot_sort(desk):
    browser = desk.open_first_entity()
    header = browser.table.horizontalHeader()
    company = browser.model.column_of("Company")
    at = header.rect().topLeft()
    at.setX(header.sectionViewportPosition(company) + 5)
    menu = popup_header_menu(browser, at)
    texts = [a.text() for a in menu.actions()]
    assert "Sort &ascending ▲" in texts
    hide = next(a for a in menu.actions() if a.text() == "&Hide “Company”")
    hide.trigger()
    menu.close()
    assert "Company" not in shown_titles(browser)
    saved = UiSettings().columns(desk.session.id, "lead")
    assert next(c for c in saved if c["key"] == "Company")["hidden"] is True

    at.setX(header.sectionViewportPosition(0) + 5)  # the id: the API does not sort by it
    menu = popup_header_menu(browser, at)
    assert menu.actions()[0].text().startswith("Leads cannot be sorted by ExternalID")
    menu.close()
    browser.columns.show_all()
    assert "Company" in shown_titles(browser)


def test_a_deleted_connections_columns_and_tabs_are_forgotten():
    settings = UiSettings()
    settings.save_columns("gone", "lead", [{"key": "Email", "width": 90, "hidden": False}])
    settings.save_columns("kept", "lead", [{"key": "Email", "width": 90, "hidden": False}])
    settings.save_open_tabs([("gone", "lead"), ("kept", "lead")])
    settings.forget_connection("gone")
    assert settings.columns("gone", "lead") is None
    assert settings.columns("kept", "lead") is not None
    assert settings.open_tabs() == [("kept", "lead")]


def select(browser, top: int, left: int, bottom: int, right: int) -> None:
    model = browser.model
    block = QItemSelection(model.index(top, left), model.index(bottom, right))
    browser.table.selectionModel().select(block, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_copy_puts_the_selection_on_the_clipboard_as_tsv(desk, qtbot):
    browser = desk.open_first_entity()
    first, last = browser.model.column_of("FirstName"), browser.model.column_of("LastName")
    select(browser, 0, first, 3, last)
    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)

    lines = QGuiApplication.clipboard().text().split("\n")
    model = browser.model
    assert lines == [
        f"{model.index(r, first).data()}\t{model.index(r, last).data()}" for r in range(4)
    ]

    browser.copy_selection(CopyFormat.TSV, True)
    assert QGuiApplication.clipboard().text().split("\n")[0] == "First name\tLast name"
    browser.copy_selection(CopyFormat.JSON)
    copied = json.loads(QGuiApplication.clipboard().text())
    assert list(copied[0]) == ["FirstName", "LastName"]
    assert len(copied) == 4


def test_contributors_add_their_actions_to_the_cell_menu(desk):
    browser = desk.open_first_entity()
    seen: list[CellMenuContext] = []

    def editing(menu: QMenu, cell: CellMenuContext) -> None:
        seen.append(cell)
        menu.addAction("Edit…")

    desk.window.tabs.menus.add_cell_contributor(editing, order=10)
    select(browser, 1, 1, 2, 2)
    cell = browser.table.visualRect(browser.model.index(2, 2)).center()
    menu = popup_cell_menu(browser, cell)
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    menu.close()
    assert texts[0] == "Edit…"  # order 10 comes before the browser's own (100 and up)
    assert "&Copy" in texts
    assert seen[0].record is browser.model.record_at(2)
    assert seen[0].selected_rows == (1, 2)
