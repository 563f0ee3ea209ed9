"""Failures said in words: the banner above the table, Details… with the raw exchange, Retry."""

from __future__ import annotations

from crmdesk.sandbox import Fault


def next_page_with_fault(desk, fault: Fault, count: int = 1):
    browser = desk.open_first_entity()
    first_id = browser.model.index(0, 0).data()
    desk.emulator.faults.inject(fault, count=count, path="/lead", method="GET")
    browser.paging.next_button.click()
    desk.wait_settled(browser)
    return browser, first_id


def test_a_server_error_shows_a_banner_keeps_the_page_and_retry_recovers(desk):
    browser, first_id = next_page_with_fault(desk, Fault.HTTP_500)

    assert browser.banner.isVisible()
    text = browser.banner.message.text()
    assert "Loading page 2 of Leads failed." in text
    assert "Server error (HTTP 500): An unexpected error has occurred." in text
    assert browser.model.index(0, 0).data() == first_id  # page 1 stays on screen
    assert browser.paging.status.text().startswith("Page 1 of 3 ·")
    assert browser.table.isEnabled()

    browser.banner.retry_button.click()
    desk.wait_settled(browser)
    assert not browser.banner.isVisible()
    assert browser.shown_page.page == 2
    assert browser.paging.status.text().startswith("Page 2 of 3 ·")


def test_details_open_the_call_behind_the_error_in_the_inspector(desk):
    browser, _first_id = next_page_with_fault(desk, Fault.HTTP_500)
    inspector = desk.window.inspector
    inspector.hide()

    browser.banner.details.linkActivated.emit("#details")
    assert inspector.isVisible()
    details = inspector.details
    assert details.exchange is browser.banner.error.exchange
    assert inspector.current_row().id == details.exchange.id
    request = details.request.raw.toPlainText()
    response = details.response.raw.toPlainText()
    assert request.startswith("GET http://127.0.0.1:")
    assert "/api/v1/lead?page=2&per_page=50" in request
    assert "authorization: [redacted]" in request.lower()
    assert response.startswith("HTTP 500 Internal Server Error")
    assert '"Message": "An unexpected error has occurred."' in details.response.pretty.toPlainText()
    assert "500 Internal Server Error" in details.heading.text()
    assert "secrets redacted" in details.facts.text()


def test_malformed_json_is_an_unexpected_reply_in_words(desk):
    browser, _first_id = next_page_with_fault(desk, Fault.MALFORMED_JSON)

    text = browser.banner.message.text()
    assert "Unexpected reply" in text
    assert "malformed JSON" in text
    browser.banner.retry_button.click()
    desk.wait_settled(browser)
    assert browser.shown_page.page == 2


def test_a_login_that_cannot_be_renewed_says_authentication_failed(desk):
    # The backend logs in again once after a 401; a second 401 is final.
    browser, _first_id = next_page_with_fault(desk, Fault.TOKEN_EXPIRED, count=2)

    text = browser.banner.message.text()
    assert "Authentication failed (HTTP 401)" in text
    statuses = [r.status for r in desk.emulator.requests[-3:]]
    assert statuses == [401, 200, 401]  # list, re-login, list again
    browser.banner.retry_button.click()
    desk.wait_settled(browser)
    assert not browser.banner.isVisible()


def test_a_connection_that_cannot_sign_in_says_why_in_the_tree(desk):
    profile = desk.session.profile
    desk.secrets.keep_for_session(
        profile.id, {**desk.sandbox.endpoints[0].credentials, "password": "wrong"}
    )

    desk.window.connect_and_open(desk.session)
    desk.qtbot.waitUntil(lambda: desk.session.state.value == "failed", timeout=10_000)

    item = desk.window.connections.item_for(desk.session)
    notes = [item.child(i).text(0) for i in range(item.childCount())]
    assert notes[0].startswith("Could not connect: Authentication failed (HTTP 401")
    assert notes[1] == "Double-click the connection to try again."
    assert "Authentication failed" in item.toolTip(0)
    assert desk.window.tabs.current() is None
    assert "Could not connect to CMDataManager sandbox" in desk.window.status.connection.text()
