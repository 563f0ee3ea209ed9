"""The Desk: crmdesk's Qt-free core, the one owner of its services and of their order.

It holds the secrets, the saved and session connections (profiles and their open backends),
the shared exchange log, the broadcast of record changes, the long work in flight, and the
stores and listeners that plug in (history, inbox, change log). The window is one client of
it; a script or a test is another:

    async with Desk.open() as desk:
        backend = await desk.connections.open(profile_id)
        page = await backend.list("lead", Query())

`aclose()` ends everything in one order: listeners stop taking requests, work in flight is
cancelled and awaited, HTTP clients close, then stores flush and close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, TypeVar

from crmdesk.api import ExchangeLog
from crmdesk.editing import ChangeLog, PendingEdits
from crmdesk.profiles import Connections, Profile, ProfileBook, ProfileStore, SecretStore

log = logging.getLogger(__name__)

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


class Desk:
    """The Qt-free services of one running crmdesk. Build it with `Desk.open()`."""

    def __init__(self, secrets: SecretStore, profiles: ProfileBook) -> None:
        self.secrets = secrets
        self.profiles = profiles
        self.connections: Connections = profiles.connections
        self.changes = Broadcast()
        self.work = Work()
        # Edits outlive every view of them; the change log is None until `open()` opens it
        # (or when its file cannot be opened: editing still works, without a log or undo).
        self.edits = PendingEdits()
        self.changelog: ChangeLog | None = None
        self._closers: list[tuple[Stage, str, Closer]] = []
        self._closed = False

    @property
    def exchanges(self) -> ExchangeLog:
        """Every exchange of every connection, as it happens (the inspector and history)."""
        return self.connections.log

    @classmethod
    def create(
        cls,
        *,
        secrets: SecretStore | None = None,
        store: ProfileStore | None = None,
        exchanges: ExchangeLog | None = None,
    ) -> Desk:
        """A Desk with nothing loaded yet; `Desk.open()` is the usual way in."""
        secrets = secrets if secrets is not None else SecretStore()
        connections = Connections(secrets, log=exchanges)
        return cls(secrets, ProfileBook(connections, secrets, store))

    @classmethod
    @contextlib.asynccontextmanager
    async def open(
        cls,
        *,
        secrets: SecretStore | None = None,
        store: ProfileStore | None = None,
        exchanges: ExchangeLog | None = None,
        session_profiles: Iterable[tuple[Profile, Mapping[str, str]]] = (),
        load_saved: bool = True,
        changelog_path: Path | None = None,
    ) -> AsyncIterator[Desk]:
        """Open the Desk: session connections first (the demo's), then the saved ones.
        The change log is in the data directory unless `changelog_path` says where."""
        desk = cls.create(secrets=secrets, store=store, exchanges=exchanges)
        try:
            await desk._open_changelog(changelog_path)
            for profile, credentials in session_profiles:
                desk.add_session_profile(profile, credentials)
            if load_saved:
                await desk.profiles.load()
            yield desk
        finally:
            await desk.aclose()

    # -- connections ---------------------------------------------------------------------

    def add_session_profile(self, profile: Profile, credentials: Mapping[str, str]) -> None:
        """A connection for this session only: never saved, its secrets kept in memory."""
        self.connections.add(profile)
        self.secrets.keep_for_session(profile.id, credentials)

    def changed(self, connection_id: str, entity: str, record_ids: tuple[str, ...] = ()) -> None:
        """Announce that a write changed these records (every open view of them refreshes)."""
        self.changes.publish(RecordsChanged(connection_id, entity, record_ids))

    async def _open_changelog(self, path: Path | None) -> None:
        try:
            self.changelog = await ChangeLog.open(path)
        except (OSError, sqlite3.Error):
            log.exception("the change log could not be opened; saves will not be logged")
            return
        self.on_close(Stage.STORES, "change log", self.changelog.aclose)

    # -- services that plug in -------------------------------------------------------------

    def on_close(self, stage: Stage, name: str, closer: Closer) -> None:
        """Have `closer` run at `stage` of `aclose()` (a listener to stop, a store to flush)."""
        self._closers.append((stage, name, closer))

    async def aclose(self) -> None:
        """Stop listeners, cancel work, close HTTP clients, flush stores: in that order."""
        if self._closed:
            return
        self._closed = True
        await self._run_closers(Stage.LISTENERS)
        self.work.closed = True
        await self.work.cancel_all()
        await self.connections.close_all()
        await self._run_closers(Stage.STORES)

    async def _run_closers(self, stage: Stage) -> None:
        for closer_stage, name, closer in self._closers:
            if closer_stage is not stage:
                continue
            try:
                await closer()
            except Exception:
                # One service failing to close must not keep the others open.
                log.exception("closing %s failed", name)
