"""MessageView: one side of an exchange (the request or the reply) in the views its body suits.

JSON pretty-printed and as a tree, URL-encoded pairs as a table, HTML, XML and text as they
are, binary as hex; the whole message raw (start line, headers, body); the headers as a table.
The view a user picked ("Tree") is kept for the next exchange that has one.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import (
    BodyKind,
    Exchange,
    body_kind,
    form_pairs,
    hex_dump,
    json_value,
    pretty_json,
    request_text,
    response_text,
    size_text,
)
from crmdesk.ui.inspector.pairs import PairsModel
from crmdesk.ui.inspector.tree import JsonTreeModel


class Side(Enum):
    REQUEST = "request"
    RESPONSE = "response"


class View(Enum):
    """The views a message can be shown in; a tab each."""

    PRETTY = "pretty"
    TREE = "tree"
    PAIRS = "pairs"
    TEXT = "text"
    HEX = "hex"
    NOTHING = "nothing"
    RAW = "raw"
    HEADERS = "headers"


_TEXT_TITLES = {BodyKind.HTML: "HTML", BodyKind.XML: "XML", BodyKind.TEXT: "Text"}


def views_for(kind: BodyKind) -> list[View]:
    """The tabs for a body of `kind`, the most readable first."""
    if kind is BodyKind.JSON:
        return [View.PRETTY, View.TREE, View.RAW, View.HEADERS]
    if kind is BodyKind.FORM:
        return [View.PAIRS, View.RAW, View.HEADERS]
    if kind is BodyKind.BINARY:
        return [View.HEX, View.HEADERS]
    if kind is BodyKind.EMPTY:
        return [View.NOTHING, View.RAW, View.HEADERS]
    return [View.TEXT, View.RAW, View.HEADERS]


class MessageView(QWidget):
    """Tabs over one message; `show_message(exchange)` fills them, `clear()` empties them."""

    def __init__(self, side: Side, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.kind = BodyKind.EMPTY
        self._preferred: View | None = None
        self._filling = False
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #8a5a00;")
        self.note.hide()
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setObjectName(f"{side.value}Tabs")
        self.tabs.currentChanged.connect(self._picked)
        self.pretty = _text_view(f"{side.value} body, pretty-printed")
        self.text = _text_view(f"{side.value} body")
        self.raw = _text_view(
            f"{side.value} as sent" if side is Side.REQUEST else "reply as received"
        )
        self.hex = _text_view(f"{side.value} body in hex")
        self.nothing = QLabel(self)
        self.nothing.setMargin(12)
        self.nothing.setWordWrap(True)
        self.tree_model = JsonTreeModel(parent=self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.tree_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 220)
        self.pairs_model = PairsModel(parent=self)
        self.pairs = _pairs_view(self.pairs_model, self)
        self.headers_model = PairsModel(("Header", "Value"), self)
        self.headers = _pairs_view(self.headers_model, self)
        self._widgets: dict[View, QWidget] = {
            View.PRETTY: self.pretty,
            View.TREE: self.tree,
            View.PAIRS: self.pairs,
            View.TEXT: self.text,
            View.HEX: self.hex,
            View.NOTHING: self.nothing,
            View.RAW: self.raw,
            View.HEADERS: self.headers,
        }
        for widget in self._widgets.values():
            widget.hide()  # until a tab shows it: a child not in a tab would sit on top
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.note)
        column.addWidget(self.tabs, 1)

    @property
    def current_view(self) -> View | None:
        widget = self.tabs.currentWidget()
        return next((view for view, w in self._widgets.items() if w is widget), None)

    def views(self) -> list[View]:
        """The tabs shown now, in order."""
        shown = [self.tabs.widget(i) for i in range(self.tabs.count())]
        return [view for w in shown for view, known in self._widgets.items() if known is w]

    def show_view(self, view: View) -> None:
        widget = self._widgets[view]
        if self.tabs.indexOf(widget) >= 0:
            self.tabs.setCurrentWidget(widget)

    def show_message(self, exchange: Exchange) -> None:
        if self.side is Side.REQUEST:
            headers, body = exchange.request_headers, exchange.request_body
            size, raw = exchange.request_size, request_text(exchange)
            cut = exchange.request_truncated
        else:
            headers, body = exchange.response_headers, exchange.response_body
            size, raw = exchange.response_size, response_text(exchange)
            cut = exchange.response_truncated
        no_reply = self.side is Side.RESPONSE and exchange.status is None
        self.kind = body_kind(body, headers)
        views = [View.NOTHING] if no_reply else views_for(self.kind)
        self._fill(exchange, views, body, headers, raw, no_reply)
        self.note.setVisible(cut)
        if cut:
            self.note.setText(
                f"Only the first {size_text(len(body))} of {size_text(size)} were kept; "
                "the views show that part."
            )

    def clear(self) -> None:
        self._filling = True
        try:
            self.tabs.clear()
            for widget in self._widgets.values():
                widget.hide()
        finally:
            self._filling = False
        self.note.hide()

    def _fill(
        self,
        exchange: Exchange,
        views: list[View],
        body: bytes,
        headers: tuple[tuple[str, str], ...],
        raw: str,
        no_reply: bool,
    ) -> None:
        self._filling = True
        try:
            self.tabs.clear()
            for widget in self._widgets.values():
                widget.hide()
            for view in views:
                self.tabs.addTab(self._widgets[view], self._title(view, headers, no_reply))
            self._set_contents(exchange, views, body, headers, raw, no_reply)
            wanted = self._preferred if self._preferred in views else views[0]
            self.tabs.setCurrentWidget(self._widgets[wanted])
        finally:
            self._filling = False

    def _set_contents(
        self,
        exchange: Exchange,
        views: list[View],
        body: bytes,
        headers: tuple[tuple[str, str], ...],
        raw: str,
        no_reply: bool,
    ) -> None:
        self.headers_model.set_pairs(headers)
        self.raw.setPlainText(raw)
        if View.PRETTY in views:
            self.pretty.setPlainText(pretty_json(body) or text_of(body))
        if View.TREE in views:
            self.tree_model.set_value(json_value(body)[1])
            self.tree.expandToDepth(0)
        if View.PAIRS in views:
            self.pairs_model.set_pairs(form_pairs(body) or [])
        if View.TEXT in views:
            self.text.setPlainText(text_of(body))
        if View.HEX in views:
            self.hex.setPlainText(hex_dump(body))
        if no_reply:
            self.nothing.setText(f"No reply: {exchange.error or 'the request did not complete.'}")
        elif View.NOTHING in views:
            self.nothing.setText(
                "No body." if self.side is Side.REQUEST else "The reply had no body."
            )

    def _title(self, view: View, headers: tuple[tuple[str, str], ...], no_reply: bool) -> str:
        if view is View.HEADERS:
            return f"Headers ({len(headers)})"
        if view is View.NOTHING:
            return "No reply" if no_reply else "Body"
        if view is View.TEXT:
            return _TEXT_TITLES.get(self.kind, "Text")
        return {
            View.PRETTY: "JSON",
            View.TREE: "Tree",
            View.PAIRS: "Pairs",
            View.HEX: "Hex",
            View.RAW: "Raw",
        }[view]

    def _picked(self, _index: int) -> None:
        if not self._filling:
            self._preferred = self.current_view


def text_of(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _text_view(name: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setAccessibleName(name)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


def _pairs_view(model: PairsModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 6)
    view.horizontalHeader().setStretchLastSection(True)
    view.setColumnWidth(0, 200)
    return view
