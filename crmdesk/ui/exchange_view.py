"""ExchangeWindow: one HTTP round trip shown raw (already redacted), in a window of its own.

The text builders are plain functions so the inspector dock can show exchanges the same way.
"""

from __future__ import annotations

import datetime as dt
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

from crmdesk.api import Exchange
from crmdesk.api.exchange import text_of


def title_of(exchange: Exchange) -> str:
    return f"{exchange.method} {exchange.url} → {exchange.outcome}"


def request_text(exchange: Exchange) -> str:
    lines = [f"{exchange.method} {exchange.url}"]
    lines += [f"{name}: {value}" for name, value in exchange.request_headers]
    lines.append("")
    lines.append(text_of(exchange.request_body) if exchange.request_body else "(no body)")
    return "\n".join(lines)


def response_text(exchange: Exchange) -> str:
    if exchange.status is None:
        return f"No reply: {exchange.error or 'the request did not complete.'}"
    lines = [f"HTTP {exchange.status} {exchange.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in exchange.response_headers]
    lines.append("")
    if exchange.response_truncated:
        lines.append(
            f"[Only the first {_size(len(exchange.response_body))} of "
            f"{_size(exchange.response_size)} are kept; the rest is not shown.]"
        )
    lines.append(text_of(exchange.response_body) if exchange.response_body else "(empty body)")
    return "\n".join(lines)


def facts_of(exchange: Exchange) -> str:
    when = dt.datetime.fromtimestamp(exchange.started_at).strftime("%Y-%m-%d %H:%M:%S")
    took = f"{exchange.elapsed_ms:,.0f} ms" if exchange.elapsed_ms is not None else "—"
    facts = [f"Connection: {exchange.connection}", f"Sent {when}", f"took {took}"]
    if exchange.attempt > 1:
        facts.append(f"attempt {exchange.attempt}")
    facts.append("secrets redacted")
    return " · ".join(facts)


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
        text = "\n\n".join(
            (title_of(self.exchange), request_text(self.exchange), response_text(self.exchange))
        )
        QGuiApplication.clipboard().setText(text)


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


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:,.0f} KiB"
    return f"{count / (1024 * 1024):,.1f} MiB"
