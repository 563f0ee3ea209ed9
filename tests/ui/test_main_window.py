"""The main window as a whole: first start, tabs per entity, layout kept, clean shutdown."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt

from crmdesk.ui.actions import MainAction
from crmdesk.ui.connections_pane import ConnectionsPane
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tabs import NO_TABS_TEXT


def activate(window: MainWindow, item) -> None:
    """What a double-click or Enter on a tree row does."""
    window.connections.tree.itemActivated.emit(item, 0)


def test_without_connections_the_window_says_how_to_start(make_window):
    window = make_window()
    window.show()

    pane: ConnectionsPane = window.connections
    assert pane.currentWidget() is pane.empty
    assert "No connections yet." in pane.empty.text()
    assert "--demo" in pane.empty.text()
    assert window.tabs.currentWidget() is window.tabs.placeholder
    assert window.tabs.placeholder.text() == NO_TABS_TEXT
    assert window.status.connection.text() == "No connection open"
    assert not window.status.rate_limit.isVisible()
    assert not window.status.pending_changes.isVisible()  # pending edits come later
    assert not window.main_actions[MainAction.REFRESH].isEnabled()
    # 1440×900, or as much of it as the screen has room for (the offscreen one is 800×800).
    room = window.screen().availableGeometry()
    assert window.size().width() == min(1440, room.width() - 16)
    assert window.size().height() == min(900, room.height() - 40)


def test_entities_open_in_tabs_and_activating_again_focuses_the_tab(desk):
    leads = desk.open_first_entity()
    window = desk.window

    accounts_item = window.connections.item_for(desk.session, "account")
    activate(window, accounts_item)
    accounts = window.tabs.current()
    desk.wait_loaded(accounts)
    assert accounts is not leads
    assert accounts.model.headerData(1, Qt.Orientation.Horizontal) == "Account name"
    assert window.tabs.tabs.count() == 2
    assert window.windowTitle() == "Accounts · CMDataManager sandbox — crmdesk"

    activate(window, window.connections.item_for(desk.session, "lead"))
    assert window.tabs.current() is leads
    assert window.tabs.tabs.count() == 2
    assert window.connections.tree.currentItem().text(0) == "Leads"

    window.main_actions[MainAction.CLOSE_TAB].trigger()
    assert window.tabs.tabs.count() == 1
    assert window.tabs.current() is accounts
    window.main_actions[MainAction.CLOSE_TAB].trigger()
    assert window.tabs.currentWidget() is window.tabs.placeholder


def test_column_widths_and_page_size_are_kept_per_connection_and_entity(desk, make_window):
    browser = desk.open_first_entity()
    header = browser.table.horizontalHeader()
    header.resizeSection(2, 333)
    combo = browser.paging.size_box
    combo.activated.emit(combo.findData(25))
    desk.wait_settled(browser)
    desk.window.close()  # saves the layout

    settings = UiSettings()
    assert settings.path.parent.parent.name.startswith("crmdesk-home")  # under CRMDESK_HOME
    saved = settings.columns(desk.session.id, "lead")
    assert saved is not None
    assert saved[2]["width"] == 333

    again = MainWindow(desk.context)
    desk.qtbot.addWidget(again)
    reopened = again.open_entity(desk.session, desk.session.entity("lead"))
    desk.wait_loaded(reopened)
    assert reopened.table.horizontalHeader().sectionSize(2) == 333
    assert reopened.model.rowCount() == 25


def test_closing_the_window_shuts_down_cleanly(desk, qloop):
    browser = desk.open_first_entity()
    closed = []
    desk.window.closed.connect(lambda: closed.append(1))
    browser.paging.next_button.click()  # a load still in flight when the user quits

    desk.window.main_actions[MainAction.QUIT].trigger()
    assert closed == [1]
    desk.shut_down()

    assert desk.context.tasks.pending == 0
    assert [t for t in asyncio.all_tasks(qloop) if not t.done()] == []
    assert desk.session.backend.closed
