"""ExchangeFeed: what fills the inspector's list. This session's calls as they happen, the
stored history a page at a time behind them, and imports; all through one filter.

The live part is filtered in memory (`crmdesk.history.matches`, the store's own rules), the
history by the store's search; a call in both is listed once. Live calls are gathered for a
moment and inserted together, so a burst of requests is one update of the view.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal

from crmdesk.api import Exchange, new_exchange_id
from crmdesk.history import (
    ExchangeSummary,
    HistoryError,
    HistoryPage,
    HistoryQuery,
    ImportedEntry,
    matches,
)
from crmdesk.ui.inspector.model import ExchangeListModel
from crmdesk.ui.inspector.rows import Origin, Row, row_of, short_name
from crmdesk.ui.inspector.sources import ExchangeSource
from crmdesk.ui.tasks import Op, TaskRunner

PAGE_SIZE = 500
_GATHER_MS = 50


@dataclass(frozen=True, slots=True)
class _Page:
    generation: int
    page: HistoryPage | None
    problem: str = ""


class ExchangeFeed(QObject):
    """Keeps `model` showing what `query` finds; `changed` after every change of what is
    listed or known about the history (the footer's words)."""

    changed = Signal()
    _arrived = Signal(object)  # Exchange, from the log's subscriber

    def __init__(
        self,
        source: ExchangeSource,
        model: ExchangeListModel,
        tasks: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.model = model
        self.query = HistoryQuery()
        self.stored_total: int | None = None  # matches in the store, when it was asked
        self.problem = ""
        self._lane = tasks.lane()
        self._live_lane = tasks.lane()
        self._generation = 0
        self._loading = False
        self._cursor: str | None = None
        self._searched = False
        self._pending: list[Exchange] = []
        self._links: dict[str, str] = {}  # replay id -> the id it replayed
        self._gather = QTimer(self, singleShot=True, interval=_GATHER_MS)
        self._gather.timeout.connect(self.flush)
        self._arrived.connect(self._queue)
        unsubscribe = source.log.subscribe(self._arrived.emit)
        self.destroyed.connect(lambda _obj=None: unsubscribe())

    # -- what the dock asks -----------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """A page of history is being read (the one `set_query` or `load_more` asked for)."""
        return self._loading

    @property
    def has_more(self) -> bool:
        """More stored history behind what is listed (or none asked for yet)."""
        return self.source.store is not None and (not self._searched or self._cursor is not None)

    def set_query(self, query: HistoryQuery) -> None:
        """List what `query` finds: the live calls (at once, or a moment later when words are
        looked for), then the first page of history."""
        self.query = query
        self._generation += 1
        self._cursor, self._searched, self.stored_total, self.problem = None, False, None, ""
        self._lane.cancel()
        self._loading = False
        self._pending.clear()
        self.model.clear()
        rows = [
            self._imported_row(entry.exchange, entry.source, at)
            for entry, at in self.source.imported_entries()
            if matches(query, entry.exchange)
        ]
        if query.text or query.record_id:
            # Words are looked for in every body of the log: off the GUI thread.
            generation = self._generation
            Op(lambda: asyncio.to_thread(self.source.live, query), name="filter the calls").success(
                lambda found: self._live_found(generation, found)
            ).run_in(self._live_lane)
        else:
            rows += [self._row(exchange, Origin.LIVE) for exchange in self.source.live(query)]
        self.model.add_many(rows)
        self.changed.emit()
        self.load_more()

    def load_more(self) -> None:
        """The next page of stored history, below what is listed."""
        if not self.has_more or self.loading:
            return
        generation, cursor, query = self._generation, self._cursor, self.query

        async def page() -> _Page:
            try:
                return _Page(generation, await self.source.search(query, cursor, PAGE_SIZE))
            except HistoryError as exc:
                return _Page(generation, None, str(exc))

        self._loading = True
        Op(page, name="search the exchange history").success(self._paged).run_in(self._lane)
        self.changed.emit()

    def reveal(self, exchange: Exchange) -> None:
        """List `exchange` whatever the filter says: the user asked to see this one."""
        self.source.remember(exchange)
        self.flush()
        if exchange.id not in self.model and self.source.imported(exchange.id) is None:
            self.model.add(self._row(exchange, Origin.LIVE))
            self.changed.emit()

    def add_imported(self, entries: list[ImportedEntry]) -> list[ImportedEntry]:
        """Keep and list imported entries (whatever the filter: the user just brought them).

        Each gets an id of its own: a HAR file crmdesk wrote carries the ids of the calls it
        holds, which may be listed here already (and the same file can be imported twice).
        """
        kept = []
        for entry in entries:
            exchange = replace(entry.exchange, id=new_exchange_id(), call_id="")
            entry = ImportedEntry(exchange, entry.request, entry.source)
            at = self.source.add_imported(entry)
            self.model.add(self._imported_row(exchange, entry.source, at))
            kept.append(entry)
        self.changed.emit()
        return kept

    def link(self, replay_id: str, original_id: str) -> None:
        """Mark `replay_id` as sent from `original_id` (now, and whenever it is listed)."""
        self._links[replay_id] = original_id
        row = self.model.get(replay_id)
        if row is not None:
            self.model.replace(self._marked(row.summary, row.origin))

    def original_of(self, exchange_id: str) -> str | None:
        return self._links.get(exchange_id)

    def flush(self) -> None:
        """Insert the live calls gathered so far (at once, not after the moment's wait)."""
        self._gather.stop()
        arrived, self._pending = self._pending, []
        rows = [self._row(e, Origin.LIVE) for e in arrived if matches(self.query, e)]
        if rows and self.model.add_many(rows):
            self.changed.emit()

    # -- filling -------------------------------------------------------------------------

    def _live_found(self, generation: int, found: list[Exchange]) -> None:
        if generation == self._generation:
            self.model.add_many(self._row(exchange, Origin.LIVE) for exchange in found)
            self.changed.emit()

    def _queue(self, exchange: Exchange) -> None:
        self._pending.append(exchange)
        if not self._gather.isActive():
            self._gather.start()

    def _paged(self, result: _Page) -> None:
        if result.generation != self._generation:
            return
        self._loading = False
        self._searched = True
        if result.page is None:
            self.problem = result.problem
            self._cursor = None
        else:
            self._cursor = result.page.next_cursor
            self.stored_total = result.page.total
            self.model.add_many(self._marked(s, Origin.STORED) for s in result.page.items)
        self.changed.emit()

    def _row(self, exchange: Exchange, origin: Origin) -> Row:
        return self._marked(ExchangeSummary.of(exchange), origin)

    def _imported_row(self, exchange: Exchange, source: str, at: float) -> Row:
        return row_of(ExchangeSummary.of(exchange), Origin.IMPORTED, source=source, seen_at=at)

    def _marked(self, summary: ExchangeSummary, origin: Origin) -> Row:
        original = self._links.get(summary.id)
        if original is None:
            return row_of(summary, origin)
        shown = self.model.get(original)
        words = short_name(shown.summary) if shown is not None else "an earlier call"
        return row_of(summary, origin, replay_of=original, replay_words=words)
