"""The inspector lists every call as it happens (sign-ins and retries marked), filters them,
reaches back into the stored history a page at a time, and follows a record."""

from __future__ import annotations

import json
from dataclasses import replace

from inspector_helpers import WAIT_MS

from PySide6.QtCore import Qt

from crmdesk.api import Exchange
from crmdesk.history import StatusClass
from crmdesk.sandbox import Fault
from crmdesk.ui.browser.menus import popup_cell_menu
from crmdesk.ui.inspector.feed import PAGE_SIZE
from crmdesk.ui.inspector.filters import IMPORTED
from crmdesk.ui.inspector.model import ExchangeListModel
from crmdesk.ui.inspector.rows import COLUMNS, Column, Origin


def cell(row, column: Column) -> str:
    return row.cells[COLUMNS.index(column)]


def test_a_browser_call_appears_with_the_sign_in_before_it(inspecting) -> None:
    inspecting.open_first_entity()
    rows = inspecting.rows()
    paths = [cell(row, Column.URL) for row in rows]
    sign_in = paths.index("/api/v1/authenticate")
    page = paths.index("/api/v1/lead?page=1&per_page=50")
    assert page < sign_in  # newest first: the page came after the sign-in it needed
    assert "sign-in" in rows[sign_in].note
    assert rows[sign_in].summary.auth
    assert cell(rows[page], Column.STATUS) == "200 OK"
    assert cell(rows[page], Column.CONNECTION) == inspecting.session().name
    assert all(cell(row, Column.RECEIVED).endswith(("bytes", "KiB")) for row in rows)
    index = inspecting.dock.model.index(page, COLUMNS.index(Column.URL))
    assert (
        index.data(Qt.ItemDataRole.ToolTipRole) == rows[page].summary.url
    )  # the tooltip has the whole URL


def test_a_renewed_sign_in_and_the_retried_read_are_marked_and_chained(inspecting) -> None:
    browser = inspecting.open_first_entity()
    inspecting.emulator.faults.inject(Fault.TOKEN_EXPIRED, count=1, path="/lead", method="GET")
    browser.paging.next_button.click()
    inspecting.qtbot.waitUntil(lambda: browser.shown_page.page == 2, timeout=WAIT_MS)
    inspecting.settle()
    tries = inspecting.rows(lambda r: "lead?page=2" in r.summary.url)
    assert [(r.summary.status, r.summary.attempt) for r in tries] == [(200, 2), (401, 1)]
    assert "attempt 2" in tries[0].note
    renewal = inspecting.rows(lambda r: r.summary.auth)[0]
    assert renewal.note == "sign-in · token renewal"
    assert renewal.key > tries[1].key  # the renewal came between the two tries

    inspecting.dock.select(tries[0].id)
    inspecting.wait_shown(tries[0].id)
    details = inspecting.dock.details
    inspecting.qtbot.waitUntil(lambda: len(details.chain) == 2, timeout=WAIT_MS)
    assert [s.status for s in details.chain] == [401, 200]
    assert not details.attempts.isHidden()
    assert details.sections.tabText(2) == "Timing && attempts (2)"
    assert details.attempts.item(1, 0).text() == "2  (this one)"
    details.attemptActivated.emit(tries[1].id)
    inspecting.wait_shown(tries[1].id)
    assert inspecting.dock.current_row().id == tries[1].id


def test_filters_by_status_method_words_connection_and_sign_in(inspecting) -> None:
    browser = inspecting.open_first_entity()
    inspecting.emulator.faults.inject(Fault.HTTP_500, count=1, path="/lead", method="GET")
    browser.paging.next_button.click()
    inspecting.qtbot.waitUntil(browser.banner.isVisible, timeout=WAIT_MS)
    inspecting.settle()
    filters = inspecting.dock.filters

    def listed() -> list[str]:
        inspecting.settle()
        return [cell(row, Column.URL) for row in inspecting.rows()]

    filters.status.setCurrentIndex(filters.status.findData(StatusClass.SERVER_ERROR))
    assert listed() == ["/api/v1/lead?page=2&per_page=50"]
    filters.status.setCurrentIndex(0)
    filters.method.setCurrentIndex(filters.method.findData("POST"))
    assert listed() == ["/api/v1/authenticate"]
    filters.method.setCurrentIndex(0)
    filters.sign_ins.setChecked(True)
    assert listed() == ["/api/v1/authenticate"]
    filters.sign_ins.setChecked(False)
    filters.text.setText("fields")
    filters.text.returnPressed.emit()
    assert listed() == ["/api/v1/lead/fields?page=1&per_page=200"]
    filters.text.clear()
    filters.connection.choose(IMPORTED)
    assert listed() == []
    filters.connection.choose(inspecting.session().id)
    assert len(listed()) >= 5
    # A call made while a filter is on is listed only when it matches.
    filters.status.setCurrentIndex(filters.status.findData(StatusClass.SERVER_ERROR))
    browser.refresh()
    inspecting.qtbot.waitUntil(lambda: not browser.loading, timeout=WAIT_MS)
    assert listed() == ["/api/v1/lead?page=2&per_page=50"]
    filters.reset()
    assert len(listed()) == len(inspecting.desk.exchanges)


