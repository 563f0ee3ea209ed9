"""The inspector's tests: a main window on the sandbox whose Desk keeps an exchange history."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from inspector_helpers import WAIT_MS, Inspecting
from window_helpers import make_context

from crmdesk.desk import Stage
from crmdesk.desk.history import open_history
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow


@pytest.fixture
def inspecting(qtbot, qloop, request) -> Iterator[Inspecting]:
    """A window on the CMDataManager sandbox (or the kinds a test's `indirect` parameter
    names) whose Desk keeps an exchange history."""
    kinds = getattr(request, "param", ("cmdatamanager",))
    with SandboxThread(kinds=kinds, records_per_entity=60) as sandbox:
        context = make_context(sandbox)
        desk = context.desk
        opened = asyncio.ensure_future(open_history(desk.exchanges))
        qtbot.waitUntil(opened.done, timeout=WAIT_MS)
        desk.history = opened.result()
        assert desk.history is not None
        desk.on_close(Stage.STORES, "history", desk.history.aclose)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        harness = Inspecting(qtbot, window, context, sandbox)
        yield harness
        harness.shut_down()
