"""UI test fixtures: a qasync loop driven by qtbot (STACK-NOTES B4, Pattern 1), the sandbox in
its own thread, and a main window connected to it that is shut down cleanly after each test."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from window_helpers import make_context

import PySide6  # noqa: F401  (before qasync: it drives the binding already imported)
import qasync

# PySide6 before qasync, as in the app (STACK-NOTES B1.1).
from PySide6.QtWidgets import QApplication

from crmdesk.profiles import SecretStore
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow

# Small enough to start in milliseconds, big enough for several pages at every page size.
RECORDS = 120
WAIT_MS = 10_000


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=True)  # sets the running loop
    asyncio.set_event_loop(loop)
    yield loop
    for task in asyncio.all_tasks(loop):
        task.cancel()
    # stop() marks the loop not running and calls app.exit(). That is not a no-op: it leaves
    # the app exiting, so every later nested Qt loop (all qtbot waits) returns at once and the
    # next test's timers never fire (measured; pytest-qt docs/app_exit.rst). Keep it from Qt.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(qapp), "exit", lambda *args: None)
        loop.stop()
    asyncio.events._set_running_loop(None)  # private API; mirrors what qasync set
    loop.close()
    asyncio.set_event_loop(None)
    # The closed loop's Qt timer object sits in reference cycles; collect it here, on the GUI
    # thread, before a collection in the sandbox thread destroys it there (Qt warns).
    gc.collect()


@pytest.fixture
def home() -> Path:
    """This test's private CRMDESK_HOME (set by the top-level conftest)."""
    return Path(os.environ["CRMDESK_HOME"])


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=RECORDS) as running:
        yield running


class WindowOnSandbox:
    """A main window on the sandbox, and the steps a test takes with it."""

    def __init__(
        self,
        qtbot,
        context: UiContext,
        secrets: SecretStore,
        window: MainWindow,
        sandbox: SandboxThread,
    ):
        self.qtbot = qtbot
        self.context = context
        self.secrets = secrets
        self.window = window
        self.sandbox = sandbox

    @property
    def emulator(self):
        return self.sandbox.emulator("cmdatamanager")

    @property
    def session(self):
        return next(iter(self.window.sessions.values()))

    def open_first_entity(self) -> EntityBrowser:
        """What --demo does: connect the first connection and open its leads."""
        self.window.connect_and_open(self.session)
        self.qtbot.waitUntil(lambda: self.window.tabs.current() is not None, timeout=WAIT_MS)
        browser = self.window.tabs.current()
        self.wait_loaded(browser)
        return browser

    def wait_loaded(self, browser: EntityBrowser) -> None:
        self.qtbot.waitUntil(
            lambda: not browser.loading and browser.shown_page is not None, timeout=WAIT_MS
        )

    def wait_settled(self, browser: EntityBrowser) -> None:
        self.qtbot.waitUntil(lambda: not browser.loading, timeout=WAIT_MS)

    def shut_down(self) -> None:
        """What the application does after the window closed: stop tasks, close clients."""
        if self.window.isVisible():
            self.window.close()
        done = asyncio.ensure_future(self.context.shutdown())
        self.qtbot.waitUntil(done.done, timeout=WAIT_MS)
        done.result()


def _context(sandbox: SandboxThread | None) -> tuple[UiContext, SecretStore]:
    context = make_context(sandbox)
    return context, context.desk.secrets


@pytest.fixture
def desk(qtbot, qloop, sandbox: SandboxThread) -> Iterator[WindowOnSandbox]:
    context, secrets = _context(sandbox)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    harness = WindowOnSandbox(qtbot, context, secrets, window, sandbox)
    yield harness
    harness.shut_down()


@pytest.fixture
def make_window(qtbot, qloop):
    """A main window with no connections at all (as crmdesk starts without --demo)."""
    made: list[UiContext] = []

    def make() -> MainWindow:
        context, _secrets = _context(None)
        made.append(context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        return window

    yield make
    for context in made:
        done = asyncio.ensure_future(context.shutdown())
        qtbot.waitUntil(done.done, timeout=WAIT_MS)