def yesterdays(count: int) -> list[Exchange]:
    """Calls of an earlier session, a day ago, one second apart; the 7th holds "zebracorn"."""
    exchanges = []
    for number in range(count):
        body = json.dumps({"ExternalID": f"OLD{number}", "Note": "zebracorn" * (number == 7)})
        exchanges.append(
            Exchange(
                id=f"{number:012x}{'cd' * 6}",
                connection_id="an-old-connection",
                connection="Acme (last week)",
                method="GET",
                url=f"https://crm.example/api/v1/lead/OLD{number}",
                request_headers=(("authorization", "[REDACTED]"),),
                request_body=b"",
                request_size=0,
                started_at=1_750_000_000.0 + number,
                elapsed_ms=9.0,
                status=200,
                reason="OK",
                response_headers=(("content-type", "application/json"),),
                response_body=body.encode(),
                response_size=len(body),
            )
        )
    return exchanges


def test_the_stored_history_follows_the_live_calls_a_page_at_a_time(inspecting) -> None:
    inspecting.open_first_entity()
    live = len(inspecting.desk.exchanges)
    inspecting.store(yesterdays(PAGE_SIZE + 150))
    inspecting.run(inspecting.desk.history.recorder.flush())  # today's are stored too
    dock = inspecting.dock
    dock.filters.reset()
    inspecting.settle()
    rows = inspecting.rows()
    assert len(rows) == PAGE_SIZE  # the newest page of the history, today's calls in it
    assert all(row.origin is Origin.LIVE for row in rows[:live])
    assert rows[-1].origin is Origin.STORED
    assert cell(rows[-1], Column.TIME).startswith("2025-06-1")  # another day: with its date
    assert dock.more_button.isEnabled()
    dock.more_button.click()
    inspecting.settle()
    assert {row.id for row in yesterdays(PAGE_SIZE + 150)} <= {row.id for row in inspecting.rows()}
    assert not dock.feed.has_more
    assert not dock.more_button.isEnabled()
    # A word search reaches the history too.
    dock.filters.text.setText("zebracorn")
    dock.filters.text.returnPressed.emit()
    inspecting.settle()
    assert [row.summary.url for row in inspecting.rows()] == [
        "https://crm.example/api/v1/lead/OLD7"
    ]
    assert "1 stored calls match" in dock.footer.text()
    dock.select(inspecting.rows()[0].id)
    inspecting.wait_shown(inspecting.rows()[0].id)  # read from the store
    assert "zebracorn" in dock.details.response.pretty.toPlainText()


def test_following_a_record_lists_the_calls_that_carried_it(inspecting) -> None:
    browser = inspecting.open_first_entity()
    record_id = browser.model.record_at(3).id
    inspecting.dock.hide()
    at = browser.table.visualRect(browser.model.index(3, 1)).center()
    menu = popup_cell_menu(browser, at)
    (action,) = [a for a in menu.actions() if a.objectName() == "showRecordCalls"]
    assert action.text() == f"Show calls for {record_id}"
    action.trigger()
    menu.close()
    assert inspecting.dock.isVisible()
    inspecting.settle()
    rows = inspecting.rows()
    assert [cell(row, Column.URL) for row in rows] == ["/api/v1/lead?page=1&per_page=50"]
    filters = inspecting.dock.filters
    assert filters.record.isVisible()
    assert record_id in filters.record.text()
    assert not filters.connection.isEnabled()
    filters.record.click()
    inspecting.settle()
    assert len(inspecting.rows()) == len(inspecting.desk.exchanges)


def test_the_list_model_passes_the_model_tester(inspecting, qtmodeltester) -> None:
    inspecting.open_first_entity()
    model = inspecting.dock.model
    qtmodeltester.check(model)
    fresh = ExchangeListModel()
    qtmodeltester.check(fresh)
    rows = inspecting.rows()
    assert fresh.add_many(rows[::2]) == len(rows[::2])
    assert fresh.add_many(rows) == len(rows) - len(rows[::2])  # each id once, in time order
    assert [row.id for row in fresh.rows()] == [row.id for row in rows]
    assert not fresh.add(rows[0])
    replay = replace(rows[0], key=(rows[0].key[0] + 1, "z"), summary=rows[0].summary)
    assert not fresh.add(replay)  # the same id, whatever its key
    qtmodeltester.check(fresh)
    fresh.clear()
    assert fresh.rowCount() == 0
