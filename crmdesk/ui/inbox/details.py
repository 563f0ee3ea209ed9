"""MessageDetails: one notification whole: what, from whom, when and how often it came, its
data as a JSON tree and as raw text (with the headers it came with), and what to do with it
(mark read or unread, open the record it names, copy its JSON)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk.inbox import StoredMessage
from crmdesk.ui.inbox.rows import heard_words, stamp

# A tree of a 1 MiB message would hold tens of thousands of items: show this many, and say
# the rest is in Raw.
TREE_LIMIT = 2000
_VALUE_LENGTH = 300
NOTHING_SELECTED = "Select a message to see it whole: its data as a tree and raw."


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return f"array of {len(value)}"
    return f"object of {len(value)}"


def fill_tree(tree: QTreeWidget, data: Any, limit: int = TREE_LIMIT) -> int:
    """Put `data` in `tree` (name, value, type), at most `limit` items; returns how many.
    Iterative: a message may be nested 64 deep (the listener's limit)."""
    tree.clear()
    made = 0
    root_items: list[QTreeWidgetItem] = []
    stack: list[tuple[QTreeWidgetItem | None, str, Any]] = [(None, "data", data)]
    while stack and made < limit:
        parent, name, value = stack.pop()
        shown = "" if isinstance(value, dict | list) else _scalar(value)
        item = QTreeWidgetItem([name, shown, json_kind(value)])
        if shown:
            item.setToolTip(1, shown if len(shown) < 2000 else shown[:2000] + "…")
        if parent is None:
            root_items.append(item)
        else:
            parent.addChild(item)
        made += 1
        children: list[tuple[str, Any]] = []
        if isinstance(value, dict):
            children = [(str(key), child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [(f"[{number}]", child) for number, child in enumerate(value)]
        # Reversed onto the stack so they come off in their own order.
        stack.extend((item, key, child) for key, child in reversed(children))
    tree.addTopLevelItems(root_items)
    if stack:
        more = QTreeWidgetItem(["…", f"{len(stack):,}+ more items: see Raw", ""])
        tree.addTopLevelItem(more)
    tree.expandToDepth(1)
    return made


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        text = value.replace("\n", " ⏎ ")
        return text if len(text) <= _VALUE_LENGTH else text[: _VALUE_LENGTH - 1] + "…"
    return json.dumps(value)


def raw_text(message: StoredMessage) -> str:
    """What came, as text: the headers kept with it, then its data as indented JSON."""
    lines = [f"{name}: {value}" for name, value in sorted(message.meta.items())]
    if lines:
        lines.append("")
    lines.append(json.dumps(message.data, indent=2, ensure_ascii=False))
    return "\n".join(lines)


def heading_html(message: StoredMessage) -> str:
    facts = [f"received {escape(stamp(message.received_at))}"]
    heard = heard_words(message)
    if heard:
        facts.append(f"{escape(heard)}, last at {escape(stamp(message.last_received_at))}")
    facts.append("<b>unread</b>" if not message.read else "read")
    return (
        f"<b>{escape(message.type)}</b> from {escape(message.connection_name)} "
        f"({escape(message.protocol)})<br>{' · '.join(facts)}<br>{escape(message.summary)}"
    )


class MessageDetails(QWidget):
    """The selected message (or how many are selected). Its buttons say what the user wants;
    the dock does it: `readWanted(read)`, `openRecordWanted(message)`."""

    readWanted = Signal(bool)
    openRecordWanted = Signal(object)  # StoredMessage
    callsWanted = Signal(object)  # StoredMessage

    def __init__(self, parent: QWidget | None = None, *, calls: bool = False) -> None:
        super().__init__(parent)
        self._calls = calls
        self.message: StoredMessage | None = None
        self._read = False
        self.heading = QLabel(NOTHING_SELECTED, self)
        self.heading.setObjectName("inboxDetailsHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.read_button = QPushButton("Mark &unread", self)
        self.read_button.setToolTip("Bold again in the list, and counted as unread")
        self.read_button.clicked.connect(self._toggle_read)
        self.open_button = QPushButton("Open related record", self)
        self.open_button.setObjectName("openRelatedRecord")
        self.open_button.clicked.connect(self._open_record)
        self.calls_button = QPushButton("Its calls", self)
        self.calls_button.setObjectName("relatedRecordCalls")
        self.calls_button.clicked.connect(self._show_calls)
        self.calls_button.hide()
        self.copy_button = QPushButton("Copy JSON", self)
        self.copy_button.setToolTip("The message's data, as received, to the clipboard")
        self.copy_button.clicked.connect(self.copy_json)
        self.buttons = QWidget(self)
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.calls_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("inboxJsonTree")
        self.tree.setHeaderLabels(["Name", "Value", "Type"])
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 170)
        self.tree.setColumnWidth(2, 90)
        self.raw = QPlainTextEdit(self)
        self.raw.setObjectName("inboxRawText")
        self.raw.setReadOnly(True)
        self.raw.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.raw.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.views = QTabWidget(self)
        self.views.setDocumentMode(True)
        self.views.addTab(self.tree, "Tree")
        self.views.addTab(self.raw, "Raw")
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.buttons)
        column.addWidget(self.views, 1)
        column.addStretch(0)  # takes the room while there is no message to show
        self.setMinimumWidth(360)
        self.show_nothing()

    def show_message(self, message: StoredMessage) -> None:
        """Show `message` whole (its tree is built again only when it is another message)."""
        same = self.message is not None and self.message.id == message.id
        self.message = message
        self.heading.setText(heading_html(message))
        self._show_read(message.read)
        link = message.link
        self.open_button.setVisible(link is not None)
        self.calls_button.setVisible(link is not None and self._calls)
        if link is not None:
            self.calls_button.setToolTip(
                f"The inspector shows the calls to {message.connection_name} that carried "
                f"{link.record_id}"
            )
            self.open_button.setText(f"Open related record ({link.entity} {link.record_id})")
            self.open_button.setToolTip(
                f"Opens {link.entity} {link.record_id} of {message.connection_name} in a tab"
            )
        self.copy_button.setEnabled(True)
        self.buttons.show()
        self.views.show()
        if not same:
            fill_tree(self.tree, message.data)
            self.raw.setPlainText(raw_text(message))

    def show_many(self, count: int, unread: int) -> None:
        self.message = None
        self.heading.setText(
            f"{count:,} messages selected, {unread:,} of them unread. "
            "Mark them read or unread with the button or the list's right-click menu."
        )
        self._show_read(unread == 0)
        self.read_button.setEnabled(True)
        self.open_button.hide()
        self.calls_button.hide()
        self.copy_button.setEnabled(False)
        self._clear_views()
        self.buttons.show()

    def show_nothing(self, words: str = NOTHING_SELECTED) -> None:
        self.message = None
        self.heading.setText(escape(words))
        self.read_button.setEnabled(False)
        self.read_button.setText("Mark &read")
        self.open_button.hide()
        self.calls_button.hide()
        self.copy_button.setEnabled(False)
        self._clear_views()
        self.buttons.hide()

    def copy_json(self) -> None:
        if self.message is not None:
            QGuiApplication.clipboard().setText(
                json.dumps(self.message.data, indent=2, ensure_ascii=False)
            )

    def _clear_views(self) -> None:
        self.tree.clear()
        self.raw.clear()
        self.views.hide()

    def _show_read(self, read: bool) -> None:
        self._read = read
        self.read_button.setEnabled(True)
        self.read_button.setText("Mark &unread" if read else "Mark &read")

    def _toggle_read(self) -> None:
        self.readWanted.emit(not self._read)

    def _show_calls(self) -> None:
        if self.message is not None:
            self.callsWanted.emit(self.message)

    def _open_record(self) -> None:
        if self.message is not None:
            self.openRecordWanted.emit(self.message)
