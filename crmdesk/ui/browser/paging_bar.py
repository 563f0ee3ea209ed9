"""PagingBar: first/previous/next/last, where we are in words, go-to-page and page size.

The four buttons sit together on the left, so they never move when the words beside them get
longer; the words are cut with "…" (in full on hover) rather than widen the window. A load
that takes long shows how long so far and a Cancel (Esc) after `SLOW_LOAD_MS`.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QSignalBlocker, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QWidget,
)

from crmdesk.ui.elided import ElidedLabel

# A spin box needs some maximum before the server has said how many pages there are; the
# browser, not the box, decides what a number past the last page means.
_MAX_PAGE = 999_999
SLOW_LOAD_MS = 2_000
NOTICE_MS = 8_000


class PagingBar(QWidget):
    """Asks for pages; the browser decides what is possible and what it says."""

    firstRequested = Signal()
    previousRequested = Signal()
    nextRequested = Signal()
    lastRequested = Signal()
    pageRequested = Signal(int)
    pageSizeChosen = Signal(int)
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_button = _button("|◀", "First page (Alt+Home)", self.firstRequested)
        self.previous_button = _button("◀", "Previous page (Alt+Left)", self.previousRequested)
        self.next_button = _button("▶", "Next page (Alt+Right)", self.nextRequested)
        self.last_button = _button("▶|", "Last page (Alt+End)", self.lastRequested)
        self.status = ElidedLabel("", self)
        self.status.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.notice = ElidedLabel("", self)
        self.notice.setObjectName("pagingNotice")
        self.notice.setStyleSheet("#pagingNotice { color: #8a4b00; font-weight: bold; }")
        self.notice.hide()
        self._notice_timer = QTimer(self, singleShot=True, interval=NOTICE_MS)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(72)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Loading")
        self.busy.hide()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setToolTip("Stop waiting for this page (Esc)")
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.cancel_button.hide()
        self._waiting = ""
        self._started = 0.0
        self._tick = QTimer(self, interval=1_000)
        self._tick.timeout.connect(self._show_elapsed)
        self.page_box = QSpinBox(self)
        self.page_box.setKeyboardTracking(False)
        self.page_box.setRange(1, _MAX_PAGE)
        self.page_box.setAccessibleName("Go to page")
        self.page_box.setToolTip("Type a page number and press Enter")
        self.page_box.valueChanged.connect(self.pageRequested)
        self.size_box = QComboBox(self)
        self.size_box.setAccessibleName("Records per page")
        self.size_box.activated.connect(self._size_chosen)
        self._lay_out()

    def _lay_out(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 0)
        for button in (self.first_button, self.previous_button, self.next_button):
            row.addWidget(button)
        row.addWidget(self.last_button)
        row.addSpacing(8)
        row.addWidget(self.status, 3)
        row.addWidget(self.notice, 2)
        row.addWidget(self.busy)
        row.addWidget(self.cancel_button)
        row.addSpacing(8)
        row.addWidget(_label("Go to page", self.page_box))
        row.addWidget(self.page_box)
        row.addSpacing(8)
        row.addWidget(_label("Per page", self.size_box))
        row.addWidget(self.size_box)

    def set_page_sizes(self, sizes: tuple[int, ...], current: int) -> None:
        with QSignalBlocker(self.size_box):
            self.size_box.clear()
            for size in sizes:
                self.size_box.addItem(f"{size:,}", size)
            self.size_box.setCurrentIndex(max(0, self.size_box.findData(current)))

    def show_position(self, page: int, total_pages: int | None) -> None:
        """Put the go-to box on `page` without asking for it again."""
        with QSignalBlocker(self.page_box):
            self.page_box.setValue(page)
            self.page_box.setSuffix(f" of {total_pages:,}" if total_pages else "")

    def set_navigation(self, *, back: bool, forward: bool, last: bool) -> None:
        self.first_button.setEnabled(back)
        self.previous_button.setEnabled(back)
        self.next_button.setEnabled(forward)
        self.last_button.setEnabled(last)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy and not self.cancel_button.isVisible())

    def say(self, text: str) -> None:
        """A note beside the position for a few seconds (why a click did not do what it
        might have: a column the API cannot sort by, a page past the last)."""
        self.notice.setText(text)
        self.notice.show()
        self._notice_timer.start()

    # -- a load in flight --------------------------------------------------------------------

    def start_wait(self, text: str) -> None:
        """Say what is loading; after SLOW_LOAD_MS, how long it has taken and a Cancel."""
        self._waiting = text
        self._started = time.monotonic()
        self.status.setText(text)
        self._tick.start()

    def update_wait(self, text: str) -> None:
        """New words for the load in flight (how far a search over fetched records is)."""
        self._waiting = text
        self._show_elapsed(always=True)

    def stop_wait(self) -> None:
        self._waiting = ""
        self._tick.stop()
        self.cancel_button.hide()

    @property
    def waiting(self) -> bool:
        return bool(self._waiting)

    def _show_elapsed(self, *, always: bool = False) -> None:
        elapsed = time.monotonic() - self._started
        if elapsed * 1000 < SLOW_LOAD_MS:
            if always:
                self.status.setText(self._waiting)
            return
        self.status.setText(f"{self._waiting} {elapsed:.0f} s")
        # The seconds and Cancel say it is still going; the moving bar's room goes to them.
        self.busy.hide()
        self.cancel_button.show()

    def _size_chosen(self, index: int) -> None:
        self.pageSizeChosen.emit(int(self.size_box.itemData(index)))


def _button(text: str, tip: str, signal: SignalInstance) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(tip.split(" (")[0])
    button.setAutoRaise(False)
    button.clicked.connect(signal)
    return button


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
