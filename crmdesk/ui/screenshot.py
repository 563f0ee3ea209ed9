"""--screenshot: wait until the first page is on screen, then save a picture of the window."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from crmdesk.api import ApiError
from crmdesk.ui.main_window import DEFAULT_SIZE, MainWindow
from crmdesk.ui.session import ConnectionSession, ConnectionState

if TYPE_CHECKING:
    from crmdesk.ui.browser import EntityBrowser

log = logging.getLogger(__name__)

# Long enough for layouts to settle and the delayed busy veil to stay away after the load.
_SETTLE_SECONDS = 0.4


async def save_when_loaded(window: MainWindow, path: Path, timeout: float = 30.0) -> int:
    """0 once the picture is saved; 1 with the reason on stderr if nothing loaded. The window
    is the default size for it, whatever the screen (the offscreen one is 800×800), so every
    picture shows the same."""
    window.resize(*DEFAULT_SIZE)
    outcome: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    def settle(problem: str | None) -> None:
        if not outcome.done():
            outcome.set_result(problem)

    def page_shown(_browser: EntityBrowser) -> None:
        settle(None)

    def load_failed(_browser: EntityBrowser, error: ApiError) -> None:
        settle(f"The first page did not load: {error.summary}")

    def session_changed(session: ConnectionSession) -> None:
        if session.state is ConnectionState.FAILED:
            settle(f"Could not connect to {session.name}: {session.detail}")

    window.tabs.pageShown.connect(page_shown)
    window.tabs.loadFailed.connect(load_failed)
    for session in window.sessions.values():
        session.changed.connect(lambda s=session: session_changed(s))
    if not window.sessions:
        settle("There is no connection to load from; use --screenshot with --demo.")
    try:
        problem = await asyncio.wait_for(outcome, timeout)
    except TimeoutError:
        problem = f"Nothing loaded within {timeout:.0f} s."
    if problem is not None:
        print(f"crmdesk: no screenshot taken. {problem}", file=sys.stderr)
        return 1
    await asyncio.sleep(_SETTLE_SECONDS)
    if not window.grab().save(str(path), "PNG"):
        print(f"crmdesk: could not write the screenshot to {path}.", file=sys.stderr)
        return 1
    log.info("screenshot saved to %s", path)
    return 0
