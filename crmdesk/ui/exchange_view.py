"""ExchangeWindow: one HTTP round trip shown raw (already redacted), in a window of its own.

The text comes from `crmdesk.api.exchange_text`, which the inspector and exports share.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange, facts_of, full_text, request_text, response_text, title_of


class ExchangeWindow(QWidget):
    """A non-modal window with the request above and the reply below, both as raw text."""

    def __init__(self, exchange: Exchange, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Exchange — {exchange.method} {exchange.outcome}")
        self.exchange = exchange
        self.heading = QLabel(
            f"<b>{escape(title_of(exchange))}</b><br>{escape(facts_of(exchange))}"
        )
        self.heading.setWordWrap(True)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.request = _raw_text(request_text(exchange), "Request")
        self.response = _raw_text(response_text(exchange), "Response")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(_titled("Request", self.request))
        split.addWidget(_titled("Response", self.response))
        split.setSizes([200, 360])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton("Copy all", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.close)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(split, 1)
        column.addWidget(buttons)
        self.resize(820, 620)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(full_text(self.exchange))


def _raw_text(text: str, name: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setAccessibleName(name)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


def _titled(title: str, body: QWidget) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(QLabel(f"<b>{title}</b>"))
    column.addWidget(body)
    return box
