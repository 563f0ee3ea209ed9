"""PairsModel: name/value pairs as a two-column table: headers, URL-encoded forms and replies,
query parameters. Read-only; the values are already redacted."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
_SHOWN_CHARS = 500


class PairsModel(QAbstractTableModel):
    """`set_pairs` replaces the whole table (a newly selected exchange)."""

    def __init__(
        self, titles: tuple[str, str] = ("Name", "Value"), parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._titles = titles
        self._pairs: list[tuple[str, str]] = []

    def set_pairs(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.beginResetModel()
        self._pairs = [(str(name), str(value)) for name, value in pairs]
        self.endResetModel()

    @property
    def pairs(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: one row a pair."""
        return 0 if parent.isValid() else len(self._pairs)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: name and value."""
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Overrides QAbstractItemModel.data: DisplayRole (a long value cut, with an
        ellipsis) and ToolTipRole (such a value whole)."""
        if not index.isValid() or not 0 <= index.row() < len(self._pairs):
            return None
        text = self._pairs[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > 60:
            return text[:4000]
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractItemModel.headerData: the two titles (DisplayRole)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 2
        ):
            return self._titles[section]
        return None
