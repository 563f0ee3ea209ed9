"""The GUI loop's longest stall while 500 notifications a second arrive and the user pages a
list (DESIGN.md: no stall over 50 ms).

The window runs on a Desk opened as the app opens it (history and inbox, the listener on
loopback), over a CMDataManager sandbox in a thread of its own and an aicore one for the
connection whose notifications are on. The inbox starts with 100,000 stored messages (a copy
of `--inbox`, filled once by `fill`). The pusher is another process,
`python -m crmdesk.sandbox.push aicore --rate 500`, pushing to that connection's address.
The user pages the entity list through 100 pages of 100 with no notifications (what the
machine gives this run), then while it pushes: 100 pages as fast as they come, 100 pages at
ten a second, and the inbox list through 100 screens (PageDown). A 5 ms QTimer measures the
longest gap of each, and the store counts what arrived meanwhile.

    .venv/bin/python tests/bench/inbox_stall.py fill /tmp/inbox.sqlite3
    CRMDESK_HOME=$(mktemp -d) .venv/bin/python tests/bench/inbox_stall.py --inbox /tmp/inbox.sqlite3

Prints a JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import PySide6  # noqa: F401  (before qasync, as the app does)
import qasync  # type: ignore[import-untyped]
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from crmdesk import paths
from crmdesk.app import collect_from_now_on
from crmdesk.demo import demo_profiles
from crmdesk.desk import Desk
from crmdesk.inbox import InboxChange, InboxStore
from crmdesk.inbox.protocol import REPEAT_WINDOW, NewMessage
from crmdesk.inbox.schema import FILE_NAME
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parent))
from gui_stall import wait_for

PAGES = 100
SCREENS = 100
TICK_MS = 5
RATE = 500
STORED = 100_000
PACE = 0.1  # seconds between pages at a reading pace


class Gaps:
    """The gaps between ticks of a 5 ms timer, while `measuring`."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer(interval=TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000.0)
        self._last = now

    async def during(self, work: Callable[[], Awaitable[None]]) -> dict[str, Any]:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()
        started = time.perf_counter()
        await work()
        seconds = time.perf_counter() - started
        self.timer.stop()
        gaps = sorted(self.gaps)
        return {
            "seconds": round(seconds, 2),
            "max_stall_ms": round(gaps[-1] - TICK_MS, 1),
            "p99_stall_ms": round(gaps[int(len(gaps) * 0.99)] - TICK_MS, 1),
        }


async def fill(path: Path, count: int = STORED) -> None:
    """An inbox of `count` distinct messages, for runs to start from (a copy each)."""
    async with InboxStore(path) as store:
        for first in range(0, count, 10_000):
            messages = [
                NewMessage(
                    type=("generic", "membership", "new_user")[n % 3],
                    data=f"stored message {n}",
                    data_json=json.dumps(f"stored message {n}"),
                    summary=f"stored message {n}",
                    dedupe_key=f"bench:{n}",
                    repeat_window=REPEAT_WINDOW,
                )
                for n in range(first, min(count, first + 10_000))
            ]
            await store.add("earlier", "Earlier dealer", "aicore-push", messages)


async def start_pusher(url: str, seconds: float) -> asyncio.subprocess.Process:
    pusher = await asyncio.create_subprocess_exec(
        sys.executable,
        *("-m", "crmdesk.sandbox.push", "aicore", "--url", url),
        *("--rate", str(RATE), "--duration", str(seconds)),
        stdout=asyncio.subprocess.PIPE,
    )
    assert pusher.stdout is not None
    ready = json.loads(await pusher.stdout.readline())
    assert ready.get("ready"), ready
    return pusher


