"""EntityBrowser: one entity of one connection, a page at a time, paged and sorted by the server."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import ApiError, EntityInfo, ErrorKind, FieldSpec, Page
from crmdesk.ui.browser.error_banner import ErrorBanner
from crmdesk.ui.browser.listing import (
    ListRequest,
    describe_page,
    empty_text,
    fitting_page_size,
    page_sizes,
)
from crmdesk.ui.browser.page_model import PageModel
from crmdesk.ui.browser.paging_bar import PagingBar
from crmdesk.ui.inspector import show_in_inspector
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import Op, TaskRunner

# A load this quick never greys the table, so fast paging does not flicker.
_VEIL_DELAY_MS = 250
# Columns sized from the first page are capped so one long value cannot push the rest away.
_MAX_SAMPLED_WIDTH = 320
_SAMPLE_SLACK = 16


@dataclass(frozen=True, slots=True)
class _Loaded:
    fields: tuple[FieldSpec, ...]
    page: Page


class EntityBrowser(QWidget):
    """A table of one page, the paging bar below it, and an error banner above when a load fails.

    Every load goes through one lane of the task runner, so a newer request cancels the older
    and only the page last asked for is ever shown.
    """

    pageShown = Signal(object)  # Page
    loadFailed = Signal(object)  # ApiError
    navigationChanged = Signal()

    def __init__(
        self,
        session: ConnectionSession,
        entity: EntityInfo,
        tasks: TaskRunner,
        settings: UiSettings,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.entity = entity
        self._settings = settings
        self._lane = tasks.lane()
        size = fitting_page_size(settings.page_size(session.id, entity.name), entity.max_page_size)
        self._wanted = ListRequest(page_size=size)
        self._shown: Page | None = None
        self._failed_request: ListRequest | None = None
        self._columns_sized = False

        self.model = PageModel(entity.id_label, entity.id_field, parent=self)
        self.banner = ErrorBanner(self)
        self.table = _table(self.model, self)
        self.empty = _empty_label(self.table)
        self.paging = PagingBar(self)
        self.paging.set_page_sizes(page_sizes(entity.max_page_size), size)
        self._veil = QTimer(self, singleShot=True, interval=_VEIL_DELAY_MS)
        self._veil.timeout.connect(self._show_busy)
        self._wire()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.banner)
        column.addWidget(self.table, 1)
        column.addWidget(self.paging)

    def _wire(self) -> None:
        self.table.horizontalHeader().sectionClicked.connect(self.sort_by_column)
        self.paging.firstRequested.connect(self.first_page)
        self.paging.previousRequested.connect(self.previous_page)
        self.paging.nextRequested.connect(self.next_page)
        self.paging.lastRequested.connect(self.last_page)
        self.paging.pageRequested.connect(self.go_to)
        self.paging.pageSizeChosen.connect(self.set_page_size)
        self.banner.retryRequested.connect(self.retry)
        self.banner.detailsRequested.connect(self.show_error_details)

    # -- what the user (or a main action) asks for -------------------------------------------

    @property
    def key(self) -> tuple[str, str]:
        return (self.session.id, self.entity.name)

    @property
    def title(self) -> str:
        return f"{self.entity.label} · {self.session.name}"

    @property
    def shown_page(self) -> Page | None:
        return self._shown

    @property
    def loading(self) -> bool:
        return self._lane.busy

    def start(self) -> None:
        self._load(self._wanted)

    def refresh(self) -> None:
        self._load(self._wanted)

    def first_page(self) -> None:
        if self.can_go_back:
            self._load(self._wanted.at(1))

    def previous_page(self) -> None:
        if self.can_go_back:
            self._load(self._wanted.at(self._wanted.page - 1))

    def next_page(self) -> None:
        if self.can_go_forward:
            self._load(self._wanted.at(self._wanted.page + 1))

    def last_page(self) -> None:
        if self.can_go_last and self._total_pages is not None:
            self._load(self._wanted.at(self._total_pages))

    def go_to(self, page: int) -> None:
        if page != self._wanted.page:
            self._load(self._wanted.at(page))

    def set_page_size(self, size: int) -> None:
        if size != self._wanted.page_size:
            self._settings.save_page_size(self.session.id, self.entity.name, size)
            self._load(self._wanted.sized(size))

    def sort_by_column(self, column: int) -> None:
        # The header flipped its own indicator on the click; it must keep describing the page
        # on screen until the sorted page arrives.
        self._show_sort_indicator()
        spec = self.model.field_at(column)
        if spec is not None and spec.sortable:
            self._load(self._wanted.sorted_by(spec.name))

    def retry(self) -> None:
        self._load(self._failed_request or self._wanted)

    def show_error_details(self) -> None:
        error = self.banner.error
        if error is None or error.exchange is None:
            return
        show_in_inspector(self, error.exchange)

    @property
    def can_go_back(self) -> bool:
        return self._wanted.page > 1

    @property
    def can_go_forward(self) -> bool:
        if self._total_pages is not None:
            return self._wanted.page < self._total_pages
        return self._shown is not None and not self._shown.is_last

    @property
    def can_go_last(self) -> bool:
        return self._total_pages is not None and self._wanted.page < self._total_pages

    def save_state(self) -> None:
        if self._columns_sized:
            state = self.table.horizontalHeader().saveState()
            self._settings.save_header_state(self.session.id, self.entity.name, state)

    def stop(self) -> None:
        self._lane.cancel()
        self._veil.stop()

    # -- loading -------------------------------------------------------------------------

    @property
    def _total_pages(self) -> int | None:
        return self._shown.total_pages if self._shown is not None else None

    def _load(self, request: ListRequest) -> None:
        self._wanted = request
        # A new attempt replaces the old failure; a new failure brings the banner back.
        self.banner.clear()
        self.paging.status.setText(f"Loading page {request.page:,}…")
        self.paging.show_position(request.page, self._total_pages)
        self._veil.start()
        self.navigationChanged.emit()
        Op(lambda: self._fetch(request), name=f"load {self.title} page {request.page}").success(
            lambda loaded: self._show(request, loaded)
        ).failure(lambda error: self._failed(request, error)).run_in(self._lane)

    async def _fetch(self, request: ListRequest) -> _Loaded:
        backend = self.session.backend
        if backend is None:
            raise ApiError(ErrorKind.TRANSPORT, f"{self.session.name} is not connected.")
        fields = await backend.fields(self.entity.name)
        page = await backend.list(self.entity.name, request.query())
        return _Loaded(fields, page)

    def _show(self, request: ListRequest, loaded: _Loaded) -> None:
        page = loaded.page
        if not page.records and page.total_pages and page.page > page.total_pages:
            # Fewer pages than when we asked (a smaller list or a bigger page size).
            self._load(request.at(page.total_pages))
            return
        if loaded.fields != self.model.fields:
            self.model.set_fields(loaded.fields)
        self.model.set_page(page)
        self._shown = page
        self._failed_request = None
        self._size_columns_once()
        self._show_sort_indicator()
        self.paging.status.setText(describe_page(page, self.model.fields))
        self.paging.show_position(page.page, page.total_pages)
        self.empty.setText(empty_text(page, self.entity.label))
        self.empty.setVisible(not page.records)
        self.banner.clear()
        self._settle()
        self.pageShown.emit(page)

    def _failed(self, request: ListRequest, error: ApiError) -> None:
        self._failed_request = request
        self.banner.show_error(error, f"Loading page {request.page:,} of {self.entity.label}")
        shown = self._shown
        if shown is None:
            self._wanted = ListRequest(page_size=request.page_size, sort=request.sort)
            self.paging.status.setText("No page loaded.")
        else:
            self._wanted = ListRequest(shown.page, shown.page_size, shown.sort)
            self.paging.status.setText(describe_page(shown, self.model.fields))
        self.paging.show_position(self._wanted.page, self._total_pages)
        self._settle()
        self.loadFailed.emit(error)

    def _settle(self) -> None:
        self._veil.stop()
        self.table.setEnabled(True)
        self.paging.set_busy(False)
        self.paging.set_navigation(
            back=self.can_go_back, forward=self.can_go_forward, last=self.can_go_last
        )
        self.navigationChanged.emit()

    def _show_busy(self) -> None:
        # The old page stays visible, greyed, so the user keeps their place while waiting.
        self.table.setEnabled(False)
        self.paging.set_busy(True)

    def _show_sort_indicator(self) -> None:
        header = self.table.horizontalHeader()
        sort = self._shown.sort if self._shown is not None else None
        column = self.model.column_of(sort.field) if sort is not None else -1
        descending = sort is not None and sort.descending
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)

    def _size_columns_once(self) -> None:
        if self._columns_sized or self.model.columnCount() == 0:
            return
        self._columns_sized = True
        header = self.table.horizontalHeader()
        saved = self._settings.header_state(self.session.id, self.entity.name)
        if saved is not None and header.restoreState(saved):
            return
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            # Some slack: later pages hold values a little longer than the sampled ones.
            width = header.sectionSize(column) + _SAMPLE_SLACK
            header.resizeSection(column, min(width, _MAX_SAMPLED_WIDTH))


def _table(model: PageModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName("Records")
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setSortingEnabled(False)  # sorting is the server's job; header clicks ask for it
    header = table.horizontalHeader()
    header.setSectionsClickable(True)
    header.setSortIndicatorShown(True)
    header.setSectionsMovable(True)
    header.setHighlightSections(False)
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setResizeContentsPrecision(100)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    rows = table.verticalHeader()
    # Fixed height and no ResizeToContents: the measured difference is seconds (B7).
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    rows.hide()
    return table


def _empty_label(table: QTableView) -> QLabel:
    label = QLabel(table.viewport())
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("color: palette(mid); font-size: 13pt;")
    column = QVBoxLayout(table.viewport())
    column.addWidget(label)
    label.hide()
    return label
