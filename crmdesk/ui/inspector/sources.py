"""ExchangeSource: where the inspector finds a whole exchange (headers and bodies) by its id.

In order: what was imported this session, what was just shown or fetched, the live exchange
log (the last few thousand calls), then the stored history. The list model holds only
summaries; this is what the details, exports, replays and compares ask.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable

from crmdesk.api import Exchange, ExchangeLog
from crmdesk.desk import Desk
from crmdesk.history import (
    ExchangeStore,
    ExchangeSummary,
    HistoryError,
    HistoryPage,
    HistoryQuery,
    ImportedEntry,
    matches,
)

_KEPT = 64
# More than the recorder keeps waiting in a normal moment (it writes 500 at a time).
_UNSTORED = 1000


class ExchangeSource:
    """Full exchanges by id; `get` and `chain` may read the store (off the GUI thread)."""

    def __init__(self, desk: Desk) -> None:
        self._desk = desk
        self._imported: dict[str, tuple[ImportedEntry, float]] = {}
        self._kept: OrderedDict[str, Exchange] = OrderedDict()

    @property
    def log(self) -> ExchangeLog:
        return self._desk.exchanges

    @property
    def store(self) -> ExchangeStore | None:
        history = self._desk.history
        return history.store if history is not None else None

    # -- what is in memory ------------------------------------------------------------------

    def add_imported(self, entry: ImportedEntry) -> float:
        """Keep an imported entry for this session; returns when it was imported."""
        at = time.time()
        self._imported[entry.exchange.id] = (entry, at)
        return at

    def imported(self, exchange_id: str) -> ImportedEntry | None:
        found = self._imported.get(exchange_id)
        return found[0] if found is not None else None

    def imported_entries(self) -> Iterable[tuple[ImportedEntry, float]]:
        """Every imported entry with when it was imported (where the list puts it)."""
        return self._imported.values()

    def remember(self, exchange: Exchange) -> None:
        """Keep `exchange` at hand (one shown from an error may be gone from the log)."""
        self._kept[exchange.id] = exchange
        self._kept.move_to_end(exchange.id)
        while len(self._kept) > _KEPT:
            self._kept.popitem(last=False)

    def known(self, exchange_id: str) -> Exchange | None:
        """The exchange when it is in memory; None when only the store may have it."""
        entry = self.imported(exchange_id)
        if entry is not None:
            return entry.exchange
        kept = self._kept.get(exchange_id)
        if kept is not None:
            self._kept.move_to_end(exchange_id)
            return kept
        return self.log.get(exchange_id)

    def live(self, query: HistoryQuery) -> list[Exchange]:
        """This session's exchanges in the log that `query` finds: all of them without a
        history; with one, only the newest, which it may not have stored yet (it finds the
        rest itself, newest first, and each is listed once)."""
        exchanges = list(self.log)
        if self.store is not None:
            exchanges = exchanges[-_UNSTORED:]
        return [exchange for exchange in exchanges if matches(query, exchange)]

    # -- what may need the store ------------------------------------------------------------

    async def get(self, exchange_id: str) -> Exchange | None:
        exchange = self.known(exchange_id)
        if exchange is not None or self.store is None:
            return exchange
        exchange = await self.store.get(exchange_id)
        if exchange is not None:
            self.remember(exchange)
        return exchange

    async def get_all(self, exchange_ids: Iterable[str]) -> list[Exchange]:
        """The exchanges still kept, in the order asked; those gone are left out."""
        found = []
        for exchange_id in exchange_ids:
            exchange = await self.get(exchange_id)
            if exchange is not None:
                found.append(exchange)
        return found

    async def chain(self, exchange: Exchange) -> tuple[ExchangeSummary, ...]:
        """Every attempt of the call `exchange` belongs to, first first: the live log's and
        the store's together (the newest may not be stored yet)."""
        if exchange.id in self._imported:
            return ()
        found = {
            other.id: ExchangeSummary.of(other)
            for other in self.log
            if other.call_id == exchange.call_id
        }
        found.setdefault(exchange.id, ExchangeSummary.of(exchange))
        if self.store is not None:
            try:
                stored = await self.store.chain(exchange.call_id)
            except HistoryError:
                stored = ()
            for summary in stored:
                found.setdefault(summary.id, summary)
        return tuple(sorted(found.values(), key=lambda s: (s.attempt, s.started_at, s.id)))

    async def search(
        self, query: HistoryQuery, cursor: str | None, limit: int
    ) -> HistoryPage | None:
        """A page of stored history; None when there is no history this session."""
        if self.store is None:
            return None
        return await self.store.search(query, limit=limit, cursor=cursor)
