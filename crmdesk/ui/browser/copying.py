"""Copy the grid's selection to the clipboard: TSV (pastes into a spreadsheet cell for cell),
CSV, Markdown or JSON.

The block copied is every selected row by every selected column, in the order the columns are
shown (hidden ones left out). TSV, CSV and Markdown carry the text the grid shows; JSON the
raw values, keyed by field name (the id's own column as "id").
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView

from crmdesk.exporting import CopyFormat, delimited, json_text, json_value, markdown
from crmdesk.ui.browser.page_model import ID_KEY, RAW_ROLE, PageModel


@dataclass(frozen=True, slots=True)
class Copied:
    text: str
    rows: int
    columns: int

    @property
    def words(self) -> str:
        cells = self.rows * self.columns
        if cells == 1:
            return "Copied 1 cell."
        return f"Copied {self.rows:,} row{'s' if self.rows != 1 else ''} × {self.columns} columns."


def selected_block(table: QTableView) -> tuple[list[int], list[int]]:
    """The rows and the columns (in shown order, hidden ones left out) of the selection, or
    of the current cell when nothing is selected."""
    selection = table.selectionModel()
    indexes = selection.selectedIndexes() if selection is not None else []
    if not indexes and table.currentIndex().isValid():
        indexes = [table.currentIndex()]
    header = table.horizontalHeader()
    rows = sorted({index.row() for index in indexes})
    columns = sorted(
        {index.column() for index in indexes if not header.isSectionHidden(index.column())},
        key=header.visualIndex,
    )
    return rows, columns


def selection_text(
    table: QTableView, model: PageModel, fmt: CopyFormat, *, with_header: bool = False
) -> Copied:
    rows, columns = selected_block(table)
    if fmt is CopyFormat.JSON:
        keys = ["id" if model.column_key(c) == ID_KEY else model.column_key(c) for c in columns]
        objects = [
            {
                key: json_value(model.index(row, c).data(RAW_ROLE))
                for key, c in zip(keys, columns, strict=True)
            }
            for row in rows
        ]
        return Copied(json_text(objects), len(rows), len(columns))
    shown = [
        [str(model.index(row, c).data(Qt.ItemDataRole.DisplayRole) or "") for c in columns]
        for row in rows
    ]
    header = [model.column_label(c) for c in columns]
    if fmt is CopyFormat.MARKDOWN:
        return Copied(markdown(header, shown), len(rows), len(columns))
    table_rows = [header, *shown] if with_header else shown
    delimiter = "\t" if fmt is CopyFormat.TSV else ","
    return Copied(delimited(table_rows, delimiter), len(rows), len(columns))


def copy_selection(
    table: QTableView, model: PageModel, fmt: CopyFormat, *, with_header: bool = False
) -> Copied | None:
    """Put the selection on the clipboard; None when there is nothing to copy."""
    copied = selection_text(table, model, fmt, with_header=with_header)
    if not copied.rows or not copied.columns:
        return None
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(copied.text)
    return copied
