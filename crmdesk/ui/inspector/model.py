"""ExchangeListModel: the inspector's list, newest first, holding summaries only.

Rows arrive live (at the top), a page of history at a time (usually at the bottom) and from
imports; each id is shown once. Kept in ascending order internally so an insert is a bisect,
and shown reversed. Cells are put in words for the rows on screen and kept for the last few
thousand shown, so a list of 100,000 holds summaries only and scrolls as fast as one of 100
(STACK-NOTES B7).
"""

from __future__ import annotations

import bisect
from collections import OrderedDict
from collections.abc import Iterable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from crmdesk.ui.inspector.rows import COLUMNS, NUMERIC, Column, Origin, Row

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
_FAILED = QBrush(QColor("#b71c1c"))
_IMPORTED = QBrush(QColor("#5a4a8a"))
_KEPT_CELLS = 4096  # many screens' worth
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ExchangeListModel(QAbstractTableModel):
    """Rows of `Row`, newest first; `add`, `add_many` and `clear` keep each id once."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []  # oldest first
        self._keys: list[tuple[float, str]] = []
        self._key_of: dict[str, tuple[float, str]] = {}
        self._cells: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._italic = QFont()
        self._italic.setItalic(True)

    # -- what the inspector asks ------------------------------------------------------------

    def row_at(self, row: int) -> Row:
        return self._rows[len(self._rows) - 1 - row]

    def row_of(self, exchange_id: str) -> int | None:
        """The display row of an exchange, or None when it is not in the list."""
        key = self._key_of.get(exchange_id)
        if key is None:
            return None
        return len(self._rows) - 1 - bisect.bisect_left(self._keys, key)

    def get(self, exchange_id: str) -> Row | None:
        row = self.row_of(exchange_id)
        return self.row_at(row) if row is not None else None

    def __contains__(self, exchange_id: object) -> bool:
        return exchange_id in self._key_of

    def add(self, row: Row) -> bool:
        """Insert `row` where its time puts it; False when its id is already listed."""
        if row.id in self._key_of:
            return False
        at = bisect.bisect_left(self._keys, row.key)
        shown = len(self._rows) - at
        self.beginInsertRows(QModelIndex(), shown, shown)
        self._rows.insert(at, row)
        self._keys.insert(at, row.key)
        self._key_of[row.id] = row.key
        self.endInsertRows()
        return True

    def add_many(self, rows: Iterable[Row]) -> int:
        """Insert a batch (a page of history); returns how many were new.

        A page older than everything listed, the usual "load more", goes in as one block at
        the bottom; anything else row by row, each where it belongs.
        """
        fresh: dict[str, Row] = {}
        for row in rows:
            if row.id not in self._key_of and row.id not in fresh:
                fresh[row.id] = row
        ordered = sorted(fresh.values(), key=lambda r: r.key)
        if not ordered:
            return 0
        if not self._rows or ordered[-1].key < self._keys[0]:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(ordered) - 1)
            self._rows[:0] = ordered
            self._keys[:0] = [row.key for row in ordered]
            self._key_of.update((row.id, row.key) for row in ordered)
            self.endInsertRows()
        else:
            for row in ordered:
                self.add(row)
        return len(ordered)

    def replace(self, row: Row) -> None:
        """Put a changed `row` (same id and key: a replay's note) in place of the old one."""
        shown = self.row_of(row.id)
        if shown is None:
            return
        self._rows[len(self._rows) - 1 - shown] = row
        self._cells.pop(row.id, None)
        self.dataChanged.emit(self.index(shown, 0), self.index(shown, len(COLUMNS) - 1))

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._keys.clear()
        self._key_of.clear()
        self._cells.clear()
        self.endResetModel()

    def rows(self) -> list[Row]:
        """Every row, newest first."""
        return self._rows[::-1]

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: the rows of the list (none under a row)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: the columns of `COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Overrides QAbstractItemModel.data: DisplayRole (the row's cells), ToolTipRole (the
        whole URL, error or note), ForegroundRole (failures red, imports purple), FontRole
        (imports in italics), TextAlignmentRole (numbers right) and ID_ROLE (the id)."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[len(self._rows) - 1 - index.row()]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells_of(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column, self._cells_of(row))
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.origin is Origin.IMPORTED:
                return _IMPORTED
            if row.failed and column in (Column.STATUS, Column.METHOD, Column.URL):
                return _FAILED
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._italic if row.origin is Origin.IMPORTED else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in NUMERIC else None
        if role == ID_ROLE:
            return row.id
        return None

    def _cells_of(self, row: Row) -> tuple[str, ...]:
        cells = self._cells.get(row.id)
        if cells is None:
            cells = self._cells[row.id] = row.cells
            if len(self._cells) > _KEPT_CELLS:
                self._cells.popitem(last=False)
        return cells

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractItemModel.headerData: the column titles (DisplayRole) for the
        horizontal header; nothing for the vertical one, which the view hides."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].value
        return None


def _tooltip(row: Row, column: Column, cells: tuple[str, ...]) -> str | None:
    summary = row.summary
    if column is Column.URL:
        return summary.url
    if column is Column.STATUS:
        return summary.error or summary.outcome
    if column is Column.NOTE:
        return cells[COLUMNS.index(Column.NOTE)] or None
    if column is Column.CONNECTION:
        return row.source if row.origin is Origin.IMPORTED else summary.connection
    return None
