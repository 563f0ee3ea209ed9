"""The XLSX writer: text stays text (never a formula), numbers of number fields are numbers."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from crmdesk.api import FieldSpec, FieldType, Record
from crmdesk.exporting import Column, ExportFormat, open_writer


def test_xlsx_keeps_text_as_text_and_numbers_of_number_fields_as_numbers(tmp_path: Path) -> None:
    columns = (
        Column("Note", "Note", FieldSpec("Note")),
        Column("Amount", "Amount", FieldSpec("Amount", type=FieldType.CURRENCY)),
    )
    target = tmp_path / "x.xlsx"
    writer = open_writer(ExportFormat.XLSX, target, columns, "Deals: Q1/Q2")
    writer.write([Record("1", {"Note": '=HYPERLINK("http://x")\x07', "Amount": "12.50"})])
    writer.finish()
    book = openpyxl.load_workbook(target)
    sheet = book.active
    assert sheet.title == "Deals  Q1 Q2"
    note, amount = sheet["A2"], sheet["B2"]
    assert (note.value, note.data_type) == ('=HYPERLINK("http://x")', "s")
    assert amount.value == 12.5
