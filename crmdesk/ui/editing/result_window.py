"""ResultWindow: what one action, create or delete did, in words, with its exchange and, where
it made a record, the way to open it.

A write whose answer was lost is said as what reading the server found: applied, not applied
or unknown. It offers "Check again" (another look, never a write) and offers "Retry…" only
once a check the person asked for says the write was not done or that the server refuses a
repeat (`RecordResult.retry_safe`); a Retry goes through the same questions as the first
time (an order's price again), so nothing is ever done twice behind the person's back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from crmdesk.api import ApiError
from crmdesk.api import Outcome as Found
from crmdesk.editing import Outcome, RecordResult
from crmdesk.ui.inspector import show_in_inspector
from crmdesk.ui.tasks import Op, TaskRunner

# After the server's own words, which say what was queued (and often when it appears).
QUEUED_NOTE = (
    "Until {server} has made it, it has no id and cannot be opened; refresh the list later "
    "to see it."
)
# Said of a write whose answer was lost, after what the check found.
NOT_RESENT = "crmdesk sends nothing again by itself."
RETRY_AFTER_CHECK = "Check again before retrying: a write still on its way can land a moment later."
RETRY_OFFERED = (
    "A check you asked for says doing it again is safe: Retry asks what the first time asked."
)
LOOK_YOURSELF = (
    "crmdesk cannot tell from the server; look at the record (or the account's orders) "
    "before doing it again."
)
_WORDS = {
    Outcome.SAVED: "done",
    Outcome.FAILED: "failed",
    Outcome.NOT_SENT: "not sent",
    Outcome.UNKNOWN: "outcome unknown",
    Outcome.QUEUED: "queued",
}
_FOUND = {Found.APPLIED: "applied", Found.NOT_APPLIED: "not applied", Found.UNKNOWN: "unknown"}
_COLORS = {Outcome.FAILED: "#b71c1c", Outcome.UNKNOWN: "#8a5a00", Outcome.NOT_SENT: "#6b6b6b"}

Checker = Callable[[RecordResult], Awaitable[RecordResult]]


def heading_words(result: RecordResult) -> str:
    """ "done", "failed"…; for a write whose answer was lost, what the check found:
    "applied (checked)", "not applied, as far as the server shows", "outcome unknown"."""
    check = result.check
    if result.write is None or check is None:
        return _WORDS[result.outcome]
    if result.outcome is Outcome.SAVED:
        return "applied (checked on the server)"
    if check.outcome is Found.NOT_APPLIED:
        return "not applied, as far as the server shows"
    return "outcome unknown"


class ResultWindow(QDialog):
    """Non-modal: the user reads it while they go on working, and closes it when done.

    `checker` looks again at a write whose answer was lost (`crmdesk.editing.check_again` on
    the connection) and runs on `tasks`; `on_checked` hears what it found (a create found
    made: its form becomes the record); `on_retry` sends the write again, asking first.
    """

    def __init__(
        self,
        title: str,
        result: RecordResult,
        parent: QWidget | None = None,
        *,
        open_label: str = "",
        on_open: Callable[[], None] | None = None,
        server: str = "",
        checker: Checker | None = None,
        tasks: TaskRunner | None = None,
        on_retry: Callable[[RecordResult], None] | None = None,
        on_checked: Callable[[RecordResult], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resultWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setWindowTitle(title)
        self._title, self._server = title, server or "the server"
        self._checker, self._tasks, self._on_retry = checker, tasks, on_retry
        self._on_checked = on_checked
        self.heading = QLabel(self)
        self.heading.setObjectName("heading")
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        self.open_button = None
        if on_open is not None and result.outcome is Outcome.SAVED:
            self.open_button = buttons.addButton(open_label, QDialogButtonBox.ButtonRole.ActionRole)
            self.open_button.setObjectName("open")
            self.open_button.setDefault(True)
            self.open_button.clicked.connect(lambda: (on_open(), self.close()))
        self.check_button = self._button(buttons, "Check again", "checkAgain", self.check_again)
        self.check_button.setToolTip("Read the server once more to see what became of it")
        self.retry_button = self._button(buttons, "Retry", "retry", self.retry)
        self.details_button = buttons.addButton("Details…", QDialogButtonBox.ButtonRole.HelpRole)
        self.details_button.setObjectName("details")
        self.details_button.setToolTip("Show the request and the server's reply")
        self.details_button.clicked.connect(self.show_details)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.message)
        column.addWidget(buttons)
        self.setMinimumWidth(460)
        self.show_result(result)

    def _button(
        self, box: QDialogButtonBox, text: str, name: str, slot: Callable[[], object]
    ) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def show_result(self, result: RecordResult) -> None:
        """Say `result` (the first one, or what a check again found)."""
        self.record_result = result
        self.exchange = result.exchange or (result.error.exchange if result.error else None)
        outcome = result.outcome
        color = _COLORS.get(outcome, "#000000")
        self.heading.setText(
            f'<b style="color:{color}">{escape(self._title)}: {heading_words(result)}.</b>'
        )
        words = escape(result.message)
        note = self._note(result)
        if note:
            words += "<br><br>" + escape(note)
        self.message.setText(words)
        ambiguous = result.write is not None and outcome is Outcome.UNKNOWN
        self.check_button.setVisible(ambiguous and self._checker is not None)
        self.check_button.setEnabled(True)
        self.check_button.setText("Check again")
        self.retry_button.setVisible(result.retry_safe and self._on_retry is not None)
        self.details_button.setEnabled(self.exchange is not None)

    def _note(self, result: RecordResult) -> str:
        if result.outcome is Outcome.QUEUED:
            return QUEUED_NOTE.format(server=self._server)
        if result.outcome is not Outcome.UNKNOWN:
            return ""
        if result.retry_safe:
            return f"{NOT_RESENT} {RETRY_OFFERED}"
        check = result.check
        if check is not None and check.outcome is Found.UNKNOWN and not check.safe_to_retry:
            return f"{NOT_RESENT} {LOOK_YOURSELF}"
        return f"{NOT_RESENT} {RETRY_AFTER_CHECK}"

    def check_again(self) -> None:
        """Look at the server once more (reading only); the window then says what it found."""
        checker, tasks = self._checker, self._tasks
        if checker is None or tasks is None:
            return
        self.check_button.setEnabled(False)
        self.check_button.setText("Checking…")
        result = self.record_result
        Op(lambda: checker(result), name="check again").success(self._checked).failure(
            self._check_failed
        ).run(tasks)

    def _checked(self, result: RecordResult) -> None:
        self.show_result(result)
        if self._on_checked is not None:
            self._on_checked(result)

    def _check_failed(self, error: ApiError) -> None:
        self.show_result(self.record_result)
        self.message.setText(
            self.message.text() + "<br><br>" + escape(f"Checking failed: {error.summary}")
        )

    def retry(self) -> None:
        """Do it again, through the same questions as the first time; this window closes."""
        if self._on_retry is not None and self.record_result.retry_safe:
            self._on_retry(self.record_result)
            self.close()

    def show_details(self) -> None:
        if self.exchange is None:
            return
        show_in_inspector(self, self.exchange)
