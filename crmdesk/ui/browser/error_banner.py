"""ErrorBanner: a failed load said in words above the table, with Details… and Retry.

A load refused for a spent API quota says when the quota resets (counted down while shown)
and, where its owner gave it the means (`wait_with`), offers "Wait and retry" instead of a
Retry that would be refused at once: the wait is counted down in the banner ("Waiting for
the API quota… 1 min 12 s") with a Cancel, then the same load goes again. Once the reset has
passed, Retry is offered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from crmdesk.api import ApiError, RateLimitGovernor
from crmdesk.ui.inspector import show_in_inspector
from crmdesk.ui.quota import QuotaWait, can_wait, quota_sentence, waiting_words
from crmdesk.ui.tasks import Lane

_STYLE = """
ErrorBanner { background: #fdecea; border: 1px solid #e6a3a0; border-radius: 3px; }
ErrorBanner QLabel { color: #5f1a17; }
"""


class ErrorBanner(QFrame):
    """Hidden until `show_error`; says what happened and offers the raw exchange behind it."""

    detailsRequested = Signal()
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.time):
        super().__init__(parent)
        self.setObjectName("ErrorBanner")
        self.setStyleSheet(_STYLE)
        self._clock = clock
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel('<a href="#details">Details…</a>', self)
        self.details.setToolTip("Show the request and the server's reply")
        self.details.linkActivated.connect(lambda _link: self.detailsRequested.emit())
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.clicked.connect(self.retryRequested)
        self.wait_button = QPushButton("Wait and retry", self)
        self.wait_button.setToolTip(
            "Wait until the API quota resets (a countdown you can cancel), then load again"
        )
        self.wait_button.clicked.connect(self.wait_and_retry)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop waiting; nothing is sent")
        self.cancel_button.clicked.connect(self.cancel_wait)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 6, 6)
        row.addWidget(self.message, 1)
        row.addWidget(self.details)
        for button in (self.wait_button, self.retry_button, self.cancel_button):
            row.addWidget(button)
        # While a reset is ahead its "in 3 min 12 s" is kept true, and Retry comes back after.
        self._ticker = QTimer(self, interval=1_000)
        self._ticker.timeout.connect(self._render)
        self.error: ApiError | None = None
        self.doing = ""
        self.waiting_left: float | None = None
        self._quota_wait: QuotaWait | None = None
        self._changed: Callable[[], None] = _nothing
        self.hide()

    def wait_with(
        self,
        lane: Lane,
        governor: Callable[[], RateLimitGovernor | None],
        read_again: Callable[[], None],
        changed: Callable[[], None] = lambda: None,
    ) -> None:
        """Offer "Wait and retry" for a spent quota: wait in `lane` (a new load there ends
        the wait) on the connection's `governor`, then `read_again()`; `changed()` after the
        wait starts or stops (the owner's "is it loading" changed)."""
        self._quota_wait = QuotaWait(
            lane,
            governor,
            on_tick=self.show_waiting,
            read_again=read_again,
            on_gave_up=self.cancel_wait,
        )
        self._changed = changed

    @property
    def waiting(self) -> bool:
        """Whether the owner is waiting for the quota at the banner's request."""
        return self._quota_wait is not None and self._quota_wait.waiting

    def wait_and_retry(self) -> None:
        """Wait for the quota the failed load was refused for, counted down here, with
        Cancel; then the same load again."""
        error, wait = self.error, self._quota_wait
        if error is not None and wait is not None and wait.start(error):
            self.show_waiting(error.seconds_to_retry() or 0)
            self._changed()

    def cancel_wait(self) -> None:
        """Stop waiting (nothing is sent); the error and its choices again."""
        if self._quota_wait is not None:
            self._quota_wait.cancel()
        if self.error is not None and self.waiting_left is not None:
            self.show_error(self.error, self.doing)
        self._changed()

    def show_error(self, error: ApiError, doing: str) -> None:
        self.error, self.doing, self.waiting_left = error, doing, None
        self._render()
        self.show()

    def show_waiting(self, seconds_left: float) -> None:
        """The countdown of a wait for the quota (called about once a second while it lasts)."""
        if self.error is not None:
            self.waiting_left = seconds_left
            self._render()

    def show_details(self) -> None:
        """The request and the reply behind the failure, in the window's inspector."""
        error = self.error
        if error is not None and error.exchange is not None:
            show_in_inspector(self, error.exchange)

    def clear(self) -> None:
        self.error = None
        self.waiting_left = None
        self._ticker.stop()
        self.hide()

    def _render(self) -> None:
        error = self.error
        if error is None:
            return
        waiting = self.waiting_left is not None
        offered = self._quota_wait is not None
        quota = not waiting and can_wait(error, self._clock())
        if self.waiting_left is not None:
            head = f"<b>{escape(self.doing)}:</b> "
            words = f"{waiting_words(self.waiting_left)}, then it is tried again."
        else:
            head = f"<b>{escape(self.doing)} failed.</b> "
            words = quota_sentence(error, self._clock())
        self.message.setText(head + escape(words))
        self.details.setVisible(error.exchange is not None)
        self.wait_button.setVisible(quota and offered)
        self.retry_button.setVisible(not (quota and offered) and not waiting)
        self.cancel_button.setVisible(waiting)
        if quota:
            self._ticker.start()
        else:
            self._ticker.stop()


def _nothing() -> None:
    pass
