"""PairsEditor: name/value pairs the user edits (a replay's query parameters and headers),
with a row added or the chosen rows removed by a button."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class PairsEditor(QWidget):
    """`pairs()` is what the table holds now, blank rows left out; `changed` after each edit."""

    changed = Signal()

    def __init__(
        self,
        titles: tuple[str, str],
        pairs: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(list(titles))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 200)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for name, value in pairs:
            self.add(name, value)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton("Add", self)
        self.add_button.clicked.connect(lambda: self._add_and_edit())
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)

    def add(self, name: str = "", value: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(name))
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.changed.emit()
        return row

    def set_value(self, name: str, value: str) -> None:
        """Set the first pair called `name` (case-insensitively), or add it."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text().lower() == name.lower():
                self.table.setItem(row, 1, QTableWidgetItem(value))
                return
        self.add(name, value)

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.changed.emit()

    def pairs(self) -> list[tuple[str, str]]:
        found = []
        for row in range(self.table.rowCount()):
            name, value = (self.table.item(row, column) for column in (0, 1))
            name_text = name.text().strip() if name is not None else ""
            value_text = value.text() if value is not None else ""
            if name_text or value_text:
                found.append((name_text, value_text))
        return found

    def _add_and_edit(self) -> None:
        row = self.add()
        self.table.setCurrentCell(row, 0)
        item = self.table.item(row, 0)
        if item is not None:
            self.table.editItem(item)
