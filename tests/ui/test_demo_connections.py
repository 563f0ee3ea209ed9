"""Every API of the demo can be connected to, and every one of its entities browsed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from window_helpers import make_context

from crmdesk.demo import DEMO_KINDS
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionState

WAIT_MS = 15_000


@pytest.fixture
def demo_window(qtbot, qloop) -> Iterator[MainWindow]:
    with SandboxThread(kinds=DEMO_KINDS, records_per_entity=30) as sandbox:
        context = make_context(sandbox)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        yield window
        window.close()
        finished = asyncio.ensure_future(context.shutdown())
        qtbot.waitUntil(finished.done, timeout=WAIT_MS)
        finished.result()


def test_the_demo_lists_all_five_apis(demo_window: MainWindow) -> None:
    kinds = [session.profile.kind for session in demo_window.sessions.values()]
    assert kinds == list(DEMO_KINDS)


def test_every_entity_of_every_api_shows_a_page(qtbot, demo_window: MainWindow) -> None:
    for session in demo_window.sessions.values():
        session.open()
        qtbot.waitUntil(
            lambda s=session: s.state is not ConnectionState.CONNECTING, timeout=WAIT_MS
        )
        assert session.state is ConnectionState.CONNECTED, session.detail
        assert session.entities
        for entity in session.entities:
            browser = demo_window.open_entity(session, entity)
            qtbot.waitUntil(
                lambda b=browser: not b.loading and (b.shown_page or b.banner.error) is not None,
                timeout=WAIT_MS,
            )
            where = f"{session.name} / {entity.label}"
            assert browser.banner.error is None, f"{where}: {browser.banner.error.summary}"
            assert browser.shown_page is not None, where
            assert browser.paging.status.text().startswith("Page 1"), where


def test_a_list_the_server_cannot_sort_says_it_was_sorted_locally(
    qtbot, demo_window: MainWindow
) -> None:
    session = next(s for s in demo_window.sessions.values() if s.profile.kind == "mothernode")
    session.open()
    qtbot.waitUntil(lambda: session.state is ConnectionState.CONNECTED, timeout=WAIT_MS)
    browser = demo_window.open_entity(session, session.preferred_entity())
    qtbot.waitUntil(lambda: browser.shown_page is not None and not browser.loading, timeout=WAIT_MS)
    column = next(
        c for c in range(1, browser.model.columnCount()) if browser.model.field_at(c).sortable
    )
    browser.sort_by_column(column)
    qtbot.waitUntil(
        lambda: browser.shown_page.sort is not None and not browser.loading, timeout=WAIT_MS
    )
    assert browser.paging.status.text().endswith("locally")


def test_tabs_of_the_same_entity_name_say_whose_they_are(qtbot, demo_window: MainWindow) -> None:
    sessions = {s.profile.kind: s for s in demo_window.sessions.values()}
    tabs = demo_window.tabs.tabs
    opened = []
    for kind in ("cmdatamanager", "mothernode"):
        session = sessions[kind]
        session.open()
        qtbot.waitUntil(lambda s=session: s.state is ConnectionState.CONNECTED, timeout=WAIT_MS)
        opened.append(demo_window.open_entity(session, session.preferred_entity()))
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Leads · CMDataManager sandbox",
        "Leads · Mothernode sandbox",
    ]
    demo_window.tabs.close_tab(tabs.indexOf(opened[1]))
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Leads"]
