"""CompareWindow: two calls side by side (a replay and its original, two tries of one call).

What differs in the request and the outcome at the top, then a tab each for the reply's
body (the structural JSON diff of `crmdesk.history.compare`, or a line diff), the reply's
headers, the request's headers and body, and both replies pretty-printed side by side.
"""

from __future__ import annotations

import json
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange, pretty_json, size_text
from crmdesk.history import BodyComparison, Change, Comparison, HeaderDifference, compare
from crmdesk.ui.inspector.rows import exact_time, when_text

_CHANGE_WORDS = {
    Change.ADDED: "only in second",
    Change.REMOVED: "only in first",
    Change.CHANGED: "changed",
}
_DIFFERS = QBrush(QColor("#fff3cd"))
_SHOWN_CHARS = 300


class CompareWindow(QDialog):
    """Non-modal and reused: `compare(first, second)` shows a new pair."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareWindow")
        self.setWindowTitle("Compare calls")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.comparison: Comparison | None = None
        self.heading = QLabel(self)
        self.heading.setObjectName("compareHeading")
        self.heading.setWordWrap(True)
        self.summary = _table(("", "First", "Second"), self)
        self.summary.setObjectName("compareSummary")
        self.summary.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.summary.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.response_body = _BodyDifferences(self)
        self.response_headers = _HeaderDifferences(self)
        self.request_headers = _HeaderDifferences(self)
        self.request_body = _BodyDifferences(self)
        self.first_text = _text(self)
        self.second_text = _text(self)
        side = QSplitter(Qt.Orientation.Horizontal, self)
        side.addWidget(self.first_text)
        side.addWidget(self.second_text)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("compareTabs")
        for widget in (
            self.response_body,
            self.response_headers,
            self.request_headers,
            self.request_body,
        ):
            self.tabs.addTab(widget, "")
        self.tabs.addTab(side, "Replies side by side")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.summary)
        split.addWidget(self.tabs)
        split.setSizes([180, 440])
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(split, 1)
        column.addWidget(buttons)
        self.resize(1000, 680)

    def compare(self, first: Exchange, second: Exchange) -> Comparison:
        found = compare(first, second)
        self.comparison = found
        self.heading.setText(_heading(first, second, found))
        _fill_summary(self.summary, first, second)
        titles = (
            ("Reply body", self.response_body.show_body(found.response_body)),
            ("Reply headers", self.response_headers.show_headers(found.response_headers)),
            ("Request headers", self.request_headers.show_headers(found.request_headers)),
            ("Request body", self.request_body.show_body(found.request_body)),
        )
        for index, (title, count) in enumerate(titles):
            self.tabs.setTabText(index, f"{title} ({count})" if count else f"{title}: same")
        self.first_text.setPlainText(_pretty(first))
        self.second_text.setPlainText(_pretty(second))
        return found


class _BodyDifferences(QStackedWidget):
    """A table of JSON differences, a line diff, or words when there is nothing to list."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.words = QLabel(self)
        self.words.setWordWrap(True)
        self.words.setMargin(12)
        self.words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table = _table(("Where", "Change", "First", "Second"), self)
        self.diff = _text(self)
        for widget in (self.words, self.table, self.diff):
            self.addWidget(widget)

    def show_body(self, body: BodyComparison) -> int:
        """Show `body`; returns how many differences it lists (0 when the same)."""
        cut = " (only the first ones are shown)" if body.cut else ""
        if body.same:
            self.words.setText("The same in both.")
            self.setCurrentWidget(self.words)
            return 0
        if body.kind == "binary":
            self.words.setText("The bodies differ; they are binary, so no difference is listed.")
            self.setCurrentWidget(self.words)
            return 1
        if body.kind == "text":
            self.diff.setPlainText("\n".join(body.lines) + (f"\n…{cut}" if cut else ""))
            self.setCurrentWidget(self.diff)
            return sum(1 for line in body.lines[2:] if line[:1] in "+-")
        self.table.setRowCount(len(body.changes))
        for row, change in enumerate(body.changes):
            old = "" if change.change is Change.ADDED else _json(change.old)
            new = "" if change.change is Change.REMOVED else _json(change.new)
            _set_row(self.table, row, (change.path, _CHANGE_WORDS[change.change], old, new))
        self.setCurrentWidget(self.table)
        return len(body.changes)


