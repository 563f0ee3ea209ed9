"""Keyboard habits: Ctrl+Tab and Ctrl+PgDown switch tabs (the page keys are Alt+arrows), Tab
leaves the grid, Ctrl+F and Ctrl+L reach the filter bar, F1 lists every shortcut, and the
tabs open at the last close come back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from crmdesk.ui.actions import MainAction
from crmdesk.ui.help import shortcut_rows
from crmdesk.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier


def open_two_tabs(desk):
    leads = desk.open_first_entity()
    accounts = desk.window.open_entity(desk.session, desk.session.entity("account"))
    desk.wait_loaded(accounts)
    return leads, accounts


def press(desk, key, modifiers=Qt.KeyboardModifier.NoModifier):
    widget = QApplication.focusWidget() or desk.window
    desk.qtbot.keyClick(widget, key, modifiers)


def test_ctrl_tab_and_ctrl_page_keys_switch_tabs_and_alt_arrows_page(desk):
    leads, accounts = open_two_tabs(desk)
    desk.window.activateWindow()
    accounts.table.setFocus()
    tabs = desk.window.tabs

    press(desk, Qt.Key.Key_Tab, CTRL)
    assert tabs.current() is leads
    press(desk, Qt.Key.Key_PageDown, CTRL)
    assert tabs.current() is accounts
    press(desk, Qt.Key.Key_PageUp, CTRL)
    assert tabs.current() is leads
    press(desk, Qt.Key.Key_Backtab, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert tabs.current() is accounts

    actions = desk.window.main_actions
    assert [s.toString() for s in actions[MainAction.NEXT_PAGE].shortcuts()] == ["Alt+Right"]
    assert [s.toString() for s in actions[MainAction.PREVIOUS_PAGE].shortcuts()] == ["Alt+Left"]


def test_tab_leaves_the_grid_and_ctrl_f_and_ctrl_l_reach_the_filter_bar(desk):
    browser = desk.open_first_entity()
    desk.window.activateWindow()
    browser.table.setFocus()
    browser.table.setCurrentIndex(browser.model.index(0, 0))

    press(desk, Qt.Key.Key_Tab)
    assert not browser.table.hasFocus()
    assert browser.table.currentIndex().column() == 0  # Tab did not walk the cells

    press(desk, Qt.Key.Key_F, CTRL)
    assert browser.filters.value.hasFocus()
    press(desk, Qt.Key.Key_L, CTRL)
    assert browser.filters.find_box.hasFocus()


def test_f1_lists_every_shortcut_from_the_registry(desk):
    dialog = desk.window.show_shortcuts()
    rows = shortcut_rows()
    listed = {
        dialog.table.item(row, 1).text(): dialog.table.item(row, 0).text()
        for row in range(dialog.table.rowCount())
    }
    assert listed["Next tab"] == "Ctrl+Tab or Ctrl+PgDown"
    assert listed["Filter"] == "Ctrl+F"
    assert "Copy the selected cells (tab-separated, for a spreadsheet)" in listed
    assert len(listed) == len(rows)
    dialog.reject()
    about = desk.window.show_about()
    assert about.text().startswith("<b>crmdesk ")
    about.reject()


def test_the_tabs_open_at_close_come_back_in_the_next_window(desk):
    leads, _accounts = open_two_tabs(desk)
    desk.window.tabs.tabs.setCurrentWidget(leads)
    desk.window.close()

    again = MainWindow(desk.context)
    desk.qtbot.addWidget(again)
    assert again.restore_tabs() == 2
    desk.qtbot.waitUntil(lambda: again.tabs.tabs.count() == 2, timeout=10_000)
    assert [b.entity.name for b in again.tabs.browsers()] == ["lead", "account"]
    assert again.tabs.current().entity.name == "lead"
    again.close()
