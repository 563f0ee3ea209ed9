"""What keeps a user safe: the keyring banner, the production band and title, the write guard,
read-only down to the API layer, a damaged profiles file reported, the last connection back."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from memory_keyring import MemoryKeyring
from profiles_helpers import WAIT_MS, answer, load, make_context, shut_down

import shiboken6

from crmdesk.api import ApiError, ErrorKind
from crmdesk.profiles import Profile, ProfileStore
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.session import ConnectionState


@pytest.fixture
def open_window(qtbot, qloop) -> Iterator:
    made = []

    def make(backend=None) -> MainWindow:
        context = make_context(backend)
        load(qtbot, context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        made.append((window, context))
        return window

    yield make
    for window, context in made:
        shut_down(qtbot, window, context)


def test_without_a_usable_keyring_a_banner_says_session_only(qtbot, open_window) -> None:
    window = open_window()  # the tests' keyring is the null backend
    banner = window.profiles.keyring_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert "for this session only" in banner.text.text()
    assert "null backend" in banner.text.text()


def test_the_keyring_said_after_the_window_went_is_not_shown_to_it(qtbot, qloop) -> None:
    # At quit the keyring check (on a thread, behind the first paint) can end after the
    # window and its banners are gone.
    context = make_context()
    load(qtbot, context)
    window = MainWindow(context)
    window.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=WAIT_MS)
    context.profile_signals.keyringChanged.emit()
    context.profile_signals.problems.emit(["a problem nobody can show"])
    done = asyncio.ensure_future(context.shutdown())
    qtbot.waitUntil(done.done, timeout=WAIT_MS)


def test_with_a_keyring_there_is_no_banner(qtbot, open_window) -> None:
    window = open_window(MemoryKeyring())
    book = window.profiles.book
    qtbot.waitUntil(lambda: book.keyring_state.name == "KEYRING", timeout=WAIT_MS)
    assert not window.profiles.keyring_banner.isVisible()


def test_a_damaged_profiles_file_is_reported_and_the_app_starts(qtbot, open_window, home) -> None:
    path = home / "config" / "profiles.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ this is not json")
    window = open_window()
    banner = window.profiles.file_banner
    assert banner.isVisible()
    assert "set aside" in banner.text.text()
    assert any(p.name.startswith("profiles.json.corrupt-") for p in path.parent.iterdir())


def test_a_production_connection_has_a_red_band_and_says_so_in_the_title(
    qtbot, open_window
) -> None:
    ProfileStore().save([Profile("Acme Ltd", "ndchost", "", production=True)])
    window = open_window()
    session = next(iter(window.sessions.values()))
    window._follow(session)
    assert window.band.isVisible()
    assert window.band.text() == "PRODUCTION · Acme Ltd · writes ask for confirmation"
    assert window.windowTitle().startswith("PRODUCTION Acme Ltd")
    assert "(PROD)" in window.connections.item_for(session).text(0)


def test_the_guard_refuses_read_only_and_asks_for_production(qtbot, qloop) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    guard = WriteGuard(parent)

    def allowed(profile: Profile, yes: bool | None = None) -> bool:
        result = asyncio.ensure_future(guard.allow(profile, "save 2 changes to Leads"))
        if yes is not None:
            answer(qtbot, yes=yes)
        qtbot.waitUntil(result.done, timeout=WAIT_MS)
        return result.result()

    assert allowed(Profile("Dev", "ndchost", ""))
    assert not allowed(Profile("Safe", "ndchost", "", read_only=True))
    assert "read-only" in guard.last_refusal
    assert not allowed(Profile("Acme", "ndchost", "", production=True), yes=False)
    assert allowed(Profile("Acme", "ndchost", "", production=True), yes=True)


def test_read_only_blocks_writes_in_the_api_layer_before_the_network(qtbot, open_window) -> None:
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=10) as sandbox:
        endpoint = sandbox.endpoints[0]
        window = open_window(MemoryKeyring())
        book = window.profiles.book
        profile = Profile(
            "Acme", "cmdatamanager", endpoint.base_url, read_only=True, options=endpoint.options
        )
        saved = asyncio.ensure_future(book.save(profile, endpoint.credentials))
        qtbot.waitUntil(saved.done, timeout=WAIT_MS)
        session = window.sessions[profile.id]
        session.open()
        qtbot.waitUntil(lambda: session.state is ConnectionState.CONNECTED, timeout=WAIT_MS)
        assert session.backend is not None
        assert session.backend.read_only
        before = len(book.connections.log)
        write = asyncio.ensure_future(session.backend.update("lead", "1", {"Status": "Open"}))
        qtbot.waitUntil(write.done, timeout=WAIT_MS)
        with pytest.raises(ApiError) as caught:
            write.result()
        assert caught.value.kind is ErrorKind.READ_ONLY
        assert len(book.connections.log) == before  # nothing went over the wire


def test_the_last_used_connection_reopens_on_start(qtbot, open_window) -> None:
    with SandboxThread(kinds=("ndchost",), records_per_entity=10) as sandbox:
        endpoint = sandbox.endpoints[0]
        keyring_backend = MemoryKeyring()
        first = open_window(keyring_backend)
        profiles = [
            Profile("One", "ndchost", endpoint.base_url),
            Profile("Two", "ndchost", endpoint.base_url),
        ]
        for profile in profiles:
            done = asyncio.ensure_future(first.profiles.book.save(profile, endpoint.credentials))
            qtbot.waitUntil(done.done, timeout=WAIT_MS)
        first.sessions[profiles[1].id].open()
        qtbot.waitUntil(lambda: first.profiles.book.last_used == profiles[1].id, timeout=WAIT_MS)
        # The book remembers at once and writes the file a moment later, in a thread.
        store = first.profiles.book.store
        qtbot.waitUntil(lambda: store.load().last_used == profiles[1].id, timeout=WAIT_MS)

        second = open_window(keyring_backend)  # the next start
        session = second.reopen_last_used()
        assert session is not None
        assert session.id == profiles[1].id
        qtbot.waitUntil(lambda: second.tabs.current() is not None, timeout=WAIT_MS)
        browser = second.tabs.current()
        qtbot.waitUntil(
            lambda: not browser.loading and browser.shown_page is not None, timeout=WAIT_MS
        )
