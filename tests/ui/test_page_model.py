"""PageModel checked by qtmodeltester, and the words the paging bar uses (no server needed)."""

from __future__ import annotations

import pytest

from PySide6.QtCore import Qt

from crmdesk.api import FieldSpec, FieldType, Page, Record, SortKey
from crmdesk.ui.browser.listing import ListRequest, describe_page, empty_text, page_sizes
from crmdesk.ui.browser.page_model import LINK_ROLE, RAW_ROLE, PageModel

FIELDS = (
    FieldSpec("LastName", "Last name"),
    FieldSpec("Revenue", "Annual revenue", FieldType.CURRENCY),
    FieldSpec("Active", "Active", FieldType.BOOLEAN, sortable=False),
)


def page(number: int = 1, count: int = 3, **kwargs) -> Page:
    records = tuple(
        Record(f"ID{number}{i}", {"LastName": f"Name {i}", "Revenue": "1234.5", "Active": "1"})
        for i in range(count)
    )
    defaults = {"total_records": 7, "total_pages": 3}
    return Page(records, number, 3, **{**defaults, **kwargs})


def test_the_model_passes_qtmodeltester(qtmodeltester):
    model = PageModel()
    qtmodeltester.check(model)
    model.set_fields(FIELDS)
    model.set_page(page())
    qtmodeltester.check(model)
    model.set_page(page(2, count=1))
    qtmodeltester.check(model)


def test_cells_are_formatted_once_and_numbers_align_right():
    model = PageModel()
    model.set_fields(FIELDS)
    model.set_page(page())

    assert model.rowCount() == 3
    assert model.columnCount() == 4
    assert model.index(0, 0).data() == "ID10"
    assert model.index(0, 2).data() == "1,234.50"
    assert model.index(0, 3).data() == "Yes"
    right = model.index(0, 2).data(Qt.ItemDataRole.TextAlignmentRole)
    assert right & Qt.AlignmentFlag.AlignRight
    left = model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole)
    assert left & Qt.AlignmentFlag.AlignLeft
    assert model.index(0, 1).data(Qt.ItemDataRole.DecorationRole) is None


def test_a_field_that_holds_the_id_leads_instead_of_an_id_column_of_its_own(qtmodeltester):
    fields = (FieldSpec("LastName", "Last name"), FieldSpec("lead_id", "Lead id", FieldType.NUMBER))
    model = PageModel(id_field="lead_id")
    model.set_fields(fields)
    model.set_page(Page((Record("17", {"lead_id": "17", "LastName": "Ward"}),), 1, 3, 1, 1))
    qtmodeltester.check(model)

    assert model.columnCount() == 2
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Lead id"
    assert model.field_at(0).name == "lead_id"
    assert model.column_of("LastName") == 1
    assert [model.index(0, c).data() for c in range(2)] == ["17", "Ward"]


def test_headers_use_labels_and_explain_the_field():
    model = PageModel()
    model.set_fields(FIELDS)
    horizontal = Qt.Orientation.Horizontal

    assert model.headerData(1, horizontal) == "Last name"
    assert model.headerData(2, horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "Field: Revenue\nType: currency"
    )
    assert "cannot be sorted" in model.headerData(3, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.field_at(0) is None
    assert model.field_at(1).name == "LastName"


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (page(), "Page 1 of 3 · 7 records · in the server's order"),
        (
            page(2, sort=SortKey("LastName", descending=True)),
            "Page 2 of 3 · 7 records · sorted by Last name ▼ on the server",
        ),
        (
            page(sort=SortKey("Revenue"), sorted_by_server=False),
            "Page 1 of 3 · 7 records · sorted by Annual revenue ▲ locally, within this page",
        ),
        (
            page(sort=SortKey("Revenue"), sorted_by_server=False, paged_by_server=False),
            "Page 1 of 3 · 7 records · sorted by Annual revenue ▲ locally",
        ),
        (page(total_records=None, total_pages=None), "Page 1 · in the server's order"),
        (page(total_records=1, total_pages=1), "Page 1 of 1 · 1 record · in the server's order"),
    ],
)
def test_the_paging_bar_says_where_we_are_and_who_sorted(shown, expected):
    assert describe_page(shown, FIELDS) == expected


