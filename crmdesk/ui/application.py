"""The Qt side of start-up: the QApplication, the qasync loop, the main window and shutdown.

`run()` is what `crmdesk.app` calls once the command line is parsed and logging is set up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys

# PySide6 before qasync: qasync drives whichever Qt binding is imported already.
import PySide6  # noqa: F401
import qasync
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from crmdesk import __version__
from crmdesk.app import Options
from crmdesk.profiles import Connections, SecretStore
from crmdesk.ui.context import UiContext
from crmdesk.ui.demo import add_endpoints, start_sandbox
from crmdesk.ui.errors import ErrorReporter
from crmdesk.ui.icon import app_icon
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.profiles.book import ProfileBook
from crmdesk.ui.screenshot import save_when_loaded
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


def run(options: Options) -> int:
    """Run crmdesk until its window closes (or the smoke test or screenshot is done)."""
    app = _application()
    reporter = ErrorReporter()
    reporter.install()
    try:
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            return runner.run(_main(app, options, reporter))
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


async def _main(app: QApplication, options: Options, reporter: ErrorReporter) -> int:
    asyncio.get_running_loop().set_exception_handler(reporter.loop_exception)
    if options.smoke_test is not None:
        # Loaded only when asked for: it pulls in httpx, keyring and the sandbox.
        from crmdesk.ui.smoke import write_facts

        return await write_facts(options.smoke_test)
    if options.screenshot is not None and not options.demo:
        print("crmdesk: --screenshot needs --demo (nothing else can load).", file=sys.stderr)
        return 1
    secrets = SecretStore()
    connections = Connections(secrets)
    book = ProfileBook(connections, secrets)
    context = UiContext(TaskRunner(), connections, UiSettings(), book)
    async with contextlib.AsyncExitStack() as stack:
        if options.demo:
            sandbox = await start_sandbox(stack, options.records)
            # Session-only: the demo's credentials never reach the keyring or the file.
            add_endpoints(sandbox.endpoints, context.connections, secrets)
        # After the demo's, so the sandbox comes first in the list and opens on --demo.
        await book.load()
        return await _show_window(context, options, reporter)
    raise AssertionError("unreachable")  # pragma: no cover - the stack re-raises or returns


async def _show_window(context: UiContext, options: Options, reporter: ErrorReporter) -> int:
    window = MainWindow(context)
    reporter.parent = window
    closed = asyncio.Event()
    window.closed.connect(closed.set)
    window.show()
    try:
        sessions = list(window.sessions.values())
        if options.demo and sessions:
            window.connect_and_open(sessions[0])
        elif not options.demo:
            window.reopen_last_used()
        if options.screenshot is not None:
            return await save_when_loaded(window, options.screenshot)
        if options.quit_when_shown:
            # Let Qt handle what show() queued (the first paint) before saying so; never
            # processEvents() inside a task: it re-enters other tasks (STACK-NOTES B1.6).
            painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()

            def paint_done() -> None:
                if not painted.done():
                    painted.set_result(None)

            QTimer.singleShot(0, paint_done)
            await painted
            print("shown", flush=True)
            return 0
        await closed.wait()
        return 0
    finally:
        # Order matters: stop the UI's work, then the HTTP clients; the sandbox stops last.
        window.hide()
        reporter.parent = None
        await context.shutdown()
        window.deleteLater()
