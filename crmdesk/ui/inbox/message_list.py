"""MessageList: the inbox's table view: fixed row heights (never sized to contents, B7), the
selected messages, and the user's place kept while new messages arrive on top."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from crmdesk.inbox import StoredMessage
from crmdesk.ui.inbox.model import CONNECTION, RECEIVED, TYPE, InboxModel

ROW_HEIGHT = 22
_WIDTHS = ((RECEIVED, 120), (CONNECTION, 200), (TYPE, 150))


class NewAbove(QPushButton):
    """ "▲ 12 new": messages came above the rows the user is reading; a click goes up to
    them. Floats over the list's top edge, so it never moves the layout."""

    def __init__(self, view: QTableView) -> None:
        super().__init__(view.viewport())
        self.setObjectName("inboxNewAbove")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        # Never the focus: hiding a focused button hands the focus back to the list as if
        # by Tab, which moves the current row.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            "QPushButton { background: #1a73e8; color: white; border: none; "
            "border-radius: 10px; padding: 2px 12px; font-weight: bold; }"
        )
        self.count = 0
        self._view = view
        self.clicked.connect(self.go_up)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.hide()

    def add(self, count: int) -> None:
        self.count += count
        self.setText(f"▲ {self.count:,} new")
        self.adjustSize()
        width = self._view.viewport().width()
        self.move(max(0, (width - self.width()) // 2), 4)
        self.show()
        self.raise_()

    def go_up(self) -> None:
        self._view.scrollToTop()
        self._clear()

    def _scrolled(self, value: int) -> None:
        if value == 0:
            self._clear()

    def _clear(self) -> None:
        self.count = 0
        self.hide()


class MessageList(QTableView):
    """The list of messages over an InboxModel."""

    def __init__(self, model: InboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxList")
        self.inbox = model
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Per item: the scroll bar counts rows, so keeping a place is adding the rows that came.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self.setWordWrap(False)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        columns = self.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        columns.setStretchLastSection(True)
        for column, width in _WIDTHS:
            self.setColumnWidth(column, width)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.new_above = NewAbove(self)

    def selected_messages(self) -> list[StoredMessage]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        found = [self.inbox.message_at(row) for row in rows]
        return [message for message in found if message is not None]

    def keep_place(self, added: int) -> None:
        """`added` rows came on top: what the user reads or points at stays put (the view
        would let it slide down under the pointer), and the button says how many came above.
        At the top with the pointer elsewhere, the list follows the newest."""
        bar = self.verticalScrollBar()
        reading = bar.value() > 0 or self.viewport().underMouse()
        if added and reading:
            bar.setRange(bar.minimum(), bar.maximum() + added)
            bar.setValue(bar.value() + added)
            self.new_above.add(added)

    def select_message(self, message_id: int) -> bool:
        """Select the message's row if it is held (near the screen)."""
        row = self.inbox.row_of_id(message_id)
        if row is not None:
            self.selectRow(row)
        return row is not None
