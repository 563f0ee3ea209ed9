"""The entity browser against the sandbox: pages, page sizes and server-side sorting."""

from __future__ import annotations

from PySide6.QtCore import Qt

from crmdesk.ui.actions import MainAction

RECORDS = 120  # as in conftest


def ids_shown(browser) -> list[str]:
    model = browser.model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def column_shown(browser, field: str) -> list[str]:
    model = browser.model
    column = model.column_of(field)
    return [model.index(row, column).data() for row in range(model.rowCount())]


def title(browser, column: int) -> str:
    return browser.model.headerData(column, Qt.Orientation.Horizontal)


def requests_for(desk, path_end: str):
    return [r for r in desk.emulator.requests if r.method == "GET" and r.path.endswith(path_end)]


def test_opening_the_connection_shows_its_leads_first_page(desk):
    browser = desk.open_first_entity()

    assert browser.entity.label == "Leads"
    assert desk.window.tabs.tabs.tabText(0) == "Leads"
    assert browser.model.rowCount() == 50
    assert browser.model.headerData(0, Qt.Orientation.Horizontal) == "ExternalID"
    assert browser.model.headerData(2, Qt.Orientation.Horizontal) == "Last name"
    assert browser.paging.status.text() == "Page 1 of 3 · 120 records · in the server's order"
    assert not browser.paging.previous_button.isEnabled()
    assert browser.paging.next_button.isEnabled()
    tree = desk.window.connections.item_for(desk.session)
    assert [tree.child(i).text(0) for i in range(tree.childCount())][:2] == ["Accounts", "Leads"]


def test_next_last_first_and_jump_ask_the_server_for_that_page(desk):
    browser = desk.open_first_entity()
    first_ids = ids_shown(browser)
    browser.table.horizontalHeader().resizeSection(2, 222)

    browser.paging.next_button.click()
    desk.wait_settled(browser)
    assert browser.paging.status.text().startswith("Page 2 of 3 ·")
    assert browser.table.horizontalHeader().sectionSize(2) == 222  # a new page keeps widths
    assert ids_shown(browser)[0] != first_ids[0]
    assert requests_for(desk, "/lead")[-1].query["page"] == "2"

    browser.paging.last_button.click()
    desk.wait_settled(browser)
    assert browser.paging.status.text().startswith("Page 3 of 3 ·")
    assert browser.model.rowCount() == RECORDS - 100
    assert not browser.paging.next_button.isEnabled()
    assert not desk.window.main_actions[MainAction.NEXT_PAGE].isEnabled()

    browser.paging.first_button.click()
    desk.wait_settled(browser)
    assert ids_shown(browser) == first_ids

    browser.paging.page_box.setValue(2)  # what typing 2 + Enter does
    desk.wait_settled(browser)
    assert browser.paging.status.text().startswith("Page 2 of 3 ·")
    assert requests_for(desk, "/lead")[-1].query["page"] == "2"


def test_page_size_change_asks_for_that_many_and_keeps_the_place(desk):
    browser = desk.open_first_entity()
    browser.paging.next_button.click()
    desk.wait_settled(browser)  # page 2 of 50: records 51-100

    combo = browser.paging.size_box
    combo.activated.emit(combo.findData(25))  # what choosing "25" in the list does
    desk.wait_settled(browser)

    assert browser.model.rowCount() == 25
    assert browser.paging.status.text().startswith("Page 3 of 5 · 120 records")
    last = requests_for(desk, "/lead")[-1]
    assert (last.query["page"], last.query["per_page"]) == ("3", "25")
    assert desk.context.settings.page_size(desk.session.id, "lead") == 25


def test_main_actions_page_through_the_current_tab(desk):
    browser = desk.open_first_entity()
    actions = desk.window.main_actions

    actions[MainAction.NEXT_PAGE].trigger()
    desk.wait_settled(browser)
    assert browser.shown_page.page == 2
    actions[MainAction.PREVIOUS_PAGE].trigger()
    desk.wait_settled(browser)
    assert browser.shown_page.page == 1
    assert actions[MainAction.NEXT_PAGE].shortcut().toString() == "Alt+Right"
    assert actions[MainAction.REFRESH].shortcut().toString() == "F5"


