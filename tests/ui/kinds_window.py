"""A main window on sandboxes of several kinds, and the steps the finding tests take with it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

from window_helpers import make_context

from crmdesk.exporting import ANY_FIELD
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionSession, ConnectionState

WAIT_MS = 15_000


class KindsWindow:
    def __init__(self, qtbot, window: MainWindow, sandbox: SandboxThread, context) -> None:
        self.qtbot = qtbot
        self.window = window
        self.sandbox = sandbox
        self.context = context

    def session(self, kind: str) -> ConnectionSession:
        return next(s for s in self.window.sessions.values() if s.profile.kind == kind)

    def open(self, kind: str, entity: str) -> EntityBrowser:
        session = self.session(kind)
        session.open()
        self.qtbot.waitUntil(
            lambda: session.state is not ConnectionState.CONNECTING, timeout=WAIT_MS
        )
        assert session.state is ConnectionState.CONNECTED, session.detail
        browser = self.window.open_entity(session, session.entity(entity))
        self.settle(browser)
        return browser

    def settle(self, browser: EntityBrowser) -> None:
        self.qtbot.waitUntil(
            lambda: (
                not browser.loading
                and (browser.shown_page is not None or browser.banner.error is not None)
            ),
            timeout=WAIT_MS,
        )

    def filter(self, browser: EntityBrowser, key: str, value: str) -> None:
        """What choosing a field in the bar, typing a value and pressing Enter do."""
        bar = browser.filters
        keys = [f.key for f in bar._fields]
        bar.field_box.setCurrentIndex(keys.index(key))
        bar.value.setText(value)
        bar.value.returnPressed.emit()
        self.settle(browser)

    def requests(self, kind: str):
        return self.sandbox.emulator(kind).requests


@contextmanager
def kinds_window(qtbot, kinds: tuple[str, ...], records: int = 60) -> Iterator[KindsWindow]:
    with SandboxThread(kinds=kinds, records_per_entity=records) as sandbox:
        context = make_context(sandbox)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        yield KindsWindow(qtbot, window, sandbox, context)
        window.close()
        finished = asyncio.ensure_future(context.shutdown())
        qtbot.waitUntil(finished.done, timeout=WAIT_MS)
        finished.result()


__all__ = ["ANY_FIELD", "KindsWindow", "kinds_window"]
