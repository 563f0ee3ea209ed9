"""ErrorBanner: a failed load said in words above the table, with Details… and Retry."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from crmdesk.api import ApiError
from crmdesk.ui.inspector import show_in_inspector

_STYLE = """
ErrorBanner { background: #fdecea; border: 1px solid #e6a3a0; border-radius: 3px; }
ErrorBanner QLabel { color: #5f1a17; }
"""


class ErrorBanner(QFrame):
    """Hidden until `show_error`; says what happened and offers the raw exchange behind it."""

    detailsRequested = Signal()
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorBanner")
        self.setStyleSheet(_STYLE)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel('<a href="#details">Details…</a>', self)
        self.details.setToolTip("Show the request and the server's reply")
        self.details.linkActivated.connect(lambda _link: self.detailsRequested.emit())
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.clicked.connect(self.retryRequested)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.message, 1)
        row.addWidget(self.details)
        row.addWidget(self.retry_button)
        self.error: ApiError | None = None
        self.hide()

    def show_error(self, error: ApiError, doing: str) -> None:
        self.error = error
        self.message.setText(f"<b>{escape(doing)} failed.</b> {escape(error.summary)}")
        self.details.setVisible(error.exchange is not None)
        self.show()

    def show_details(self) -> None:
        """The request and the reply behind the failure, in the window's inspector."""
        error = self.error
        if error is not None and error.exchange is not None:
            show_in_inspector(self, error.exchange)

    def clear(self) -> None:
        self.error = None
        self.hide()
