"""The composition root: parse the command line, set up logging, open the Desk, hand it to
the window (or run the sandbox or the headless commands).

Kept free of Qt so `crmdesk sandbox` and `--help` work without a display; the Qt side starts
in `crmdesk.ui.application`, which runs the event loop and calls back into `session()` here.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import logging.handlers
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from crmdesk import __version__, paths
from crmdesk.options import Options, parse

if TYPE_CHECKING:
    from crmdesk.desk import Desk

log = logging.getLogger("crmdesk")


class Window(Protocol):
    """What the UI offers the composition root once its event loop runs."""

    async def show(self, desk: Desk, sandbox: Any | None, shown: Callable[[], None]) -> int:
        """Show the main window on `desk` until the user closes it; the exit code. `shown` is
        called once the window has been painted."""
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
    the demo's sandbox first (its connections come first in the list), then the Desk. What
    the first window does not need waits until it is painted (`shown`)."""
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
        desk = await stack.enter_async_context(Desk.open(session_profiles=profiles, listen=False))

        def shown() -> None:
            collect_from_now_on()
            # The demo listens on any free port: its servers are told where, a real one is not.
            desk.start_listening(0 if options.demo else None)
            if sandbox is not None:
                desk.work.start(_push_when_listening(sandbox, desk), "demo notifications")

        return await window.show(desk, sandbox, shown)
    raise AssertionError("unreachable")  # pragma: no cover - the stack re-raises or returns


async def _push_when_listening(sandbox: Any, desk: Desk) -> None:
    """The demo's servers push to the listener once it listens (after the window shows)."""
    from crmdesk.demo import push_demo_notifications

    await desk.listening()
    push_demo_notifications(sandbox, desk)


def collect_from_now_on() -> None:
    """The window is painted: the collector runs again, past what start-up made (see main).
    The benchmarks that build the window themselves call it too, as the app does."""
    gc.freeze()
    gc.enable()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # httpx imports its command-line tool when `rich` and `click` are installed (a development
    # venv has them, for import-linter): 60 ms of start-up for a tool crmdesk never runs. An
    # installed crmdesk lacks them, and httpx then goes without it, as it does here.
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
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
    # While the modules load and the window is built the collector runs about a hundred
    # times and finds next to nothing (measured: 25 ms of the start, issue 13). It is off
    # until the window is painted; then what exists is frozen (modules, classes, the window:
    # kept for the whole run), so later full collections do not walk it again and again
    # while the user pages (each one took 30-50 ms with it).
    gc.disable()
    try:
        # Imported here so the Qt-free commands above never load Qt.
        from crmdesk.ui.application import run

        return run(options, session)
    finally:
        gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
