"""Files a view is written to, a page of records at a time: CSV, XLSX and JSON.

Each writer writes rows as they come and holds none of them: CSV through the csv module, XLSX
through openpyxl's write-only workbook (which streams its sheet to a temporary file), JSON as
an array written one object at a time. Values are raw, as the API gave them; XLSX numbers of
number fields are numbers, and no text ever becomes a formula.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Protocol, TextIO

from crmdesk.api import Record
from crmdesk.exporting.values import Column, cell_text, json_value, sheet_value

# XML 1.0 has no place for these; openpyxl refuses them (IllegalCharacterError).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_BAD = re.compile(r"[\[\]:*?/\\]")


class ExportFormat(Enum):
    """The formats a view exports to: (file suffix, words for the format chooser)."""

    CSV = ("csv", "CSV: comma-separated, UTF-8 (opens in Excel and every spreadsheet)")
    XLSX = ("xlsx", "Excel workbook (.xlsx)")
    JSON = ("json", "JSON: an array of records, values as the API gave them")

    @property
    def suffix(self) -> str:
        return self.value[0]

    @property
    def words(self) -> str:
        return self.value[1]


class RowWriter(Protocol):
    """Writes a header, then records a page at a time; `finish` completes the file, `close`
    gives it up (after a cancel or a failure: the caller deletes what was written)."""

    def write(self, records: Sequence[Record]) -> None: ...
    def finish(self) -> None: ...
    def close(self) -> None: ...


def open_writer(
    fmt: ExportFormat, path: Path, columns: Sequence[Column], title: str, *, names: bool = False
) -> RowWriter:
    """A writer of `fmt` at `path`; the header has the columns' labels, or field names."""
    header = [column.name if names else column.label for column in columns]
    if fmt is ExportFormat.CSV:
        return _CsvWriter(path, columns, header)
    if fmt is ExportFormat.JSON:
        return _JsonWriter(path, columns)
    return _XlsxWriter(path, columns, header, title)


class _CsvWriter:
    def __init__(self, path: Path, columns: Sequence[Column], header: list[str]) -> None:
        # With a byte-order mark, Excel reads UTF-8 (accents, names in any script) correctly.
        self._file: TextIO = path.open("w", encoding="utf-8-sig", newline="")
        self._columns = tuple(columns)
        self._csv = csv.writer(self._file)
        self._csv.writerow(header)

    def write(self, records: Sequence[Record]) -> None:
        # The hot loop of an export: names looked up once, text values taken as they are.
        names = [c.name if c.spec is not None else None for c in self._columns]
        rows = []
        for record in records:
            values = record.values
            row = []
            for name in names:
                value = record.id if name is None else values.get(name)
                row.append(value if type(value) is str else cell_text(value))
            rows.append(row)
        self._csv.writerows(rows)

    def finish(self) -> None:
        self._file.close()

    def close(self) -> None:
        self._file.close()


class _JsonWriter:
    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        self._file: TextIO = path.open("w", encoding="utf-8")
        self._columns = tuple(columns)
        self._first = True
        self._file.write("[")

    def write(self, records: Sequence[Record]) -> None:
        columns = self._columns
        parts = []
        for record in records:
            item = {c.name: json_value(c.raw(record)) for c in columns}
            parts.append(
                ("\n  " if self._first else ",\n  ") + json.dumps(item, ensure_ascii=False)
            )
            self._first = False
        self._file.write("".join(parts))

    def finish(self) -> None:
        self._file.write("\n]\n" if not self._first else "]\n")
        self._file.close()

    def close(self) -> None:
        self._file.close()


class _XlsxWriter:
    def __init__(
        self, path: Path, columns: Sequence[Column], header: list[str], title: str
    ) -> None:
        # Loaded only when someone exports to Excel: start-up never pays for openpyxl.
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self._path = path
        self._columns = tuple(columns)
        self._cell = WriteOnlyCell
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(_sheet_title(title))
        self._sheet.freeze_panes = "A2"
        for number, label in enumerate(header, start=1):
            width = min(48, max(10, len(label) + 4))
            self._sheet.column_dimensions[get_column_letter(number)].width = width
        bold = Font(bold=True)
        cells = []
        for label in header:
            cell = WriteOnlyCell(self._sheet, value=_xml_text(label))
            cell.font = bold
            cells.append(cell)
        self._sheet.append(cells)

    def write(self, records: Sequence[Record]) -> None:
        columns = self._columns
        append = self._sheet.append
        for record in records:
            append([self._value(sheet_value(c.raw(record), c.spec)) for c in columns])

    def _value(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = _xml_text(value)
        if value.startswith("="):
            # openpyxl takes "=…" for a formula; a CRM value is text, never something to run.
            cell = self._cell(self._sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def finish(self) -> None:
        self._book.save(str(self._path))

    def close(self) -> None:
        # Finish the sheet's own temporary file and remove it; the workbook was never saved.
        self._sheet.close()
        writer = self._sheet._writer
        if writer is not None:
            writer.cleanup()


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _sheet_title(title: str) -> str:
    # Excel allows 31 characters and none of []:*?/\ in a sheet's name.
    return (_SHEET_TITLE_BAD.sub(" ", title).strip() or "Records")[:31]