class _HeaderDifferences(QStackedWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.words = QLabel("The same in both.", self)
        self.words.setMargin(12)
        self.words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table = _table(("Header", "Change", "First", "Second"), self)
        self.addWidget(self.words)
        self.addWidget(self.table)

    def show_headers(self, found: tuple[HeaderDifference, ...]) -> int:
        """Show the header differences; returns how many there are."""
        self.table.setRowCount(len(found))
        for row, difference in enumerate(found):
            cells = (
                difference.name,
                _CHANGE_WORDS[difference.change],
                difference.old or "",
                difference.new or "",
            )
            _set_row(self.table, row, cells)
        self.setCurrentWidget(self.table if found else self.words)
        return len(found)


def _heading(first: Exchange, second: Exchange, found: Comparison) -> str:
    def named(exchange: Exchange) -> str:
        when = when_text(exchange.started_at) if exchange.started_at else "imported"
        return f"{escape(exchange.method)} {escape(exchange.url)} at {when}"

    verdict = "They are the same." if found.same else "Differences are marked below."
    return f"<b>First</b>: {named(first)}<br><b>Second</b>: {named(second)}<br>{verdict}"


def _fill_summary(table: QTableWidget, first: Exchange, second: Exchange) -> None:
    def facts(exchange: Exchange) -> list[str]:
        took = f"{exchange.elapsed_ms:,.0f} ms" if exchange.elapsed_ms is not None else "—"
        return [
            exact_time(exchange.started_at) if exchange.started_at else "imported",
            exchange.connection,
            exchange.method,
            exchange.url,
            exchange.outcome,
            took,
            size_text(exchange.response_size) if exchange.status is not None else "—",
        ]

    names = ("Sent", "Connection", "Method", "URL", "Status", "Took", "Received")
    table.setRowCount(len(names))
    bold = QFont()
    bold.setBold(True)
    for row, (name, a, b) in enumerate(zip(names, facts(first), facts(second), strict=True)):
        _set_row(table, row, (name, a, b))
        # Only what the request and its outcome are can differ meaningfully; times always do.
        if name in ("Method", "URL", "Status", "Connection") and a != b:
            for column in range(3):
                item = table.item(row, column)
                if item is not None:
                    item.setBackground(_DIFFERS)
                    item.setFont(bold)
            first_item = table.item(row, 0)
            if first_item is not None:
                first_item.setText(f"{name} ≠")


def _set_row(table: QTableWidget, row: int, cells: tuple[str, ...]) -> None:
    for column, text in enumerate(cells):
        shown = text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"
        item = QTableWidgetItem(shown)
        if len(text) > 60:
            item.setToolTip(text[:4000])
        table.setItem(row, column, item)


def _table(titles: tuple[str, ...], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(titles), parent)
    table.setHorizontalHeaderLabels(list(titles))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    table.setColumnWidth(0, 220 if len(titles) > 3 else 110)
    if len(titles) > 3:
        table.setColumnWidth(1, 110)
        table.setColumnWidth(2, 260)
    else:
        table.setColumnWidth(1, 420)
    return table


def _text(parent: QWidget) -> QPlainTextEdit:
    view = QPlainTextEdit(parent)
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


def _pretty(exchange: Exchange) -> str:
    if exchange.status is None:
        return f"No reply: {exchange.error or 'the request did not complete.'}"
    body = exchange.response_body
    return pretty_json(body) or body.decode("utf-8", errors="replace") or "(empty body)"


def _json(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)
