"""EntityBrowser: one entity of one connection, a page at a time: filtered, sorted and paged by
the server where the API can, by crmdesk over the fetched records where it cannot, or one
record opened by its id."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QKeySequence, QShortcut
from PySide6.QtWidgets import QToolTip, QVBoxLayout, QWidget

from crmdesk.api import ApiError, EntityInfo, ErrorKind, FieldSpec, Page, SortKey
from crmdesk.exporting import Column, CopyFormat, Criterion, Matches, filter_fields
from crmdesk.ui.browser.columns import ColumnLayout, ColumnsDialog
from crmdesk.ui.browser.copying import copy_selection
from crmdesk.ui.browser.error_banner import ErrorBanner
from crmdesk.ui.browser.export import Exporter
from crmdesk.ui.browser.filter_bar import FilterBar
from crmdesk.ui.browser.finding import Finding
from crmdesk.ui.browser.listing import (
    ListRequest,
    describe_page,
    describe_record,
    empty_text,
    fitting_page_size,
    loading_words,
    page_sizes,
)
from crmdesk.ui.browser.menus import BrowserMenus, popup_cell_menu, popup_header_menu
from crmdesk.ui.browser.page_model import PageModel
from crmdesk.ui.browser.paging_bar import PagingBar
from crmdesk.ui.browser.standard_menus import standard_menus
from crmdesk.ui.browser.table import RecordTable, empty_overlay
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import Op, TaskRunner

# A load this quick never greys the table, so fast paging does not flicker.
_VEIL_DELAY_MS = 250


@dataclass(frozen=True, slots=True)
class _Loaded:
    fields: tuple[FieldSpec, ...]
    page: Page
    matches: Matches | None = None


class EntityBrowser(QWidget):
    """A filter bar, a table of one page, the paging bar below it, and an error banner above
    when a load fails.

    Every load goes through one lane of the task runner, so a newer request cancels the older
    and only the page last asked for is ever shown.
    """

    pageShown = Signal(object)  # Page
    loadFailed = Signal(object)  # ApiError
    navigationChanged = Signal()
    said = Signal(str)  # a sentence for the status bar
    relatedRequested = Signal(str, str)  # entity, record id: open it in that entity's tab

    def __init__(
        self,
        session: ConnectionSession,
        entity: EntityInfo,
        tasks: TaskRunner,
        settings: UiSettings,
        parent: QWidget | None = None,
        *,
        menus: BrowserMenus | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.entity = entity
        self.tasks = tasks
        self._settings = settings
        self._lane = tasks.lane()
        size = fitting_page_size(settings.page_size(session.id, entity.name), entity.max_page_size)
        self._wanted = ListRequest(page_size=size)
        self._shown: Page | None = None
        self._shown_request: ListRequest | None = None
        self._failed_request: ListRequest | None = None
        self._shown_words = ""
        self._filterable: tuple[FieldSpec, ...] | None = None
        self._table_had_focus = False
        self.menus = menus if menus is not None else standard_menus()
        self.finding = Finding(self)

        self.model = PageModel(entity.id_label, entity.id_field, parent=self)
        self.banner = ErrorBanner(self)
        self.filters = FilterBar(self)
        self.table = RecordTable(self.model, self)
        self.columns = ColumnLayout(self.table, self.model, settings, session.id, entity.name)
        self.exporter = Exporter(self)
        self.columns_button = self.filters.add_tool("Columns…", "Show, hide and reorder columns")
        self.export_button = self.filters.add_tool(
            "Export…", "Save every page of this view to CSV, Excel or JSON (Ctrl+E)"
        )
        self.empty = empty_overlay(self.table)
        self.paging = PagingBar(self)
        self.paging.set_page_sizes(page_sizes(entity.max_page_size), size)
        self._veil = QTimer(self, singleShot=True, interval=_VEIL_DELAY_MS)
        self._veil.timeout.connect(self._show_busy)
        self._wire()
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 6, 6, 6)
        column.addWidget(self.banner)
        column.addWidget(self.filters)
        column.addWidget(self.table, 1)
        column.addWidget(self.paging)

    def _wire(self) -> None:
        header = self.table.horizontalHeader()
        header.sectionClicked.connect(self.sort_by_column)
        header.customContextMenuRequested.connect(lambda at: popup_header_menu(self, at))
        self.table.customContextMenuRequested.connect(lambda at: popup_cell_menu(self, at))
        self.table.copyRequested.connect(lambda titles: self.copy_selection(CopyFormat.TSV, titles))
        self.table.escapePressed.connect(self.escape)
        self.table.linkActivated.connect(self.open_related)
        self.paging.firstRequested.connect(self.first_page)
        self.paging.previousRequested.connect(self.previous_page)
        self.paging.nextRequested.connect(self.next_page)
        self.paging.lastRequested.connect(self.last_page)
        self.paging.pageRequested.connect(self.go_to)
        self.paging.pageSizeChosen.connect(self.set_page_size)
        self.paging.cancelRequested.connect(self.cancel_load)
        # Esc anywhere in the browser, also while the greyed table cannot have the focus.
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.escape)
        self.filters.criteriaChanged.connect(self.set_criteria)
        self.filters.findRequested.connect(self.finding.open_by_id)
        self.columns_button.clicked.connect(self.choose_columns)
        self.export_button.clicked.connect(self.exporter.ask)
        self.banner.retryRequested.connect(self.retry)
        self.banner.wait_with(
            self._lane, self.session.governor, self.retry, self.navigationChanged.emit
        )
        self.banner.detailsRequested.connect(self.banner.show_details)

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
    def wanted(self) -> ListRequest:
        """What was last asked for (the page on screen, or the one loading)."""
        return self._wanted

    @property
    def shown_request(self) -> ListRequest | None:
        """What the page on screen was asked with (its filter, sort and page)."""
        return self._shown_request

    @property
    def loading(self) -> bool:
        return self._lane.busy

    def start(self) -> None:
        self._load(self._wanted)

    def refresh(self) -> None:
        self.finding.forget()
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
        last = self._total_pages
        if last is not None and page > last:
            self.paging.say(f"There are only {last:,} pages; showing the last.")
            page = last
        if page != self._wanted.page:
            self._load(self._wanted.at(page))
        else:
            self.paging.show_position(page, last)

    def set_page_size(self, size: int) -> None:
        if size != self._wanted.page_size:
            self._settings.save_page_size(self.session.id, self.entity.name, size)
            self._load(self._wanted.sized(size))

    def sort_by_column(self, column: int) -> None:
        """A header click: the next sort of that column, or why it cannot be sorted (said
        where the user looks: at the header just clicked, and in the paging bar)."""
        spec = self.model.field_at(column)
        if spec is not None and spec.sortable:
            self._load(self._wanted.sorted_by(spec.name))
            return
        QToolTip.showText(QCursor.pos(), self.why_not_sortable(spec), self.table.horizontalHeader())
        self.paging.say(self.why_not_sortable(spec))

    def sort_by(self, field: str | None, *, descending: bool = False) -> None:
        sort = SortKey(field, descending) if field is not None else None
        self._load(replace(self._wanted, page=1, sort=sort))

    def why_not_sortable(self, spec: FieldSpec | None) -> str:
        what = spec.label if spec is not None else self.entity.id_label
        return f"{self.entity.label} cannot be sorted by {what}: the API does not sort by it."

    def set_criteria(self, criteria: tuple[Criterion, ...]) -> None:
        self._load(self._wanted.filtered(criteria))

    def back_to_list(self) -> None:
        """From a record opened by its id back to the list it was opened over."""
        if self._wanted.record_id is not None:
            self._load(self._wanted.finding(None))

    def open_related(self, entity: str, record_id: str) -> None:
        if entity == self.entity.name:
            self._load(self._wanted.finding(record_id))
        else:
            self.relatedRequested.emit(entity, record_id)

    def entity_label(self, name: str) -> str:
        info = self.session.entity(name)
        return info.label if info is not None else name

    def escape(self) -> None:
        """Esc: stop a load in flight, else go back from a record to the list."""
        if self.loading:
            self.cancel_load()
        else:
            self.back_to_list()

    def cancel_load(self) -> None:
        if self.banner.waiting:
            self.banner.cancel_wait()
            return
        if not self.loading:
            return
        self._lane.cancel()
        self._settle_back(self._wanted)
        self.paging.say("Stopped loading.")

    def copy_selection(self, fmt: CopyFormat, with_header: bool = False) -> None:
        copied = copy_selection(self.table, self.model, fmt, with_header=with_header)
        if copied is not None:
            self.said.emit(copied.words)

    def choose_columns(self) -> ColumnsDialog:
        dialog = ColumnsDialog(self.columns, self.entity.label, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def view_columns(self, *, visible_only: bool = True) -> tuple[Column, ...]:
        return self.columns.view(visible_only=visible_only)

    def retry(self) -> None:
        self._load(self._failed_request or self._wanted)

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
        self.columns.save()

    def stop(self) -> None:
        self._lane.cancel()
        self._veil.stop()
        self.paging.stop_wait()

    # -- loading -------------------------------------------------------------------------

    @property
    def _total_pages(self) -> int | None:
        return self._shown.total_pages if self._shown is not None else None

    def _load(self, request: ListRequest) -> None:
        self._wanted = request
        # A new attempt replaces the old failure; a new failure brings the banner back.
        self.banner.clear()
        self.paging.start_wait(loading_words(request, self.entity.label) + "…")
        self.paging.show_position(request.page, self._total_pages)
        self.filters.set_criteria(request.criteria)
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
        if request.record_id is not None:
            record = await backend.get(self.entity.name, request.record_id)
            return _Loaded(fields, Page((record,), 1, request.page_size, 1, 1))
        if not request.filter.local:
            return _Loaded(fields, await backend.list(self.entity.name, request.query()))
        matches = await self.finding.matches(backend, fields, request)
        return _Loaded(fields, matches.page(request.page, request.page_size), matches)

    def _show(self, request: ListRequest, loaded: _Loaded) -> None:
        page = loaded.page
        if not page.records and page.total_pages and page.page > page.total_pages:
            # Fewer pages than when we asked (a smaller list or a bigger page size).
            self._load(request.at(page.total_pages))
            return
        if loaded.fields != self.model.fields:
            self.model.set_fields(loaded.fields)
        if loaded.fields != self._filterable:
            self._filterable = loaded.fields
            self.filters.set_fields(filter_fields(self.entity, loaded.fields))
        self.model.set_page(page)
        self.model.set_sort(page.sort)
        self._shown = page
        self._shown_request = request
        self._failed_request = None
        self.columns.fields_shown()
        self.paging.stop_wait()
        if request.record_id is not None:
            self._shown_words = describe_record(request.record_id, self.entity.label)
        else:
            self._shown_words = describe_page(page, self.model.fields, loaded.matches)
        self.paging.status.setText(self._shown_words)
        self.paging.show_position(page.page, page.total_pages)
        self.filters.set_found(request.record_id)
        self.empty.setText(empty_text(page, self.entity.label, filtered=bool(request.criteria)))
        self.empty.setVisible(not page.records)
        self.banner.clear()
        self._settle()
        self.pageShown.emit(page)

    def _failed(self, request: ListRequest, error: ApiError) -> None:
        self._failed_request = request
        self.banner.show_error(error, loading_words(request, self.entity.label, failed=True))
        self._settle_back(request)
        self.loadFailed.emit(error)

    def _settle_back(self, request: ListRequest) -> None:
        """After a failed or cancelled load, the page on screen is what is wanted again."""
        shown = self._shown
        self.paging.stop_wait()
        if shown is None or self._shown_request is None:
            self._wanted = ListRequest(page_size=request.page_size, sort=request.sort)
            self.paging.status.setText("No page loaded.")
        else:
            self._wanted = self._shown_request
            self.paging.status.setText(self._shown_words)
        self.filters.set_criteria(self._wanted.criteria)
        self.filters.set_found(self._wanted.record_id)
        self.paging.show_position(self._wanted.page, self._total_pages)
        self._settle()

    def _settle(self) -> None:
        self._veil.stop()
        self.table.setEnabled(True)
        if self._table_had_focus:
            self._table_had_focus = False
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.paging.set_busy(False)
        self.paging.set_navigation(
            back=self.can_go_back, forward=self.can_go_forward, last=self.can_go_last
        )
        self.navigationChanged.emit()

    def _show_busy(self) -> None:
        # The old page stays visible, greyed, so the user keeps their place while waiting.
        self._table_had_focus = self._table_had_focus or self.table.hasFocus()
        self.table.setEnabled(False)
        self.paging.set_busy(True)