def test_empty_pages_are_said_in_words():
    assert empty_text(page(count=0, total_records=0, total_pages=0), "Leads") == (
        "There are no leads yet."
    )
    assert empty_text(page(4, count=0), "Leads") == "No leads on this page."


def test_header_clicks_cycle_ascending_descending_unsorted_from_page_one():
    request = ListRequest(page=3)
    first = request.sorted_by("LastName")
    assert (first.page, first.sort) == (1, SortKey("LastName"))
    second = first.sorted_by("LastName")
    assert second.sort == SortKey("LastName", descending=True)
    assert second.sorted_by("LastName").sort is None
    assert second.sorted_by("Company").sort == SortKey("Company")


def test_page_sizes_respect_the_entity_limit_and_keep_the_place():
    assert page_sizes(1000) == (10, 25, 50, 100, 250, 500)
    assert page_sizes(100) == (10, 25, 50, 100)
    assert page_sizes(5) == (5,)
    assert ListRequest(page=2, page_size=50).sized(25).page == 3  # record 51 is on page 3
    assert ListRequest(page=3, page_size=25).sized(100).page == 1


@pytest.fixture
def us_english():
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    QLocale.setDefault(before)


def test_cells_people_can_read(us_english, qtmodeltester):
    fields = (
        FieldSpec("ok_to_text", "OK to text", FieldType.CHOICE, options=("Y", "N")),
        FieldSpec("due", "Due", FieldType.DATE),
        FieldSpec("seen", "Seen", FieldType.DATETIME),
        FieldSpec("AccountID", "Account", relates_to="account"),
        FieldSpec("RelatedTo", "Related to", relates_to="@RelatedType"),
    )
    values = {
        "ok_to_text": "N",
        "due": "2024-03-02",
        "seen": "2024-03-02T10:42:03",
        "AccountID": "ACC1",
        "RelatedTo": "L9",
        "RelatedType": "lead",
    }
    model = PageModel()
    model.set_fields(fields)
    model.set_page(Page((Record("T1", values),), 1, 3, 1, 1))
    qtmodeltester.check(model)
    cell = [model.index(0, column) for column in range(model.columnCount())]

    assert cell[1].data() == "No"  # a Y/N choice is a yes/no like every flag
    assert cell[2].data() == "3/2/2024"  # the locale's order, with a four-digit year
    assert cell[3].data().replace("\u202f", " ") == "3/2/2024 10:42 AM"  # CLDR: a narrow space
    assert (
        cell[3]
        .data(Qt.ItemDataRole.ToolTipRole)
        .endswith("As the server sent it: 2024-03-02T10:42:03")
    )
    assert cell[4].data(LINK_ROLE) == ("account", "ACC1")
    assert cell[5].data(LINK_ROLE) == ("lead", "L9")
    assert cell[1].data(LINK_ROLE) is None
    assert cell[4].data(RAW_ROLE) == "ACC1"


def test_the_sorted_column_title_carries_the_same_arrow_as_the_paging_bar():
    model = PageModel()
    model.set_fields(FIELDS)
    model.set_sort(SortKey("LastName", descending=True))
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Last name ▼"
    assert model.column_label(1) == "Last name"
    model.set_sort(None)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Last name"


def test_a_list_crmdesk_pages_itself_says_so():
    whole = page(paged_by_server=False, sorted_by_server=True)
    assert describe_page(whole, FIELDS) == "Page 1 of 3 · 7 records · paged by crmdesk"


def test_without_a_chosen_locale_dates_are_iso():
    from PySide6.QtCore import QLocale

    before = QLocale()
    QLocale.setDefault(QLocale.c())
    try:
        model = PageModel()
        model.set_fields((FieldSpec("due", "Due", FieldType.DATETIME),))
        model.set_page(Page((Record("1", {"due": "2024-03-02 10:42:03"}),), 1, 3, 1, 1))
        assert model.index(0, 1).data() == "2024-03-02 10:42"
    finally:
        QLocale.setDefault(before)
