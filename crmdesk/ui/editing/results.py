"""SaveResults: the outcome of a save (or an undo, or a delete) record by record, as the
person reads it: Saved, Failed with the server's words, Not sent, or Unknown (a write whose
answer was lost, with what reading the server found), each with the exchange behind it, and
the failures exportable as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from crmdesk.editing import FieldEdit, Outcome, RecordResult, SaveReport

Index = QModelIndex | QPersistentModelIndex
_COLUMNS = ("Record", "Outcome", "What happened")
_WORDS = {
    Outcome.SAVED: "Saved",
    Outcome.FAILED: "Failed",
    Outcome.NOT_SENT: "Not sent",
    Outcome.UNKNOWN: "Unknown",
    Outcome.QUEUED: "Queued",
}
_COLORS = {
    Outcome.SAVED: "#1b5e20",
    Outcome.FAILED: "#b71c1c",
    Outcome.NOT_SENT: "#6b6b6b",
    Outcome.UNKNOWN: "#8a5a00",
    Outcome.QUEUED: "#1a4f8a",
}
# After what reading the server found (the record's message): the edits stay.
UNKNOWN_NOTE = (
    "Its changes stay pending: nothing you typed is lost, and nothing is sent again by itself. "
    "Refresh to see what the server has before saving it again."
)


def outcome_words(outcome: Outcome) -> str:
    return _WORDS[outcome]


def message_of(result: RecordResult) -> str:
    if result.outcome is Outcome.UNKNOWN:
        return f"{result.message} {UNKNOWN_NOTE}".strip()
    exchange = result.exchange
    if result.outcome is Outcome.SAVED and exchange is not None and exchange.attempt > 1:
        # The backend sent it again itself (after a quota wait, a new login): say so, and
        # that it was not applied twice.
        why = f" {exchange.note}" if exchange.note else ""
        return (
            f"{result.message} Sent again{why}: the server had refused the first attempt, "
            "which changed nothing."
        ).strip()
    return result.message


def summary(report: SaveReport) -> str:
    """ "8 saved · 1 failed · 1 not sent"."""
    parts = [
        f"{len(group)} {word}"
        for group, word in (
            (report.saved, "saved"),
            (report.failed, "failed"),
            (report.not_sent, "not sent"),
            (report.unknown, "unknown"),
        )
        if group
    ]
    return " · ".join(parts) or "Nothing to save."


class ResultsModel(QAbstractTableModel):
    """One row per record of a SaveReport.

    Overrides `rowCount`, `columnCount`, `data` (DisplayRole, ToolTipRole, ForegroundRole for
    the outcome's colour) and `headerData` (DisplayRole, columns only).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._results: tuple[RecordResult, ...] = ()
        self._names: dict[str, str] = {}

    def set_report(self, report: SaveReport, names: dict[str, str] | None = None) -> None:
        self.beginResetModel()
        self._results = report.results
        self._names = dict(names or {})
        self.endResetModel()

    def result_at(self, row: int) -> RecordResult:
        return self._results[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: one row per record (none under a row)."""
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: record, outcome, message."""
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractItemModel.data for DisplayRole, ToolTipRole and ForegroundRole."""
        if not index.isValid():
            return None
        result = self._results[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return self._names.get(result.record_id, result.record_id)
            if column == 1:
                return outcome_words(result.outcome)
            return message_of(result)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor(_COLORS[result.outcome]))
        return None

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


def results_table(model: ResultsModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName("results")
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    header.resizeSection(0, 220)
    header.resizeSection(1, 90)
    return table


def failures_csv(report: SaveReport, edits: Callable[[str], tuple[FieldEdit, ...]]) -> str:
    """The records not saved, one line per changed field, with the server's words."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["connection", "entity", "record", "outcome", "field", "old", "new", "message"])
    for result in report.results:
        if result.outcome is Outcome.SAVED:
            continue
        changes = edits(result.record_id) or (None,)
        for edit in changes:
            writer.writerow(
                [
                    report.connection_id,
                    report.entity,
                    result.record_id,
                    outcome_words(result.outcome),
                    edit.field if edit is not None else "",
                    _cell(edit.old) if edit is not None else "",
                    _cell(edit.new) if edit is not None else "",
                    message_of(result),
                ]
            )
    return out.getvalue()


def _cell(value: Any) -> str:
    return "" if value is None else str(value)
