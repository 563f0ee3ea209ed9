"""ExchangeDetails: the inspector's right-hand side, one exchange seen exactly.

What it was and how it ended (in words, coloured and marked), the reply and the request in
the views their bodies suit (see `body`), the timing, and the chain of attempts of the same
call (a sign-in renewed, a read retried) with a click to any of them. The buttons hand the
exchange on: copy as a command, export HAR, edit and send again, compare with its original.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange, facts_of, size_text
from crmdesk.history import ExchangeSummary
from crmdesk.ui.inspector.body import MessageView, Side
from crmdesk.ui.inspector.rows import Origin, Row, exact_time, path_of, status_text
from crmdesk.ui.inspector.share import Format

_RED, _GREEN, _PURPLE = "#b71c1c", "#2e7d32", "#5a4a8a"
_CHAIN_TITLES = ("Attempt", "Sent", "Status", "Took", "Note")


class ExchangeDetails(QWidget):
    """Empty until `show_exchange`; the signals ask the dock to act on what is shown."""

    copyRequested = Signal(object)  # Format
    exportRequested = Signal()
    replayRequested = Signal()
    compareOriginalRequested = Signal()
    attemptActivated = Signal(str)  # exchange id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exchange: Exchange | None = None
        self.row: Row | None = None
        self.chain: tuple[ExchangeSummary, ...] = ()
        self.placeholder = QLabel(
            "Pick a call on the left to see its request and reply here.\n"
            "Errors anywhere in crmdesk open their call here too.",
            self,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: #6b6b6b;")
        self.heading = QLabel(self)
        self.heading.setObjectName("exchangeHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = QLabel(self)
        self.facts.setObjectName("exchangeFacts")
        small = self.facts.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.facts.setFont(small)
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = self._copy_button()
        self.export_button = QPushButton("Export HAR…", self)
        self.export_button.setToolTip("Save this call as a HAR file (secrets redacted)")
        self.export_button.clicked.connect(self.exportRequested)
        self.replay_button = QPushButton("Edit && resend…", self)
        self.replay_button.setToolTip(
            "Change the request and send it again; the connection signs it with its own "
            "current sign-in"
        )
        self.replay_button.clicked.connect(self.replayRequested)
        self.compare_button = QPushButton("Compare with original", self)
        self.compare_button.clicked.connect(self.compareOriginalRequested)
        self.compare_button.hide()  # for a replay only
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.copy_button, self.export_button, self.replay_button):
            buttons.addWidget(button)
        buttons.addWidget(self.compare_button)
        buttons.addStretch(1)
        self.response = MessageView(Side.RESPONSE, self)
        self.request = MessageView(Side.REQUEST, self)
        self.timing = QLabel(self)
        self.timing.setWordWrap(True)
        self.timing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.timing.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.attempts = _chain_table(self)
        self.attempts.cellDoubleClicked.connect(self._attempt_clicked)
        self.attempts_title = QLabel("<b>Attempts of this call</b> (double-click one to see it)")
        self.attempts_title.hide()
        self.sections = QTabWidget(self)
        self.sections.setObjectName("exchangeSections")
        self.sections.addTab(self.response, "Response")
        self.sections.addTab(self.request, "Request")
        timing_page = QWidget(self)
        timing_column = QVBoxLayout(timing_page)
        timing_column.addWidget(self.timing)
        timing_column.addWidget(self.attempts_title)
        timing_column.addWidget(self.attempts, 1)
        self.sections.addTab(timing_page, "Timing")
        shown = QWidget(self)
        column = QVBoxLayout(shown)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.facts)
        column.addLayout(buttons)
        column.addWidget(self.sections, 1)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.placeholder)
        self.pages.addWidget(shown)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)

    def show_exchange(self, exchange: Exchange, row: Row | None) -> None:
        self.exchange, self.row, self.chain = exchange, row, ()
        imported = row is not None and row.origin is Origin.IMPORTED
        self.heading.setText(_heading(exchange, imported))
        facts = escape(facts_of(exchange)) if not imported else escape(exchange.connection)
        if row is not None and row.replay_words:  # the rest of the row's note is in the facts
            facts += f"<br><i>replay of {escape(row.replay_words)}</i>"
        self.facts.setText(facts)
        self.compare_button.setVisible(row is not None and bool(row.replay_of))
        self.response.show_message(exchange)
        self.request.show_message(exchange)
        if imported and exchange.status is None:
            self.sections.setCurrentWidget(self.request)
        self.timing.setText(_timing_words(exchange, imported))
        self.show_chain(())
        self.pages.setCurrentIndex(1)

    def show_chain(self, chain: Sequence[ExchangeSummary]) -> None:
        """The attempts of the shown call, first first; a call made once has no table."""
        self.chain = tuple(chain)
        several = len(self.chain) > 1
        self.attempts.setVisible(several)
        self.attempts_title.setVisible(several)
        self.attempts.setRowCount(len(self.chain) if several else 0)
        for number, summary in enumerate(self.chain if several else ()):
            mine = self.exchange is not None and summary.id == self.exchange.id
            cells = (
                f"{summary.attempt}{'  (this one)' if mine else ''}",
                exact_time(summary.started_at),
                status_text(summary, Origin.STORED),
                f"{summary.elapsed_ms:,.0f} ms" if summary.elapsed_ms is not None else "",
                ("sign-in · " if summary.auth else "") + summary.note,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, summary.id)
                self.attempts.setItem(number, col, item)
        self.sections.setTabText(
            2, f"Timing && attempts ({len(self.chain)})" if several else "Timing"
        )

    def clear(self) -> None:
        self.exchange, self.row, self.chain = None, None, ()
        self.response.clear()
        self.request.clear()
        self.pages.setCurrentIndex(0)

    def show_words(self, words: str) -> None:
        """Say why nothing is shown (the exchange is no longer kept) in place of it."""
        self.clear()
        self.placeholder.setText(words)

    def _copy_button(self) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName("copyAs")
        button.setText("Copy as curl")
        button.setToolTip("Copy the request as a command to paste into a ticket (secrets redacted)")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        button.clicked.connect(lambda: self.copyRequested.emit(Format.CURL))
        menu = QMenu(button)
        for fmt in Format:
            action = QAction(fmt.label, menu)
            action.setObjectName(f"copy_{fmt.name.lower()}")
            action.triggered.connect(lambda _checked=False, f=fmt: self.copyRequested.emit(f))
            menu.addAction(action)
        button.setMenu(menu)
        return button

    def _attempt_clicked(self, row: int, _column: int) -> None:
        item = self.attempts.item(row, 0)
        if item is not None:
            self.attemptActivated.emit(str(item.data(Qt.ItemDataRole.UserRole)))


def _heading(exchange: Exchange, imported: bool) -> str:
    title = f"{exchange.method} {path_of(exchange.url)}"
    if imported and exchange.status is None:
        return f'<b style="color:{_PURPLE}">{escape(title)}</b> · imported, not sent from here'
    failed = exchange.status is None or exchange.status >= 400
    mark, color = ("✘", _RED) if failed else ("✔", _GREEN)
    return (
        f'<b>{escape(title)}</b> → <b style="color:{color}">{mark} {escape(exchange.outcome)}</b>'
    )


def _timing_words(exchange: Exchange, imported: bool) -> str:
    lines = [f"<b>URL</b>: {escape(exchange.url)}"]
    if exchange.started_at:
        lines.append(f"<b>Sent</b>: {exact_time(exchange.started_at)}")
    if exchange.elapsed_ms is not None:
        lines.append(f"<b>Took</b>: {exchange.elapsed_ms:,.1f} ms, request to the end of the reply")
    elif not imported:
        lines.append("<b>Took</b>: not measured (no reply)")
    lines.append(f"<b>Sent</b>: {size_text(exchange.request_size)}")
    if exchange.status is not None:
        lines.append(f"<b>Received</b>: {size_text(exchange.response_size)}")
    if not imported:
        lines.append(f"<b>Attempt</b>: {exchange.attempt} of this call")
    return "<br>".join(lines)


def _chain_table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(_CHAIN_TITLES), parent)
    table.setObjectName("attempts")
    table.setHorizontalHeaderLabels(list(_CHAIN_TITLES))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setToolTip("Double-click an attempt to see it")
    table.hide()
    return table
