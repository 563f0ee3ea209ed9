"""The Qt side of start-up: the QApplication, the qasync loop, the main window and shutdown.

`run()` is what `crmdesk.app` calls once the command line is parsed and logging is set up; it
runs the loop and calls back into the composition root's `session`, which opens the Desk and
hands it to `QtWindow.show()`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any

# PySide6 before qasync: qasync drives whichever Qt binding is imported already.
import PySide6  # noqa: F401
import qasync
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from crmdesk import __version__
from crmdesk.desk import Desk
from crmdesk.options import Options
from crmdesk.ui.context import UiContext
from crmdesk.ui.errors import ErrorReporter
from crmdesk.ui.icon import app_icon
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.screenshot import save_when_loaded

log = logging.getLogger(__name__)

Session = Callable[[Options, "QtWindow"], Awaitable[int]]


def run(options: Options, session: Session) -> int:
    """Run crmdesk until its window closes (or the smoke test or screenshot is done)."""
    _app = _application()  # held until the loop ends
    reporter = ErrorReporter()
    reporter.install()
    try:
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            return runner.run(_main(options, reporter, session))
    except KeyboardInterrupt:
        # Ctrl+C in the terminal: the main coroutine's cleanup has already run.
        return 130
    except Exception:
        log.exception("crmdesk stopped on an error")
        print("crmdesk stopped on an error; see the log file for details.", file=sys.stderr)
        return 1
    finally:
        reporter.uninstall()


def _application() -> QApplication:
    QCoreApplication.setOrganizationName("crmdesk")
    QCoreApplication.setApplicationName("crmdesk")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationDisplayName("crmdesk")
    app.setWindowIcon(app_icon())
    # Closing the window must not stop the loop under our feet: shutdown awaits (B1.7).
    app.setQuitOnLastWindowClosed(False)
    return app


async def _main(options: Options, reporter: ErrorReporter, session: Session) -> int:
    asyncio.get_running_loop().set_exception_handler(reporter.loop_exception)
    if options.smoke_test is not None:
        # Loaded only when asked for: it pulls in httpx, keyring and the sandbox.
        from crmdesk.ui.smoke import write_facts

        return await write_facts(options.smoke_test)
    if options.screenshot is not None and not options.demo:
        print("crmdesk: --screenshot needs --demo (nothing else can load).", file=sys.stderr)
        return 1
    return await session(options, QtWindow(options, reporter))


class QtWindow:
    """Shows the main window on a Desk until the user closes it (`crmdesk.app.Window`)."""

    def __init__(self, options: Options, reporter: ErrorReporter) -> None:
        self._options = options
        self._reporter = reporter

    async def show(self, desk: Desk, sandbox: Any | None, shown: Callable[[], None]) -> int:
        context = UiContext.for_desk(desk)
        window = MainWindow(context, sandbox=sandbox)
        self._reporter.parent = window
        closed = asyncio.Event()
        window.closed.connect(closed.set)
        window.show()
        try:
            return await self._until_done(window, closed, shown)
        finally:
            # Order matters: the window stops its work, then the Desk closes everything else
            # (the composition root's exit stack; the sandbox stops last).
            window.hide()
            self._reporter.parent = None
            await context.shutdown()
            window.deleteLater()

    async def _until_done(
        self, window: MainWindow, closed: asyncio.Event, shown: Callable[[], None]
    ) -> int:
        options = self._options
        # The window first: connecting and reopening tabs load the browser, httpx and the
        # API's module, and would otherwise come before the first paint.
        await _painted()
        shown()
        if options.quit_when_shown:
            print("shown", flush=True)
            return 0
        sessions = list(window.sessions.values())
        # The tabs of last time come back; a screenshot always shows the same first tab.
        restored = options.screenshot is None and window.restore_tabs() > 0
        if options.demo and sessions and not restored:
            window.connect_and_open(sessions[0])
        elif not options.demo and not restored:
            window.reopen_last_used()
        if options.screenshot is not None:
            return await save_when_loaded(window, options.screenshot)
        await closed.wait()
        return 0


async def _painted() -> None:
    """Return once Qt has handled what show() queued (the first paint). Never processEvents()
    inside a task: it re-enters other tasks (STACK-NOTES B1.6)."""
    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def paint_done() -> None:
        if not painted.done():
            painted.set_result(None)

    QTimer.singleShot(0, paint_done)
    await painted
