"""The filter bar on every kind: the API filters where it can (the request that reaches the
sandbox carries the filter) and crmdesk filters the fetched records where it cannot, and the
bar says which. Find by id opens one record, and Esc goes back to the list."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs

import pytest
from kinds_window import ANY_FIELD, KindsWindow, kinds_window

from PySide6.QtCore import Qt

KINDS = ("getresponse", "mothernode", "aicore", "cmdatamanager", "ndchost")


@pytest.fixture
def kinds(qtbot, qloop) -> Iterator[KindsWindow]:
    with kinds_window(qtbot, KINDS) as window:
        yield window


def column(browser, field: str) -> list[str]:
    number = browser.model.column_of(field)
    return [browser.model.index(row, number).data() for row in range(browser.model.rowCount())]


def test_getresponse_filters_on_the_server_with_its_named_fields_and_date_ranges(kinds):
    browser = kinds.open("getresponse", "contacts")
    wanted = column(browser, "email")[3]
    kinds.filter(browser, "email", wanted)
    kinds.filter(browser, "createdOn.from", "2000-01-01")

    asked = kinds.requests("getresponse")[-1].query
    assert asked["query[email]"] == wanted
    assert asked["query[createdOn][from]"] == "2000-01-01"
    assert column(browser, "email") == [wanted]
    assert browser.filters.who.text() == "filtered on the server"


def test_a_date_range_edge_that_is_not_a_date_is_refused_in_words(kinds):
    browser = kinds.open("getresponse", "contacts")
    before = len(kinds.requests("getresponse"))
    kinds.filter(browser, "createdOn.to", "yesterday")
    assert "takes a date such as 2024-03-31" in browser.filters.problem.text()
    assert browser.filters.problem.isVisible()
    assert len(kinds.requests("getresponse")) == before  # nothing was sent


def test_mothernode_filters_any_field_on_the_server(kinds):
    browser = kinds.open("mothernode", "contacts")
    wanted = column(browser, "last_name")[0]
    kinds.filter(browser, "last_name", wanted)

    asked = kinds.requests("mothernode")[-1]
    assert asked.path == "/contacts"
    assert asked.query["last_name"] == wanted
    assert set(column(browser, "last_name")) == {wanted}


def test_aicore_filters_leads_through_search_params_and_events_by_name(kinds):
    leads = kinds.open("aicore", "leads")
    wanted = column(leads, "last_name")[0]
    kinds.filter(leads, "last_name", wanted)
    form = parse_qs(kinds.requests("aicore")[-1].body.decode())
    assert form["ai_command"] == ["leads_get"]
    assert parse_qs(form["search_params"][0]) == {"last_name": [wanted]}
    assert set(column(leads, "last_name")) == {wanted}

    events = kinds.open("aicore", "events")
    lead = column(events, "lead_id")[0]
    kinds.filter(events, "lead_id", lead)
    form = parse_qs(kinds.requests("aicore")[-1].body.decode())
    assert (form["ai_command"], form["lead_id"]) == (["events_get"], [lead])
    assert set(column(events, "lead_id")) == {lead}


def test_cmdatamanager_is_filtered_locally_over_every_page_and_says_so(kinds):
    browser = kinds.open("cmdatamanager", "lead")
    combo = browser.paging.size_box
    combo.activated.emit(combo.findData(10))
    kinds.settle(browser)
    wanted = column(browser, "Company")[0]
    asked_before = len(kinds.requests("cmdatamanager"))

    kinds.filter(browser, ANY_FIELD, wanted.upper())

    assert browser.filters.who.text().startswith("filtered locally")
    assert all(wanted.casefold() in c.casefold() for c in column(browser, "Company"))
    assert " records match, filtered locally" in browser.paging.status.text()
    fetched = kinds.requests("cmdatamanager")[asked_before:]
    assert [r.query["per_page"] for r in fetched] == ["1000"]  # all 60 leads in one page
    assert "filter" not in str(fetched[0].query)


def test_ndchost_licenses_are_filtered_locally(kinds):
    browser = kinds.open("ndchost", "licenses")
    field = browser.model.field_at(1).name
    wanted = column(browser, field)[0]
    kinds.filter(browser, field, wanted)
    assert browser.filters.who.text().startswith("filtered locally")
    assert all(wanted.casefold() in value.casefold() for value in column(browser, field))


def test_removing_a_condition_shows_the_whole_list_again(kinds):
    browser = kinds.open("mothernode", "contacts")
    total = browser.shown_page.total_records
    kinds.filter(browser, "last_name", column(browser, "last_name")[0])
    assert browser.shown_page.total_records < total
    browser.filters.clear_button.click()
    kinds.settle(browser)
    assert browser.shown_page.total_records == total
    assert not browser.filters._second_row.isVisible()


def test_find_by_id_or_url_opens_the_record_and_esc_goes_back(kinds, qtbot):
    browser = kinds.open("cmdatamanager", "lead")
    wanted = browser.model.record_at(7).id
    url = f"https://tenant.example/api/v1/lead/{wanted}"
    browser.filters.find_box.setText(url)
    browser.filters.find_box.returnPressed.emit()
    kinds.settle(browser)

    assert [r.id for r in browser.model.records] == [wanted]
    assert kinds.requests("cmdatamanager")[-1].path.endswith(f"/lead/{wanted}")
    assert browser.paging.status.text() == f"Leads: record {wanted}, opened by its id"

    browser.table.setFocus()
    qtbot.keyClick(browser.table, Qt.Key.Key_Escape)
    kinds.settle(browser)
    assert browser.model.rowCount() > 1


def test_an_id_of_another_entity_opens_in_that_entitys_tab(kinds):
    leads = kinds.open("cmdatamanager", "lead")
    account = next(iter(kinds.sandbox.emulator("cmdatamanager").store.records("account")))
    leads.finding.open_by_id(f"https://tenant.example/api/v1/account/{account}")
    accounts = kinds.window.tabs.current()
    assert accounts.entity.name == "account"
    kinds.settle(accounts)
    assert [r.id for r in accounts.model.records] == [account]
