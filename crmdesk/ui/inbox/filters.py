"""InboxFilters: the inbox's filter bar: connection, type, text and unread only, as one
InboxQuery; and the menu of what else the inbox does (mark all read, desktop notifications,
retention, listener settings)."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)

from crmdesk.inbox import ConnectionCount, InboxQuery

TEXT_PAUSE_MS = 250
ALL_CONNECTIONS = "All connections"
ALL_TYPES = "All types"


class InboxFilters(QWidget):
    """`changed` fires with the new query when the user changes a filter (text after a
    pause in typing). `choices()` fill the connection and type lists from the store."""

    changed = Signal(object)  # InboxQuery

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.connection = QComboBox(self)
        self.connection.setObjectName("inboxConnectionFilter")
        self.connection.setToolTip("Only the messages of one connection")
        # A fixed width: the list fills in as messages arrive, and must not push the row about.
        fixed = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        self.connection.setSizeAdjustPolicy(fixed)
        self.connection.setMinimumContentsLength(24)
        self.type = QComboBox(self)
        self.type.setObjectName("inboxTypeFilter")
        self.type.setToolTip("Only the messages of one type")
        self.type.setSizeAdjustPolicy(fixed)
        self.type.setMinimumContentsLength(18)
        self.text = QLineEdit(self)
        self.text.setObjectName("inboxTextFilter")
        self.text.setPlaceholderText("Find in summary, data or connection")
        self.text.setClearButtonEnabled(True)
        self.unread_only = QCheckBox("&Unread only", self)
        self.mark_all = QPushButton("Mark all read", self)
        self.mark_all.setObjectName("inboxMarkAllRead")
        self.mark_all.setToolTip(
            "Every unread message the filters show (all of them, not only the page)"
        )
        self.more = QToolButton(self)
        self.more.setText("Inbox ▾")
        self.more.setToolTip("Desktop notifications, how long messages are kept, the listener")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.more)
        self.more.setMenu(self.menu)
        self.desktop_notifications = QAction("&Desktop notifications for new messages", self)
        self.desktop_notifications.setObjectName("inboxDesktopNotifications")
        self.desktop_notifications.setCheckable(True)
        self.retention = QAction("&Keep messages…", self)
        self.listener_settings = QAction("&Listener settings…", self)
        self.menu.addAction(self.desktop_notifications)
        self.menu.addSeparator()
        self.menu.addAction(self.retention)
        self.menu.addAction(self.listener_settings)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.connection)
        row.addWidget(self.type)
        row.addWidget(self.text, 1)
        row.addWidget(self.unread_only)
        row.addWidget(self.mark_all)
        row.addWidget(self.more)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TEXT_PAUSE_MS)
        self._pause.timeout.connect(self._emit)
        self.text.textEdited.connect(lambda _text: self._pause.start())
        self.text.returnPressed.connect(self._emit)
        self.connection.currentIndexChanged.connect(lambda _index: self._emit())
        self.type.currentIndexChanged.connect(lambda _index: self._emit())
        self.unread_only.toggled.connect(lambda _on: self._emit())
        self.set_choices([], [])

    def query(self) -> InboxQuery:
        return InboxQuery(
            connection_id=self.connection.currentData(),
            type=self.type.currentData(),
            text=self.text.text().strip(),
            unread_only=self.unread_only.isChecked(),
        )

    def set_choices(self, connections: list[ConnectionCount], types: list[str]) -> None:
        """The connections and types stored, keeping what is chosen (even if it is gone)."""
        chosen_connection = self.connection.currentData()
        chosen_type = self.type.currentData()
        self.connection.blockSignals(True)
        self.type.blockSignals(True)
        try:
            self.connection.clear()
            self.connection.addItem(ALL_CONNECTIONS, None)
            for count in connections:
                unread = f", {count.unread:,} unread" if count.unread else ""
                self.connection.addItem(
                    f"{count.connection_name} ({count.total:,}{unread})", count.connection_id
                )
            _choose(self.connection, chosen_connection)
            self.type.clear()
            self.type.addItem(ALL_TYPES, None)
            for name in sorted(types):
                self.type.addItem(name, name)
            _choose(self.type, chosen_type)
        finally:
            self.connection.blockSignals(False)
            self.type.blockSignals(False)

    def _emit(self) -> None:
        self._pause.stop()
        self.changed.emit(self.query())


def _choose(box: QComboBox, data: str | None) -> None:
    index = box.findData(data) if data is not None else 0
    if index < 0:
        box.addItem(f"{data} (none now)", data)
        index = box.count() - 1
    box.setCurrentIndex(index)
