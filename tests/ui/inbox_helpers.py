"""A main window on a Desk opened as the app opens it (inbox and listener included), with the
sandbox's pushing servers behind its connections, and the steps the inbox tests take."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Qt

from crmdesk.demo import demo_profiles
from crmdesk.desk import Desk, Notifications
from crmdesk.profiles import Profile
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.context import UiContext
from crmdesk.ui.inbox.model import SUMMARY
from crmdesk.ui.main_window import MainWindow

if TYPE_CHECKING:
    from crmdesk.ui.inbox import InboxDock

T = TypeVar("T")
WAIT_MS = 15_000


def run(qtbot: Any, work: Awaitable[T]) -> T:
    """Run `work` on the test's qasync loop while qtbot spins Qt (STACK-NOTES B4)."""
    done = asyncio.ensure_future(work)
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    return done.result()


class InboxWindow:
    """The window, its inbox dock, and the sandbox pushing to it."""

    def __init__(self, qtbot: Any, sandbox: SandboxThread) -> None:
        self.qtbot = qtbot
        self.sandbox = sandbox
        self._stack = contextlib.AsyncExitStack()
        self.desk: Desk = run(
            qtbot,
            self._stack.enter_async_context(
                Desk.open(
                    session_profiles=demo_profiles(sandbox.endpoints),
                    load_saved=False,
                    history=False,
                    listener_port=0,
                )
            ),
        )
        assert self.notifications.listener is not None, self.notifications.problem
        self.context = UiContext.for_desk(self.desk, saved_connections=False)
        self.window = MainWindow(self.context, sandbox=sandbox)
        qtbot.addWidget(self.window)
        self.window.show()
        self.dock.raise_()  # the inbox starts behind the inspector: the user brings it forward

    @property
    def dock(self) -> InboxDock:
        return self.window.inbox

    @property
    def notifications(self) -> Notifications:
        assert self.desk.notifications is not None
        return self.desk.notifications

    def profile(self, kind: str) -> Profile:
        return next(p for p in self.desk.connections.profiles if p.kind == kind)

    def push(self, kind: str, count: int) -> None:
        """The kind's emulated server pushes `count` new messages to the listener."""
        pusher = self.sandbox.pusher(kind)
        pusher.register(self.notifications.url_for(self.profile(kind)))
        pusher.burst(count)

    def wait(self, condition: Callable[[], object]) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=WAIT_MS)

    def wait_rows(self, count: int) -> None:
        """Until the list shows `count` rows, every one of them loaded."""
        model = self.dock.model
        assert model is not None
        self.wait(lambda: model.rowCount() == count and self.loaded(range(min(count, 50))))

    def loaded(self, rows: range) -> bool:
        model = self.dock.model
        assert model is not None
        for row in rows:
            model.data(model.index(row, SUMMARY), Qt.ItemDataRole.DisplayRole)
        return all(model.message_at(row) is not None for row in rows)

    def shut_down(self) -> None:
        if self.window.isVisible():
            self.window.close()
        run(self.qtbot, self.context.shutdown())
        run(self.qtbot, self._stack.aclose())
