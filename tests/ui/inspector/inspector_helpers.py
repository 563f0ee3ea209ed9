"""The inspector's tests: a main window on the sandbox whose Desk keeps an exchange history
(in this test's CRMDESK_HOME), and the waits those tests share."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import replace

from crmdesk.api import Exchange
from crmdesk.profiles import Profile
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.inspector import InspectorDock
from crmdesk.ui.inspector.rows import Row
from crmdesk.ui.main_window import MainWindow

WAIT_MS = 10_000


class Inspecting:
    """A window whose Desk records history, its inspector, and the steps the tests take."""

    def __init__(self, qtbot, window: MainWindow, context, sandbox: SandboxThread) -> None:
        self.qtbot = qtbot
        self.window = window
        self.context = context
        self.sandbox = sandbox

    @property
    def dock(self) -> InspectorDock:
        return self.window.inspector

    @property
    def desk(self):
        return self.context.desk

    @property
    def emulator(self):
        return self.sandbox.emulator("cmdatamanager")

    def session(self, kind: str = "cmdatamanager"):
        return next(s for s in self.window.sessions.values() if s.profile.kind == kind)

    def open_first_entity(self, kind: str = "cmdatamanager"):
        session = self.session(kind)
        self.window.connect_and_open(session)
        self.qtbot.waitUntil(
            lambda: (
                (current := self.window.tabs.current()) is not None
                and current.session is session
                and current.shown_page is not None
                and not current.loading
            ),
            timeout=WAIT_MS,
        )
        self.settle()
        return self.window.tabs.current()

    def settle(self) -> None:
        """Until the calls made so far are listed and the history search is done."""
        log = self.desk.exchanges
        self.qtbot.waitUntil(
            lambda: (
                all(e.id in self.dock.model for e in log if self._listable(e))
                and not self.dock.feed.loading
            ),
            timeout=WAIT_MS,
        )

    def _listable(self, exchange: Exchange) -> bool:
        from crmdesk.history import matches

        return matches(self.dock.feed.query, exchange)

    def rows(self, keep: Callable[[Row], bool] = lambda row: True) -> list[Row]:
        return [row for row in self.dock.model.rows() if keep(row)]

    def wait_shown(self, exchange_id: str) -> None:
        self.qtbot.waitUntil(
            lambda: (
                self.dock.details.exchange is not None
                and self.dock.details.exchange.id == exchange_id
            ),
            timeout=WAIT_MS,
        )

    def add_profile(self, **changes: object) -> Profile:
        """Another session connection to the sandbox's CMDataManager (read-only, production)."""
        base = self.session().profile
        profile = replace(base, id=f"{base.id}-{changes.get('name', 'x')}", **changes)
        credentials = dict(self.sandbox.endpoints[0].credentials)
        self.desk.add_session_profile(profile, credentials)
        return profile

    def store(self, exchanges: Iterable[Exchange]) -> None:
        assert self.desk.history is not None
        added = asyncio.ensure_future(self.desk.history.store.add(list(exchanges)))
        self.qtbot.waitUntil(added.done, timeout=WAIT_MS)
        added.result()

    def run(self, awaitable):
        future = asyncio.ensure_future(awaitable)
        self.qtbot.waitUntil(future.done, timeout=WAIT_MS)
        return future.result()

    def shut_down(self) -> None:
        with contextlib.suppress(RuntimeError):  # pytest-qt may have deleted it already
            if self.window.isVisible():
                self.window.close()
        done = asyncio.ensure_future(self.context.shutdown())
        self.qtbot.waitUntil(done.done, timeout=WAIT_MS)
        done.result()
