"""How raw values become text, cells and JSON, and how a selection becomes text to paste."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import MappingProxyType

import pytest

from crmdesk.api import FieldSpec, FieldType
from crmdesk.exporting import (
    cell_text,
    delimited,
    is_yes_no,
    json_text,
    json_value,
    markdown,
    parse_when,
    sheet_value,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("Open", "Open"),
        (True, "true"),
        (12, "12"),
        (["vip", "2024"], "vip, 2024"),
        ([{"tagId": "a"}], '[{"tagId": "a"}]'),
        (MappingProxyType({"city": "Łódź"}), '{"city": "Łódź"}'),
    ],
)
def test_cell_text_is_the_raw_value_in_one_cell(value, text) -> None:
    assert cell_text(value) == text


def test_sheet_cells_are_numbers_only_where_the_field_and_the_text_say_so() -> None:
    money = FieldSpec("Amount", type=FieldType.CURRENCY)
    assert sheet_value("1250.50", money) == 1250.5
    assert sheet_value("42", money) == 42
    assert sheet_value("007", money) == "007"  # an id-like text is not seven
    assert sheet_value("1,250", money) == "1,250"  # not what the API holds if shown as 1250
    assert sheet_value("42", FieldSpec("Zip")) == "42"
    assert sheet_value(None, money) is None


def test_dates_and_date_times_are_read_from_their_iso_text() -> None:
    assert parse_when("2024-03-02", FieldType.DATE) == dt.date(2024, 3, 2)
    aware = parse_when("2024-03-02T10:42:03+01:00", FieldType.DATETIME)
    assert isinstance(aware, dt.datetime)
    assert aware.utcoffset() == dt.timedelta(hours=1)
    naive = parse_when("2024-03-02 10:42:03", FieldType.DATETIME)
    assert isinstance(naive, dt.datetime)
    assert naive.tzinfo is None
    assert parse_when("soon", FieldType.DATE) is None
    assert parse_when("2024-03-02", FieldType.TEXT) is None


def test_yes_no_fields_are_flags_and_choices_of_a_yes_and_a_no() -> None:
    assert is_yes_no(FieldSpec("DoNotCall", type=FieldType.BOOLEAN))
    assert is_yes_no(FieldSpec("ok_to_text", type=FieldType.CHOICE, options=("Y", "N")))
    assert is_yes_no(FieldSpec("hidden", type=FieldType.CHOICE, options=("true", "false")))
    assert not is_yes_no(FieldSpec("Status", type=FieldType.CHOICE, options=("Open", "Lost")))


def test_json_values_are_plain_data() -> None:
    assert json_value(MappingProxyType({"a": (1, 2)})) == {"a": [1, 2]}


def test_tsv_pastes_into_a_spreadsheet_cell_for_cell() -> None:
    rows = [["Ada", "Line one\nline two", 'Say "hi"'], ["Bob", "tab\there", ""]]
    text = delimited(rows)
    assert not text.endswith("\n")
    assert list(csv.reader(io.StringIO(text), delimiter="\t")) == rows
    assert delimited([["only"]]) == "only"


def test_markdown_escapes_what_would_break_the_table() -> None:
    table = markdown(["Name", "Note"], [["A|B", "one\ntwo"]])
    assert table.splitlines() == [
        "| Name | Note |",
        "| --- | --- |",
        "| A\\|B | one<br>two |",
    ]


def test_json_copy_is_an_array_of_objects() -> None:
    assert json_text([{"Name": "Ada"}]) == '[\n  {\n    "Name": "Ada"\n  }\n]'