async def measure(sandboxes: CrmSandboxes, seconds: float) -> dict[str, Any]:
    desk_cm = Desk.open(
        session_profiles=demo_profiles([*sandboxes.crm.endpoints, *sandboxes.aicore.endpoints]),
        load_saved=False,
        listener_port=0,
    )
    async with desk_cm as desk:
        notifications = desk.notifications
        assert notifications is not None
        assert notifications.listener is not None
        store = notifications.store
        before = await store.count()  # retention keeps it about there: count arrivals
        context = UiContext.for_desk(desk, saved_connections=False)
        window = MainWindow(context)
        window.resize(1440, 900)
        window.show()
        first_page = wait_for(window.tabs.pageShown)
        window.connect_and_open(next(iter(window.sessions.values())))
        browser: Any = await first_page
        collect_from_now_on()  # what the app does once its window is painted
        if browser.shown_page.page_size != 100:
            resized = wait_for(browser.pageShown)
            browser.set_page_size(100)
            await resized
        aicore = next(p for p in desk.connections.profiles if p.kind == "aicore")
        url = notifications.url_for(aicore)
        assert url is not None
        gaps = Gaps()

        async def page_the_browser(step: Callable[[], None], pause: float = 0.0) -> None:
            for _ in range(PAGES - 1):
                shown = wait_for(browser.pageShown)
                step()
                await shown
                if pause:
                    await asyncio.sleep(pause)

        async def page_the_inbox() -> None:
            view = window.inbox.view
            assert view is not None
            view.setFocus()
            view.setCurrentIndex(view.model().index(0, 0))
            for _ in range(SCREENS):
                QTest.keyClick(view, Qt.Key.Key_PageDown)
                await asyncio.sleep(0.04)  # a user holding PageDown, about 25 a second

        # The same paging with no notifications first: what the machine gives this run.
        quiet = await gaps.during(lambda: page_the_browser(browser.next_page))
        first = asyncio.Event()
        arrived = [0]

        def heard(change: InboxChange) -> None:
            arrived[0] += len(change.added)
            first.set()

        store.subscribe(heard)
        pusher = await start_pusher(url, seconds)
        await asyncio.wait_for(first.wait(), 30)  # the first deliveries are in
        arrived[0] = 0
        # As fast as pages come (gui_stall.py's paging): the listener shares the loop, so
        # servers are answered more slowly and send less than 500 a second meanwhile.
        paging = await gaps.during(lambda: page_the_browser(browser.previous_page))
        paging["arrived_per_s"] = round(arrived[0] / paging["seconds"])
        arrived[0] = 0
        # At a reading pace, ten pages a second: 500 a second arrive throughout.
        paced = await gaps.during(lambda: page_the_browser(browser.next_page, PACE))
        paced["arrived_per_s"] = round(arrived[0] / paced["seconds"])
        arrived[0] = 0
        inbox = await gaps.during(page_the_inbox)
        inbox["arrived_per_s"] = round(arrived[0] / inbox["seconds"])
        still_pushing = pusher.returncode is None
        out, _ = await pusher.communicate()
        pushed = json.loads(out.decode().strip().splitlines()[-1])
        model = window.inbox.model
        assert model is not None
        window.close()
        await context.shutdown()
        return {
            "pages": PAGES,
            "paging_without_notifications": quiet,
            "paging": paging,
            "paging_ten_a_second": paced,
            "inbox_screens": SCREENS,
            "inbox_paging": inbox,
            "pushing_throughout": still_pushing,
            "stored_before": before,
            "push": {k: pushed.get(k) for k in ("messages", "deliveries", "not_acknowledged")},
            "inbox_rows_held": model.held(),
        }


class CrmSandboxes:
    def __init__(self, records: int) -> None:
        self.crm = SandboxThread(kinds=("cmdatamanager",), records_per_entity=records)
        self.aicore = SandboxThread(kinds=("aicore",), records_per_entity=50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", nargs="?", choices=("measure", "fill"), default="measure")
    parser.add_argument("path", nargs="?", type=Path, help="fill: the inbox file to make")
    parser.add_argument("--inbox", type=Path, help="an inbox file to start from (a copy)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the pusher runs")
    args = parser.parse_args()
    if args.command == "fill":
        asyncio.run(fill(args.path))
        print(json.dumps({"filled": STORED, "path": str(args.path)}))
        return 0
    if args.inbox is not None:
        target = paths.ensure(paths.data_dir()) / FILE_NAME
        shutil.copyfile(args.inbox, target)
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    sandboxes = CrmSandboxes(PAGES * 100)
    with (
        sandboxes.crm,
        sandboxes.aicore,
        asyncio.Runner(loop_factory=qasync.QEventLoop) as runner,
    ):
        print(json.dumps(runner.run(measure(sandboxes, args.seconds))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
