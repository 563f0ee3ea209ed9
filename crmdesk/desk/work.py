"""What the Desk runs and tells: tracked work, the broadcast of record changes, the closing
stages of the services that plug in."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, TypeVar

log = logging.getLogger("crmdesk.desk")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RecordsChanged:
    """A write changed records of one entity of one connection (no ids: all may have)."""

    connection_id: str
    entity: str
    record_ids: tuple[str, ...] = ()


class Broadcast:
    """Tells every listener about record changes, so every open view of them can refresh."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[RecordsChanged], None]] = []

    def subscribe(self, listener: Callable[[RecordsChanged], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def publish(self, change: RecordsChanged) -> None:
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                log.exception("a listener of record changes failed")


class Work:
    """Tracks every task the Desk and its clients start, so none is dropped or outlives it.

    A task that raises is reported through `report` (the window shows it; a script logs it).
    """

    def __init__(self, report: Callable[[BaseException], None] | None = None) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._report = report
        self.closed = False

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def start(self, work: Coroutine[Any, Any, T], name: str) -> asyncio.Task[T]:
        if self.closed:
            work.close()
            raise RuntimeError(f"crmdesk is shutting down; {name} was not started")
        task = asyncio.ensure_future(work)
        task.set_name(f"crmdesk: {name}")
        self._tasks.add(task)
        task.add_done_callback(self._ended)
        return task

    def _ended(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if error is not None:
            log.error("%s failed", task.get_name(), exc_info=error)
            if self._report is not None:
                self._report(error)

    async def cancel_all(self) -> None:
        """Cancel every tracked task and wait until each has really ended."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


class Stage(IntEnum):
    """When a plugged-in service is closed, in the order `aclose()` takes them."""

    LISTENERS = 1  # stop taking requests from outside (the notification listener)
    STORES = 3  # flush and close files (history, inbox, change log)


Closer = Callable[[], Awaitable[None]]
