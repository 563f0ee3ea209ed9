"""ResultWindow: what one action, create or delete did, in words, with its exchange and, where
it made a record, the way to open it."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from crmdesk.editing import Outcome, RecordResult
from crmdesk.ui.editing.results import UNKNOWN_NOTE
from crmdesk.ui.inspector import show_in_inspector

# After the server's own words, which say what was queued (and often when it appears).
QUEUED_NOTE = (
    "Until {server} has made it, it has no id and cannot be opened; refresh the list later "
    "to see it."
)
_WORDS = {
    Outcome.SAVED: "done",
    Outcome.FAILED: "failed",
    Outcome.NOT_SENT: "not sent",
    Outcome.UNKNOWN: "outcome unknown",
    Outcome.QUEUED: "queued",
}
_COLORS = {Outcome.FAILED: "#b71c1c", Outcome.UNKNOWN: "#8a5a00", Outcome.NOT_SENT: "#6b6b6b"}


class ResultWindow(QDialog):
    """Non-modal: the user reads it while they go on working, and closes it when done."""

    def __init__(
        self,
        title: str,
        result: RecordResult,
        parent: QWidget | None = None,
        *,
        open_label: str = "",
        on_open: Callable[[], None] | None = None,
        server: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resultWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowTitle(title)
        self.record_result = result
        self.exchange = result.exchange or (result.error.exchange if result.error else None)
        outcome = result.outcome
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        color = _COLORS.get(outcome, "#000000")
        self.heading.setText(f'<b style="color:{color}">{escape(title)}: {_WORDS[outcome]}.</b>')
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        words = escape(result.message)
        if outcome is Outcome.QUEUED:
            name = server or "the server"
            words += "<br><br>" + escape(QUEUED_NOTE.format(server=name))
        elif outcome is Outcome.UNKNOWN:
            words += "<br><br>" + escape(UNKNOWN_NOTE)
        self.message.setText(words)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        self.open_button = None
        if on_open is not None and outcome is Outcome.SAVED:
            self.open_button = buttons.addButton(open_label, QDialogButtonBox.ButtonRole.ActionRole)
            self.open_button.setObjectName("open")
            self.open_button.setDefault(True)
            self.open_button.clicked.connect(lambda: (on_open(), self.close()))
        self.details_button = buttons.addButton("Details…", QDialogButtonBox.ButtonRole.HelpRole)
        self.details_button.setObjectName("details")
        self.details_button.setToolTip("Show the request and the server's reply")
        self.details_button.setEnabled(self.exchange is not None)
        self.details_button.clicked.connect(self.show_details)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.message)
        column.addWidget(buttons)
        self.setMinimumWidth(460)

    def show_details(self) -> None:
        if self.exchange is None:
            return
        show_in_inspector(self, self.exchange)
