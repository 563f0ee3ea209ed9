"""The demo's connections in File → Connections… (marked sandbox, changed for the session,
never saved), and connections without their secrets asking for them when opened."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from memory_keyring import MemoryKeyring
from profiles_helpers import WAIT_MS, load, make_context, shut_down

from crmdesk.demo import demo_profiles
from crmdesk.profiles import Profile
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionState


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    with SandboxThread(kinds=("ndchost",), records_per_entity=20) as running:
        yield running


@pytest.fixture
def demo(qtbot, qloop, sandbox) -> Iterator[tuple[MainWindow, object]]:
    """A window as `--demo` makes it: saved connections and the sandbox's session ones."""
    context = make_context(MemoryKeyring())
    for profile, credentials in demo_profiles(sandbox.endpoints):
        context.desk.add_session_profile(profile, credentials)
    load(qtbot, context)
    window = MainWindow(context, sandbox=sandbox)
    qtbot.addWidget(window)
    window.show()
    yield window, context
    shut_down(qtbot, window, context)


def test_sandbox_connections_are_listed_and_changed_for_the_session_only(qtbot, demo, home):
    window, context = demo
    manager = window.profiles.open_manager()
    assert manager.list.item(0).text() == "NDCHost sandbox  (sandbox, not saved)"
    qtbot.waitUntil(lambda: manager.form.name.text() == "NDCHost sandbox", timeout=WAIT_MS)
    assert not manager.delete_button.isEnabled()
    assert not manager.duplicate_button.isEnabled()

    manager.form.production.setChecked(True)
    manager.form.edited.emit()
    assert manager.save_button.text() == "Apply for this session"
    manager.save_button.click()
    qtbot.waitUntil(lambda: not manager.dirty, timeout=WAIT_MS)

    session = next(iter(window.sessions.values()))
    assert session.profile.production
    assert window.connections.item_for(session).text(0) == "NDCHost sandbox (PROD)"
    assert context.book.saved == ()
    assert not (home / "config" / "profiles.json").exists()  # nothing was written
    assert manager.status.text().startswith("Changed NDCHost sandbox for this session.")


def test_a_connection_without_its_secrets_asks_for_them_when_opened(qtbot, demo, sandbox):
    window, context = demo
    endpoint = sandbox.endpoints[0]
    profile = Profile("Imported client area", "ndchost", endpoint.base_url)
    save = asyncio.ensure_future(context.book.save(profile, {}))
    qtbot.waitUntil(lambda: profile.id in window.sessions, timeout=WAIT_MS)
    save.result()
    session = window.sessions[profile.id]

    session.open()
    qtbot.waitUntil(lambda: window.credentials.dialog is not None, timeout=WAIT_MS)
    dialog = window.credentials.dialog
    assert list(dialog.boxes) == ["apikey"]
    assert not dialog.connect_button.isEnabled()
    dialog.boxes["apikey"].setText(endpoint.credentials["apikey"])
    dialog.connect_button.click()

    qtbot.waitUntil(lambda: session.state is ConnectionState.CONNECTED, timeout=WAIT_MS)
    kept = asyncio.ensure_future(context.desk.secrets.get(profile.id))
    qtbot.waitUntil(kept.done, timeout=WAIT_MS)
    assert kept.result() == {"apikey": endpoint.credentials["apikey"]}


def test_declining_to_give_the_secrets_leaves_it_not_connected_in_words(qtbot, demo, sandbox):
    window, context = demo
    profile = Profile("Imported", "ndchost", sandbox.endpoints[0].base_url)
    save = asyncio.ensure_future(context.book.save(profile, {}))
    qtbot.waitUntil(lambda: profile.id in window.sessions, timeout=WAIT_MS)
    save.result()
    session = window.sessions[profile.id]
    session.open()
    qtbot.waitUntil(lambda: window.credentials.dialog is not None, timeout=WAIT_MS)
    window.credentials.dialog.reject()
    qtbot.waitUntil(lambda: session.state is ConnectionState.NOT_CONNECTED, timeout=WAIT_MS)
    assert session.detail == "Needs its credentials to connect; double-click it to enter them."
