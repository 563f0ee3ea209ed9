"""PagingBar: first/previous/next/last, where we are in words, go-to-page and page size."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QToolButton,
    QWidget,
)

# A spin box needs some maximum before the server has said how many pages there are.
_UNKNOWN_MAX_PAGE = 999_999


class PagingBar(QWidget):
    """Asks for pages; the browser decides what is possible and what it says."""

    firstRequested = Signal()
    previousRequested = Signal()
    nextRequested = Signal()
    lastRequested = Signal()
    pageRequested = Signal(int)
    pageSizeChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_button = _button("|◀", "First page (Alt+Home)", self.firstRequested)
        self.previous_button = _button("◀", "Previous page (Alt+Left)", self.previousRequested)
        self.next_button = _button("▶", "Next page (Alt+Right)", self.nextRequested)
        self.last_button = _button("▶|", "Last page (Alt+End)", self.lastRequested)
        self.status = QLabel("", self)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setFixedWidth(72)
        self.busy.setMaximumHeight(12)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Loading")
        self.busy.hide()
        self.page_box = QSpinBox(self)
        self.page_box.setKeyboardTracking(False)
        self.page_box.setRange(1, 1)
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
        for button in (self.first_button, self.previous_button):
            row.addWidget(button)
        row.addSpacing(6)
        row.addWidget(self.status)
        row.addSpacing(6)
        for button in (self.next_button, self.last_button):
            row.addWidget(button)
        row.addSpacing(12)
        row.addWidget(self.busy)
        row.addStretch(1)
        row.addWidget(_label("Go to page", self.page_box))
        row.addWidget(self.page_box)
        row.addSpacing(12)
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
            self.page_box.setRange(1, total_pages or _UNKNOWN_MAX_PAGE)
            self.page_box.setValue(page)
            self.page_box.setSuffix(f" of {total_pages:,}" if total_pages else "")

    def set_navigation(self, *, back: bool, forward: bool, last: bool) -> None:
        self.first_button.setEnabled(back)
        self.previous_button.setEnabled(back)
        self.next_button.setEnabled(forward)
        self.last_button.setEnabled(last)

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)

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
