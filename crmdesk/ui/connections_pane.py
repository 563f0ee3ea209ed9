"""ConnectionsPane: every connection of this window and, once it is open, its entities."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLabel, QStackedWidget, QTreeWidget, QTreeWidgetItem, QWidget

from crmdesk.api import EntityInfo
from crmdesk.ui.session import ConnectionSession, ConnectionState

EMPTY_TEXT = (
    "<p><b>No connections yet.</b></p>"
    "<p>Add one with <b>File → Connections…</b>, or bring in a team's setups with "
    "<b>File → Import connections…</b>.</p>"
    "<p>Start crmdesk with <code>--demo</code> to try the built-in sandbox: "
    "all five APIs with sample data, on this computer.</p>"
)
_STATE_COLORS = {
    ConnectionState.NOT_CONNECTED: "#9e9e9e",
    ConnectionState.CONNECTING: "#e0a100",
    ConnectionState.CONNECTED: "#2e8b3a",
    ConnectionState.FAILED: "#c62828",
}
_SESSION = Qt.ItemDataRole.UserRole
_ENTITY = Qt.ItemDataRole.UserRole + 1


class ConnectionsPane(QStackedWidget):
    """A tree of connections → entities, or a sentence saying how to get one.

    Double-clicking (or Enter on) a connection connects it; on an entity, opens its tab.
    """

    entityActivated = Signal(object, object)  # ConnectionSession, EntityInfo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setIconSize(QSize(10, 10))
        self.tree.setAccessibleName("Connections")
        self.tree.itemActivated.connect(self._activated)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setContentsMargins(12, 12, 12, 12)
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.addWidget(self.empty)
        self.addWidget(self.tree)
        self._items: dict[str, tuple[ConnectionSession, QTreeWidgetItem]] = {}

    @property
    def sessions(self) -> list[ConnectionSession]:
        return [session for session, _item in self._items.values()]

    def add(self, session: ConnectionSession) -> None:
        item = QTreeWidgetItem(self.tree, [session.name])
        item.setData(0, _SESSION, session.id)
        self._items[session.id] = (session, item)
        session.changed.connect(lambda: self._refresh(session))
        self._refresh(session)
        self.setCurrentWidget(self.tree)

    def remove(self, session: ConnectionSession) -> None:
        _session, item = self._items.pop(session.id)
        self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
        if not self._items:
            self.setCurrentWidget(self.empty)

    def item_for(self, session: ConnectionSession, entity: str | None = None) -> QTreeWidgetItem:
        item = self._items[session.id][1]
        if entity is None:
            return item
        for row in range(item.childCount()):
            child = item.child(row)
            if child is not None and child.data(0, _ENTITY) == entity:
                return child
        raise KeyError(entity)

    def select(self, session: ConnectionSession, entity: str) -> None:
        """Mark the entity whose tab is in front, so the tree says where the user is."""
        try:
            self.tree.setCurrentItem(self.item_for(session, entity))
        except KeyError:
            self.tree.clearSelection()

    def _refresh(self, session: ConnectionSession) -> None:
        item = self._items[session.id][1]
        profile = session.profile
        marks = [
            word
            for word, on in (("PROD", profile.production), ("read-only", profile.read_only))
            if on
        ]
        item.setText(0, session.name + (f" ({', '.join(marks)})" if marks else ""))
        if profile.production:
            item.setForeground(0, QBrush(QColor("#b71c1c")))
        item.setIcon(0, _state_icon(session.state))
        words = session.state.value.capitalize()
        detail = f"\n{session.detail}" if session.detail else ""
        item.setToolTip(0, f"{session.name}: {words}{detail}")
        item.takeChildren()
        if session.state is ConnectionState.CONNECTED:
            for info in session.entities:
                child = QTreeWidgetItem(item, [info.label])
                child.setData(0, _ENTITY, info.name)
                child.setToolTip(0, f"Open {info.label} of {session.name}")
            item.setExpanded(True)
        elif session.state is ConnectionState.CONNECTING:
            _note(item, "Connecting…")
            item.setExpanded(True)
        elif session.state is ConnectionState.FAILED:
            _note(item, f"Could not connect: {session.detail}", error=True)
            _note(item, "Double-click the connection to try again.")
            item.setExpanded(True)
        else:
            _note(item, "Not connected. Double-click to connect.")

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        top = item.parent() or item
        session = self._items[top.data(0, _SESSION)][0]
        entity_name = item.data(0, _ENTITY)
        if entity_name is None:
            session.open()
            return
        info: EntityInfo | None = session.entity(entity_name)
        if info is not None:
            self.entityActivated.emit(session, info)


def _note(parent: QTreeWidgetItem, text: str, *, error: bool = False) -> None:
    note = QTreeWidgetItem(parent, [text])
    note.setToolTip(0, text)
    note.setFlags(Qt.ItemFlag.ItemIsEnabled)
    font = QFont(note.font(0))
    font.setItalic(True)
    note.setFont(0, font)
    note.setForeground(0, QBrush(QColor("#b71c1c" if error else "#6b6b6b")))


_ICONS: dict[ConnectionState, QIcon] = {}


def _state_icon(state: ConnectionState) -> QIcon:
    if state not in _ICONS:
        pixmap = QPixmap(20, 20)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_STATE_COLORS[state]))
        painter.drawEllipse(3, 3, 14, 14)
        painter.end()
        _ICONS[state] = QIcon(pixmap)
    return _ICONS[state]
