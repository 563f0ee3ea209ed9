"""The composition root: parse the command line, set up logging, open the Desk, hand it to
the window (or run the sandbox or the headless commands).

Kept free of Qt so `crmdesk sandbox` and `--help` work without a display; the Qt side starts
in `crmdesk.ui.application`, which runs the event loop and calls back into `session()` here.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from crmdesk import __version__, paths
from crmdesk.options import Options, parse

if TYPE_CHECKING:
    from crmdesk.desk import Desk

log = logging.getLogger("crmdesk")


class Window(Protocol):
    """What the UI offers the composition root once its event loop runs."""

    async def show(self, desk: Desk, sandbox: Any | None) -> int:
        """Show the main window on `desk` until the user closes it; the exit code."""
        ...


def configure_logging() -> Path:
    """Log to a file in the user's log directory (a windowed build has no console)."""
    logfile = paths.ensure(paths.log_dir()) / "crmdesk.log"
    handler = logging.handlers.RotatingFileHandler(
        logfile, maxBytes=2 * 1024 * 1024, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if sys.stderr is not None:
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    root.setLevel(logging.INFO)
    return logfile


async def session(options: Options, window: Window) -> int:
    """Open what this run needs, in order, and close it in reverse when the window is done:
    the demo's sandbox first (its connections come first in the list), then the Desk."""
    from crmdesk.desk import Desk

    async with contextlib.AsyncExitStack() as stack:
        sandbox = None
        profiles: list[Any] = []
        if options.demo:
            # Imported here: only --demo needs the emulators (and their fake data) loaded.
            from crmdesk.demo import DEMO_KINDS, demo_profiles
            from crmdesk.sandbox import Sandbox

            sandbox = await stack.enter_async_context(
                Sandbox(kinds=DEMO_KINDS, records_per_entity=options.records)
            )
            profiles = demo_profiles(sandbox.endpoints)
        # The demo listens on any free port: its servers are told where, a real one is not.
        port = 0 if options.demo else None
        desk = await stack.enter_async_context(
            Desk.open(session_profiles=profiles, listener_port=port)
        )
        if sandbox is not None:
            from crmdesk.demo import push_demo_notifications

            push_demo_notifications(sandbox, desk)
        return await window.show(desk, sandbox)
    raise AssertionError("unreachable")  # pragma: no cover - the stack re-raises or returns


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sandbox"]:
        from crmdesk.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if argv[:1] == ["listen"]:
        from crmdesk.listen import main as listen_main

        return listen_main(argv[1:])
    options = parse(argv)
    logfile = configure_logging()
    log.info("crmdesk %s starting; log file %s", __version__, logfile)
    # qasync must drive PySide6 even where another Qt binding is installed too.
    os.environ.setdefault("QT_API", "pyside6")
    # Imported here so the Qt-free commands above never load Qt.
    from crmdesk.ui.application import run

    return run(options, session)


if __name__ == "__main__":
    raise SystemExit(main())
