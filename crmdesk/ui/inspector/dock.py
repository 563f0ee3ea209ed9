"""InspectorDock: every call crmdesk makes, live and from history, seen exactly.

The list on the left (filters above, the history's state and the tools below), the selected
call on the right. It is the one place a raw exchange is shown: an error anywhere in the
window opens its call here (`show_exchange`), and a record's calls are one click from the
browser (`follow_record`). Sharing, replay, compare and the history settings are `tools`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange
from crmdesk.history import HistoryQuery
from crmdesk.ui.context import UiContext
from crmdesk.ui.inspector.details import ExchangeDetails
from crmdesk.ui.inspector.feed import ExchangeFeed
from crmdesk.ui.inspector.filters import FilterBar
from crmdesk.ui.inspector.model import ExchangeListModel
from crmdesk.ui.inspector.rows import COLUMNS, Column, Row
from crmdesk.ui.inspector.share import Format
from crmdesk.ui.inspector.sources import ExchangeSource
from crmdesk.ui.inspector.tools import InspectorTools
from crmdesk.ui.tasks import Op

if TYPE_CHECKING:
    from crmdesk.ui.browser.menus import CellMenuContext

TITLE = "Inspector — every call, secrets redacted"
_SELECT_ROW = (
    QItemSelectionModel.SelectionFlag.ClearAndSelect
    | QItemSelectionModel.SelectionFlag.Rows
    | QItemSelectionModel.SelectionFlag.Current
)
_WIDTHS = {
    Column.CONNECTION: 160,
    Column.METHOD: 58,
    Column.URL: 290,
    Column.STATUS: 175,
    Column.DURATION: 64,
    Column.SENT: 72,
    Column.RECEIVED: 76,
}


class InspectorDock(QDockWidget):
    """The inspector; `feed` fills its list, `details` shows the current call."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, parent)
        self.setObjectName("inspectorDock")
        self.setAllowedAreas(
            Qt.DockWidgetArea.BottomDockWidgetArea
            | Qt.DockWidgetArea.RightDockWidgetArea
            | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.toggleViewAction().setText("&Inspector")
        self._context = context
        self._details_lane = context.tasks.lane()
        self._chain_lane = context.tasks.lane()
        self.source = ExchangeSource(context.desk)
        self.model = ExchangeListModel(self)
        self.feed = ExchangeFeed(self.source, self.model, context.tasks, self)
        self.filters = FilterBar(lambda: context.connections.profiles, self)
        self.list = _list_view(self.model, self)
        self.details = ExchangeDetails(self)
        self.tools = InspectorTools(self, context)
        self.more_button = QPushButton("Load older", self)
        self.more_button.setObjectName("loadMore")
        self.more_button.setToolTip("The next page of the stored history")
        self.footer = QLabel(self)
        self.footer.setObjectName("inspectorFooter")
        self.footer.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setWidget(self._layout())
        self._wire()
        self.feed.set_query(self.filters.query())

    # -- what the rest of the window asks ----------------------------------------------------

    def show_exchange(self, exchange: Exchange) -> None:
        """Bring the inspector forward with `exchange` selected (an error's call)."""
        self.show()
        self.raise_()
        self.feed.reveal(exchange)
        self.select(exchange.id)

    def follow_record(self, connection_id: str, record_id: str) -> None:
        """Only the calls of one connection that touched `record_id` (in a URL or a body)."""
        try:
            name = self._context.connections.profile(connection_id).name
        except KeyError:
            name = "this connection"
        self.show()
        self.raise_()
        self.filters.set_record(connection_id, record_id, name)

    def record_menu_item(self, menu: QMenu, cell: CellMenuContext) -> None:
        """A contributor to the browser's cell menus (BrowserMenus): the calls of the record
        right-clicked, here."""
        connection_id, record_id = cell.browser.session.id, cell.record.id
        if record_id:
            action = menu.addAction(
                f"Show calls for {record_id}",
                lambda: self.follow_record(connection_id, record_id),
            )
            action.setObjectName("showRecordCalls")

    def select(self, exchange_id: str) -> bool:
        """Select a listed call (and show it); False when it is not listed."""
        row = self.model.row_of(exchange_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.list.selectionModel().setCurrentIndex(index, _SELECT_ROW)
        self.list.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    def selected_rows(self) -> list[Row]:
        """The selected calls, newest first as listed."""
        rows = sorted({index.row() for index in self.list.selectionModel().selectedRows()})
        return [self.model.row_at(row) for row in rows]

    def current_row(self) -> Row | None:
        index = self.list.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def open_exchange(self, exchange_id: str) -> None:
        """Show a call by id: selected when listed, else in the details only (an attempt of a
        call that the filter leaves out)."""
        if self.select(exchange_id):
            return

        def shown(exchange: Exchange | None) -> None:
            if exchange is not None:
                self.list.clearSelection()
                self._show(exchange, None)

        Op(lambda: self.source.get(exchange_id), name="show a call").success(shown).run_in(
            self._details_lane
        )

    # -- the parts -------------------------------------------------------------------------

    def _layout(self) -> QWidget:
        # One row of tools under both halves: on a 1024-pixel screen the dock has ~850.
        footer = QHBoxLayout()
        footer.addWidget(self.more_button)
        footer.addWidget(self.footer, 2)
        for button in self.tools.buttons():
            footer.addWidget(button, 3 if button is self.tools.notice else 0)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("inspectorSplit")
        split.addWidget(self.list)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([860, 560])
        box = QWidget(self)
        outer = QVBoxLayout(box)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.filters)
        outer.addWidget(split, 1)
        outer.addLayout(footer)
        return box

    def _wire(self) -> None:
        self.filters.changed.connect(self._filtered)
        self.feed.changed.connect(self._update_footer)
        self.more_button.clicked.connect(self.feed.load_more)
        self.list.selectionModel().currentRowChanged.connect(self._current_changed)
        self.list.selectionModel().selectionChanged.connect(self._selection_changed)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.model.rowsInserted.connect(self._rows_inserted)
        self.details.attemptActivated.connect(self.open_exchange)
        self.tools.wire_details(self.details)
        copy = QAction("Copy as curl", self.list)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(lambda: self.tools.copy(Format.CURL))
        self.list.addAction(copy)

    def _filtered(self) -> None:
        self.feed.set_query(self.filters.query())
        shown = self.details.exchange
        if shown is not None and shown.id not in self.model:
            self.details.clear()  # what the filters leave out is not left on show either

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.model.row_at(current.row())
        exchange = self.source.known(row.id)
        if exchange is not None:
            self._details_lane.cancel()
            self._show(exchange, row)
            return

        def fetched(found: Exchange | None) -> None:
            if found is not None:
                self._show(found, self.model.get(found.id))
            else:
                self.details.show_words(
                    "This call is no longer kept: the history was cleaned up within its "
                    "limits, or it is not kept this session."
                )

        Op(lambda: self.source.get(row.id), name="show a call").success(fetched).run_in(
            self._details_lane
        )

    def _show(self, exchange: Exchange, row: Row | None) -> None:
        self.details.show_exchange(exchange, row)
        Op(lambda: self.source.chain(exchange), name="read the attempts of a call").success(
            lambda chain: self._chained(exchange, chain)
        ).run_in(self._chain_lane)

    def _chained(self, exchange: Exchange, chain: object) -> None:
        if self.details.exchange is exchange and isinstance(chain, tuple):
            self.details.show_chain(chain)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self.tools.update(len(self.list.selectionModel().selectedRows()))

    def _context_menu(self, point: QPoint) -> None:
        if not self.list.indexAt(point).isValid():
            return
        menu = QMenu(self.list)
        self.tools.fill_menu(menu)
        menu.popup(self.list.viewport().mapToGlobal(point))

    def _scrolled(self, value: int) -> None:
        bar = self.list.verticalScrollBar()
        if value == bar.maximum() and value > 0 and self.feed.has_more:
            self.feed.load_more()

    def _rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        # New calls go in at the top; someone reading further down keeps their place.
        bar = self.list.verticalScrollBar()
        if first == 0 and bar.value() > 0:
            bar.setValue(bar.value() + last - first + 1)

    def _update_footer(self) -> None:
        listed = self.model.rowCount()
        words = [f"{listed:,} call{'s' if listed != 1 else ''} listed"]
        feed = self.feed
        if self.source.store is None:
            words.append("no history is kept this session")
        elif feed.problem:
            words.append(f"the history could not be searched: {feed.problem}")
        elif feed.stored_total is not None and feed.query != HistoryQuery():
            # Counted when the search ran; calls made since are listed as they come.
            words.append(f"{feed.stored_total:,} stored calls match")
        elif feed.has_more and not feed.loading:
            words.append("older calls are in the history")
        if feed.loading:
            words.append("searching the history…")
        self.footer.setText(" · ".join(words))
        self.footer.setToolTip(self.footer.text())
        self.more_button.setEnabled(feed.has_more and not feed.loading)


def _list_view(model: ExchangeListModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setObjectName("inspectorList")
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.setWordWrap(False)
    view.setAlternatingRowColors(True)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    rows = view.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 6)
    columns = view.horizontalHeader()
    columns.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    columns.setStretchLastSection(True)
    columns.setHighlightSections(False)
    for column, width in _WIDTHS.items():
        view.setColumnWidth(COLUMNS.index(column), width)
    # An older call shows its date: room for that, in this font.
    when = view.fontMetrics().horizontalAdvance("2026-12-31 23:59") + 14
    view.setColumnWidth(COLUMNS.index(Column.TIME), when)
    return view
