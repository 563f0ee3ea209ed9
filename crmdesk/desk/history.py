"""The exchange history as the Desk runs it: the store and the recorder that feeds it from the
Desk's exchange log, opened together and closed in the right order (recorder, then store)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from crmdesk.api import ExchangeLog
from crmdesk.history import (
    ExchangeStore,
    HistoryRecorder,
    HistoryUnavailable,
    Retention,
    SqliteExchangeStore,
)

log = logging.getLogger(__name__)


@dataclass
class History:
    """Every exchange of every connection, kept and searchable (the inspector's past)."""

    store: ExchangeStore
    recorder: HistoryRecorder

    @property
    def retention(self) -> Retention:
        return self.recorder.retention

    async def set_retention(self, retention: Retention, path: Path | None = None) -> None:
        """Keep the user's limits (in the settings file) and apply them from now on."""
        await asyncio.to_thread(retention.save, path)
        self.recorder.retention = retention

    async def aclose(self) -> None:
        try:
            await self.recorder.aclose()
        finally:
            await self.store.aclose()


async def open_history(
    exchanges: ExchangeLog, path: Path | None = None, settings: Path | None = None
) -> History | None:
    """The history in the data directory (or at `path`), recording from now on; None when its
    file cannot be used (the reason is logged; crmdesk works on without a history)."""
    store = SqliteExchangeStore(path)
    try:
        await store.start()
    except (HistoryUnavailable, OSError) as exc:
        log.error("The exchange history is not kept this session: %s", exc)
        return None
    try:
        retention = await asyncio.to_thread(Retention.load, settings)
    except (OSError, ValueError) as exc:
        log.warning("History limits could not be read (%s); the defaults apply", exc)
        retention = Retention()
    recorder = HistoryRecorder(exchanges, store, retention=retention)
    await recorder.start()
    return History(store, recorder)
