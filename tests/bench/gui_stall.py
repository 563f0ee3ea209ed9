"""The GUI loop's longest stall while the main window pages through 100 pages of 100 records.

Run by tests/bench/run.py in its own process. The sandbox runs in its own thread, so the GUI
thread does only what crmdesk does: request, parse and show each page. Prints a JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable

import PySide6  # noqa: F401  (before qasync, as the app does)
import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from crmdesk.app import collect_from_now_on
from crmdesk.demo import demo_profiles
from crmdesk.desk import Desk
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow

PAGES = 100
TICK_MS = 5


def wait_for(signal: object, timeout: float = 30.0) -> Awaitable[object]:
    """The next emission of `signal`, listened for from now on (not from the first await)."""
    future: asyncio.Future[object] = asyncio.get_running_loop().create_future()

    def done(value: object) -> None:
        if not future.done():
            future.set_result(value)
        signal.disconnect(done)  # type: ignore[attr-defined]

    signal.connect(done)  # type: ignore[attr-defined]
    return asyncio.wait_for(future, timeout)


async def main(sandbox: SandboxThread) -> dict[str, float]:
    desk = Desk.create()
    for profile, credentials in demo_profiles(sandbox.endpoints):
        desk.add_session_profile(profile, credentials)
    context = UiContext.for_desk(desk, saved_connections=False)
    window = MainWindow(context)
    window.resize(1440, 900)
    window.show()
    first_page = wait_for(window.tabs.pageShown)
    window.connect_and_open(next(iter(window.sessions.values())))
    browser = await first_page
    collect_from_now_on()  # what the app does once its window is painted
    if browser.shown_page.page_size != 100:  # type: ignore[attr-defined]
        resized = wait_for(browser.pageShown)  # type: ignore[attr-defined]
        browser.set_page_size(100)  # type: ignore[attr-defined]
        await resized

    gaps: list[float] = []
    last = time.perf_counter()

    def tick() -> None:
        nonlocal last
        now = time.perf_counter()
        gaps.append((now - last) * 1000.0)
        last = now

    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    for _ in range(PAGES - 1):
        shown = wait_for(browser.pageShown)  # type: ignore[attr-defined]
        browser.next_page()  # type: ignore[attr-defined]
        await shown
    elapsed = time.perf_counter() - started
    timer.stop()
    window.close()
    await context.shutdown()
    gaps.sort()
    return {
        "pages": PAGES,
        "seconds": elapsed,
        "max_stall_ms": gaps[-1] - TICK_MS,
        "p99_stall_ms": gaps[int(len(gaps) * 0.99)] - TICK_MS,
    }


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    with (
        SandboxThread(kinds=("cmdatamanager",), records_per_entity=PAGES * 100) as sandbox,
        asyncio.Runner(loop_factory=qasync.QEventLoop) as runner,
    ):
        print(json.dumps(runner.run(main(sandbox))))
