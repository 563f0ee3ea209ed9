"""ChangeLogWindow: every change saved from crmdesk (connection, entity, record, field,
before → after, when, outcome), filterable, exportable as CSV, with Undo last save."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.editing import Change, ChangeLog
from crmdesk.ui.tasks import Op, TaskRunner

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing

Index = QModelIndex | QPersistentModelIndex
_COLUMNS = ("When", "Connection", "Entity", "Record", "Change", "Before", "After", "Outcome")
_LIMIT = 500


def _when(at: float) -> str:
    return dt.datetime.fromtimestamp(at).strftime("%Y-%m-%d %H:%M:%S")


def _value(value: Any) -> str:
    return "" if value is None else str(value)


class ChangesModel(QAbstractTableModel):
    """The changes the log gave, newest first.

    Overrides `rowCount`, `columnCount`, `data` (DisplayRole, ToolTipRole: the outcome's
    words) and `headerData` (DisplayRole, columns only).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.changes: list[Change] = []

    def set_changes(self, changes: list[Change]) -> None:
        self.beginResetModel()
        self.changes = list(changes)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: one row per change (none under a row)."""
        return 0 if parent.isValid() else len(self.changes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: the columns of `_COLUMNS`."""
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractItemModel.data for DisplayRole and ToolTipRole."""
        if not index.isValid():
            return None
        change = self.changes[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole:
            undo = "" if change.undoable else "\nCannot be undone."
            return f"{change.outcome}: {change.message}{undo}".strip()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        cells = (
            _when(change.at),
            change.connection,
            change.entity,
            change.record_id,
            change.field if change.kind == "update" else f"{change.kind} {change.field}".strip(),
            _value(change.before),
            _value(change.after),
            change.outcome,
        )
        return cells[index.column()]

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Overrides QAbstractItemModel.headerData for DisplayRole of the columns."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_COLUMNS)
        ):
            return _COLUMNS[section]
        return None


class ChangeLogWindow(QWidget):
    """A window of its own; filters by connection, entity and record narrow the list."""

    def __init__(
        self,
        changelog: ChangeLog | None,
        tasks: TaskRunner,
        editing: RecordEditing,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("changeLog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Change log — every change saved from crmdesk")
        self._changelog, self._tasks, self._editing = changelog, tasks, editing
        self._lane = tasks.lane()
        self.connection_filter = _filter("Connection", self)
        self.entity_filter = _filter("Entity", self)
        self.record_filter = _filter("Record id", self)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.reload)
        for box in (self.connection_filter, self.entity_filter, self.record_filter):
            box.textChanged.connect(lambda _text: self._debounce.start())
        self.model = ChangesModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("changes")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        refresh = QPushButton("Refresh", self)
        refresh.clicked.connect(self.reload)
        self.export_button = QPushButton("Export (CSV)…", self)
        self.export_button.setObjectName("export")
        self.export_button.clicked.connect(self._ask_export)
        self.undo_button = QPushButton("Undo last save…", self)
        self.undo_button.setObjectName("undo")
        self.undo_button.setToolTip("Put back what the last save on the current connection changed")
        self.undo_button.clicked.connect(editing.undo_current)
        filters = QHBoxLayout()
        for box in (self.connection_filter, self.entity_filter, self.record_filter):
            filters.addWidget(box)
        filters.addWidget(refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.export_button)
        column = QVBoxLayout(self)
        column.addLayout(filters)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        self.resize(1000, 520)
        unsubscribe = editing.desk.changes.subscribe(lambda _change: self._debounce.start())
        self.destroyed.connect(lambda *_args: unsubscribe())
        self.reload()

    def filters(self) -> dict[str, Any]:
        """The filters typed, as the change log takes them; the connection by name or id."""
        wanted = {
            "entity": self.entity_filter.text().strip(),
            "record_id": self.record_filter.text().strip(),
        }
        connection = self.connection_filter.text().strip()
        if connection:
            sessions = getattr(self._editing.window, "sessions", {})
            match = [s.id for s in sessions.values() if connection.lower() in s.name.lower()]
            wanted["connection_id"] = match[0] if match else connection
        return {k: v for k, v in wanted.items() if v}

    async def _read(self, filters: dict[str, Any]) -> list[Change]:
        if self._changelog is None:
            return []
        return await self._changelog.changes(
            connection_id=filters.get("connection_id"),
            entity=filters.get("entity"),
            record_id=filters.get("record_id"),
            limit=_LIMIT,
        )

    def reload(self) -> asyncio.Task[None]:
        filters = self.filters()
        return (
            Op(lambda: self._read(filters), name="read change log")
            .success(self._show)
            .run_in(self._lane)
        )

    def _show(self, changes: list[Change]) -> None:
        self.model.set_changes(changes)
        if self._changelog is None:
            self.status.setText("The change log could not be opened; nothing is recorded.")
            return
        more = (
            " (the newest; narrow the filters to see older ones)" if len(changes) >= _LIMIT else ""
        )
        self.status.setText(
            f"{len(changes):,} changes{more}" if changes else "No changes saved yet."
        )

    def _ask_export(self) -> None:
        dialog = QFileDialog(self, "Export change log", "changes.csv", "CSV files (*.csv)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.open()

    def export_to(self, path: Path) -> asyncio.Task[None]:
        filters = self.filters()
        changelog = self._changelog

        async def export() -> int:
            if changelog is None:
                return 0
            return await changelog.export_csv(path, **filters)

        return (
            Op(export, name="export change log")
            .success(lambda count: self.status.setText(f"{count:,} changes written to {path}."))
            .run(self._tasks)
        )


def _filter(placeholder: str, parent: QWidget) -> QLineEdit:
    box = QLineEdit(parent)
    box.setPlaceholderText(placeholder)
    box.setAccessibleName(f"Filter by {placeholder.lower()}")
    box.setClearButtonEnabled(True)
    return box