def test_rapid_next_clicks_end_on_the_page_last_asked_for(desk):
    browser = desk.open_first_entity()
    combo = browser.paging.size_box
    combo.activated.emit(combo.findData(10))
    desk.wait_settled(browser)
    shown: list[int] = []
    browser.pageShown.connect(lambda page: shown.append(page.page))

    for _ in range(5):
        browser.paging.next_button.click()
    desk.wait_settled(browser)

    assert browser.shown_page.page == 6
    assert browser.paging.status.text().startswith("Page 6 of 12 ·")
    assert shown == [6]  # no superseded page was ever put on screen
    assert ids_shown(browser)[0] == _ids_in_creation_order(desk)[50]


def test_clicking_a_header_sorts_on_the_server(desk):
    browser = desk.open_first_entity()
    header = browser.table.horizontalHeader()
    column = browser.model.column_of("LastName")
    all_last_names = [p["LastName"] for p in desk.emulator.store.records("lead").values()]

    header.sectionClicked.emit(column)  # what a click on "Last name" does
    desk.wait_settled(browser)
    asked = requests_for(desk, "/lead")[-1].query
    assert (asked["sort_by"], asked["sort_order"]) == ("LastName", "asc")
    assert column_shown(browser, "LastName")[0] == min(all_last_names, key=str.casefold)
    # The header and the paging bar show the same arrow for the same order.
    assert title(browser, column) == "Last name ▲"
    assert browser.paging.status.text().endswith("sorted by Last name ▲ on the server")

    header.sectionClicked.emit(column)
    desk.wait_settled(browser)
    asked = requests_for(desk, "/lead")[-1].query
    assert (asked["sort_by"], asked["sort_order"]) == ("LastName", "desc")
    assert column_shown(browser, "LastName")[0] == max(all_last_names, key=str.casefold)
    assert title(browser, column) == "Last name ▼"
    assert browser.paging.status.text().endswith("sorted by Last name ▼ on the server")

    header.sectionClicked.emit(column)  # a third click goes back to the server's own order
    desk.wait_settled(browser)
    assert "sort_by" not in requests_for(desk, "/lead")[-1].query
    assert title(browser, column) == "Last name"
    assert browser.paging.status.text().endswith("in the server's order")


def test_sorting_keeps_the_indicator_on_the_page_shown_until_the_new_one_arrives(desk):
    browser = desk.open_first_entity()
    header = browser.table.horizontalHeader()
    column = browser.model.column_of("Company")

    header.sectionClicked.emit(column)
    assert browser.loading
    assert title(browser, column) == "Company"  # the page on screen is still unsorted
    desk.wait_settled(browser)
    assert title(browser, column) == "Company ▲"


def test_the_rate_limit_meter_shows_the_servers_numbers(desk):
    desk.open_first_entity()
    meter = desk.window.status.rate_limit

    assert meter.isVisible()
    text = meter.text()
    assert text.startswith("API calls left: 4,99")
    assert "of 5,000 · resets in" in text
    assert desk.window.status.connection.text().endswith("Connected to CMDataManager sandbox")


def _ids_in_creation_order(desk) -> list[str]:
    return list(desk.emulator.store.records("lead"))


def test_an_empty_list_says_so_in_words(desk):
    browser = desk.open_first_entity()
    store = desk.emulator.store
    for record_id in list(store.records("lead")):
        store.delete("lead", record_id)

    desk.window.main_actions[MainAction.REFRESH].trigger()
    desk.wait_settled(browser)

    assert browser.model.rowCount() == 0
    assert browser.empty.isVisible()
    assert browser.empty.text() == "There are no leads yet."
    assert not browser.paging.next_button.isEnabled()
