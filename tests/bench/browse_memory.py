"""Memory after browsing 100,000 records in the window, against the window's idle memory.

Run by tests/bench/run.py in its own process. The sandbox runs in a separate process here, so
its 100,000 records do not count against crmdesk. Prints a JSON line.
"""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import PySide6  # noqa: F401  (before qasync, as the app does)
import qasync  # type: ignore[import-untyped]
from PySide6.QtWidgets import QApplication

from crmdesk.desk import Desk
from crmdesk.profiles import Profile
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).parent))
from gui_stall import wait_for

RECORDS = 100_000
PAGE_SIZE = 500


def rss_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / (1024 * 1024)


def start_sandbox() -> tuple[subprocess.Popen[str], str, dict[str, str]]:
    command = ["-m", "crmdesk", "sandbox", "--kind", "cmdatamanager", "--records", str(RECORDS)]
    process = subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    fields: dict[str, str] = {}
    for line in process.stdout:
        match = re.match(r"\s+(base URL|client_id|client_secret|username|password)\s+(\S+)", line)
        if match:
            fields[match.group(1)] = match.group(2)
        if len(fields) == 5:
            break
    base_url = fields.pop("base URL")
    return process, base_url, fields


async def main(base_url: str, credentials: dict[str, str]) -> dict[str, float]:
    desk = Desk.create()
    desk.add_session_profile(Profile("Sandbox", "cmdatamanager", base_url), credentials)
    context = UiContext.for_desk(desk, saved_connections=False)
    window = MainWindow(context)
    window.resize(1440, 900)
    window.show()
    first_page = wait_for(window.tabs.pageShown, timeout=120)
    window.connect_and_open(next(iter(window.sessions.values())))
    browser = await first_page
    resized = wait_for(browser.pageShown)  # type: ignore[attr-defined]
    browser.set_page_size(PAGE_SIZE)  # type: ignore[attr-defined]
    await resized
    idle = rss_mib()
    pages = RECORDS // PAGE_SIZE
    for _ in range(pages - 1):
        shown = wait_for(browser.pageShown)  # type: ignore[attr-defined]
        browser.next_page()  # type: ignore[attr-defined]
        await shown
    after = rss_mib()
    window.close()
    await context.shutdown()
    return {"records": RECORDS, "idle_mib": idle, "after_mib": after, "growth_mib": after - idle}


if __name__ == "__main__":
    sandbox, url, creds = start_sandbox()
    try:
        app = QApplication(sys.argv[:1])
        app.setQuitOnLastWindowClosed(False)
        with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
            print(json.dumps(runner.run(main(url, creds))))
    finally:
        sandbox.terminate()
        sandbox.wait(10)
