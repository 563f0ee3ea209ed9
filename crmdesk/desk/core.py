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
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.api import ExchangeLog
from crmdesk.desk.work import Broadcast, Closer, RecordsChanged, Stage, Work
from crmdesk.editing import PendingEdits
from crmdesk.profiles import (
    BookChange,
    BookEvent,
    Connections,
    Profile,
    ProfileBook,
    ProfileStore,
    SecretStore,
)

if TYPE_CHECKING:
    # Each loaded when its store opens: start-up imports only what the first window needs.
    from crmdesk.desk.history import History
    from crmdesk.desk.notifications import Notifications
    from crmdesk.editing import ChangeLog

log = logging.getLogger("crmdesk.desk")


@dataclass(frozen=True, slots=True)
class Places:
    """Where the Desk keeps its files, when not in the data and config directories (tests)."""

    changelog: Path | None = None
    history: Path | None = None
    history_settings: Path | None = None
    inbox: Path | None = None
    listener_settings: Path | None = None


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
        # Each None until `open()` opens it, or when its file cannot be used this session.
        self.history: History | None = None
        self.notifications: Notifications | None = None
        self._closers: list[tuple[Stage, str, Closer]] = []
        self._closed = False
        self._listening: asyncio.Task[None] | None = None

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
        places: Places | None = None,
        history: bool = True,
        listen: bool = True,
        listener_port: int | None = None,
    ) -> AsyncIterator[Desk]:
        """Open the Desk: its stores, the session connections first (the demo's), then the
        saved ones, then the notification listener for those whose notifications are on.

        `history=False` keeps no exchange history; `listen=False` opens the inbox without
        listening (a second window, a test, or the app until its window is painted: then it
        calls `start_listening`); `listener_port` replaces the saved port for this run. Files
        go in the data directory unless `places` says otherwise.
        """
        places = places or Places()
        desk = cls.create(secrets=secrets, store=store, exchanges=exchanges)
        try:
            await desk._open_changelog(places.changelog)
            if history:
                await desk._open_history(places)
            for profile, credentials in session_profiles:
                desk.add_session_profile(profile, credentials)
            moved = None
            if load_saved:
                moved = (await desk.profiles.load()).moved_listener
            await desk._open_inbox(places, moved)
            if listen:
                await desk._listen(listener_port)
            yield desk
        finally:
            await desk.aclose()

    def start_listening(self, port: int | None = None) -> None:
        """Start listening for notifications as work of the Desk, if it does not listen yet:
        it asks the keyring for each notifying connection's login and loads aiohttp, which
        the app does once its window is painted. `listening()` waits for it."""
        if self._listening is None and not self.work.closed:
            self._listening = self.work.start(self._listen(port), "listen for notifications")

    async def listening(self) -> None:
        """Return once the listener has started (or could not: `notifications.problem`)."""
        if self._listening is not None:
            await asyncio.shield(self._listening)

    # -- connections ---------------------------------------------------------------------

    def add_session_profile(self, profile: Profile, credentials: Mapping[str, str]) -> None:
        """A connection for this session only: never saved, its secrets kept in memory."""
        self.connections.add(profile)
        self.secrets.keep_for_session(profile.id, credentials)
        if self.notifications is not None and not self.work.closed:
            self.work.start(self.notifications.follow(profile.id), "follow notifications")

    def changed(self, connection_id: str, entity: str, record_ids: tuple[str, ...] = ()) -> None:
        """Announce that a write changed these records (every open view of them refreshes)."""
        self.changes.publish(RecordsChanged(connection_id, entity, record_ids))

    async def _open_history(self, places: Places) -> None:
        from crmdesk.desk.history import open_history

        self.history = await open_history(self.exchanges, places.history, places.history_settings)
        if self.history is not None:
            self.on_close(Stage.STORES, "history", self.history.aclose)

    async def _open_inbox(self, places: Places, moved: Mapping[str, object] | None) -> None:
        from crmdesk.desk.notifications import Notifications

        inbox = await Notifications.open(
            self.connections,
            self.secrets,
            path=places.inbox,
            settings_path=places.listener_settings,
            moved_listener=moved,
        )
        if inbox is None:
            return
        self.notifications = inbox
        self.on_close(Stage.STORES, "inbox", inbox.aclose)

    async def _listen(self, port: int | None) -> None:
        inbox = self.notifications
        if inbox is None:
            return
        self.on_close(Stage.LISTENERS, "notification listener", inbox.stop_listening)
        await inbox.listen(port)
        self.profiles.subscribe(self._profile_changed)

    def _profile_changed(self, event: BookEvent) -> None:
        if event.change in (BookChange.ADDED, BookChange.EDITED, BookChange.REMOVED):
            notifications = self.notifications
            if notifications is not None and not self.work.closed:
                self.work.start(notifications.follow(event.profile_id), "follow notifications")

    async def _open_changelog(self, path: Path | None) -> None:
        import sqlite3

        from crmdesk.editing import ChangeLog

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
        if self._listening is not None:
            # Before the listeners stop: a listener still starting must not start after that.
            self._listening.cancel()
            await asyncio.gather(self._listening, return_exceptions=True)
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
