"""RecordTable: the grid of one page, with the habits of a spreadsheet.

Cells are selected like a spreadsheet's (click, Shift, Ctrl); Ctrl+C copies the selection as
TSV and Ctrl+Shift+C with the column titles; Tab leaves the grid for the next control; the
cell with the keyboard focus has a frame you can see; a related record's id is drawn as a
link and opened with Ctrl+click; a cut-off cell shows its whole text on hover.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QHelpEvent, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from crmdesk.ui.browser.page_model import LINK_ROLE, PageModel

Index = QModelIndex | QPersistentModelIndex
_FOCUS = "#1a73e8"


class CellDelegate(QStyledItemDelegate):
    """Shows a tooltip only where it adds something.

    Overrides `helpEvent` only (the whole text when the cell elides it, and always the extra
    lines a date's or a link's tooltip carries). Painting stays Qt's: a Python `paint` runs
    for every visible cell of every page and was measured to double the time a page takes;
    links are drawn from the model's font and colour roles, the focus frame by a style rule.
    """

    def helpEvent(
        self, event: QHelpEvent, view: QAbstractItemView, option: QStyleOptionViewItem, index: Index
    ) -> bool:
        """Overrides QStyledItemDelegate.helpEvent: a tooltip only for cut-off text, dates and
        links, not for every cell the mouse passes."""
        if event.type() != QEvent.Type.ToolTip or not index.isValid():
            return super().helpEvent(event, view, option, index)
        tip = index.data(Qt.ItemDataRole.ToolTipRole)
        shown = index.data(Qt.ItemDataRole.DisplayRole) or ""
        if not tip:
            QToolTip.hideText()
            return True
        if tip == shown:
            width = option.rect.width() - 2 * _margin(view)
            if option.fontMetrics.horizontalAdvance(shown) <= width:
                QToolTip.hideText()
                return True
        QToolTip.showText(event.globalPos(), tip, view)
        return True


def _margin(view: QWidget) -> int:
    return view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1


class RecordTable(QTableView):
    """The grid. Emits what the browser acts on; it never asks the server anything itself.

    Overrides `keyPressEvent` (copy keys and Esc), `mousePressEvent` (Ctrl+click on a
    link) and `paintEvent` (what `paint_over` draws over the cells).
    """

    copyRequested = Signal(bool)  # with the column titles
    escapePressed = Signal()
    linkActivated = Signal(str, str)  # entity, record id

    def __init__(self, model: PageModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Drawn over the painted cells once a paint, given the painter and the area painted
        # (record editing's marks of changed cells); None draws nothing more.
        self.paint_over: Callable[[QPainter, QRect], None] | None = None
        self.setModel(model)
        self.setItemDelegate(CellDelegate(self))
        # The cell with the keyboard focus must be findable at a glance (Fusion's dotted
        # frame is not); a selected cell keeps its highlight.
        self.setStyleSheet(f"RecordTable::item:focus {{ border: 2px solid {_FOCUS}; }}")
        self.setAccessibleName("Records")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Tab moves on to the next control, as everywhere else in the window.
        self.setTabKeyNavigation(False)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setSortingEnabled(False)  # sorting is the server's job; header clicks ask for it
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        # The sort arrow is in the column title (PageModel), as in the paging bar's words.
        header.setSortIndicatorShown(False)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(100)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        rows = self.verticalHeader()
        # Fixed height and no ResizeToContents: the measured difference is seconds (B7).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        rows.hide()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Overrides QAbstractItemView.keyPressEvent: Ctrl+C copies the whole selection (Qt's
        own copies one cell), Ctrl+Shift+C with titles, Esc is the browser's."""
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit(False)
            return
        shift_copy = QKeySequence(Qt.Modifier.CTRL | Qt.Modifier.SHIFT | Qt.Key.Key_C)
        if QKeySequence(event.keyCombination()) == shift_copy:
            self.copyRequested.emit(True)
            return
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.escapePressed.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Overrides QTableView.paintEvent: the cells as Qt paints them, then `paint_over`."""
        super().paintEvent(event)
        if self.paint_over is None:
            return
        painter = QPainter(self.viewport())
        try:
            self.paint_over(painter, event.rect())
        finally:
            painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Overrides QAbstractItemView.mousePressEvent: Ctrl+click on a link opens it."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            index = self.indexAt(event.position().toPoint())
            link = index.data(LINK_ROLE) if index.isValid() else None
            if link is not None:
                self.linkActivated.emit(*link)
                event.accept()
                return
        super().mousePressEvent(event)


def empty_overlay(table: QTableView) -> QLabel:
    """A sentence across an empty grid ("There are no leads yet."), hidden until set."""
    label = QLabel(table.viewport())
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: palette(mid); font-size: 13pt;")
    column = QVBoxLayout(table.viewport())
    column.addWidget(label)
    label.hide()
    return label
