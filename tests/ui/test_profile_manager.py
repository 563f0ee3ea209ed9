"""The Connections dialog: create, test, duplicate, delete; what is saved where."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from memory_keyring import MemoryKeyring
from profiles_helpers import WAIT_MS, answer, fill, load, make_context, run_test, save, shut_down

from PySide6.QtWidgets import QLineEdit

from crmdesk.profiles import Profile
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionState


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def setup(qtbot, qloop, keyring_backend) -> Iterator[tuple[MainWindow, object]]:
    context = make_context(keyring_backend)
    load(qtbot, context)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    yield window, context
    shut_down(qtbot, window, context)


@pytest.fixture
def sandbox() -> Iterator[SandboxThread]:
    with SandboxThread(kinds=("ndchost", "cmdatamanager"), records_per_entity=20) as running:
        yield running


def _endpoint(sandbox: SandboxThread, kind: str):
    return next(e for e in sandbox.endpoints if e.kind == kind)


def test_a_new_connection_is_saved_to_the_file_and_its_secrets_to_the_keyring(
    qtbot, setup, keyring_backend, home
) -> None:
    window, _context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(manager.form, name="Client area", kind="ndchost", credentials={"apikey": "k-123"})
    assert manager.form.secret_fields["apikey"].echoMode() is QLineEdit.EchoMode.Password
    save(qtbot, manager)

    stored = json.loads((home / "config" / "profiles.json").read_text())
    (entry,) = stored["profiles"]
    assert entry["name"] == "Client area"
    assert entry["kind"] == "ndchost"
    assert "k-123" not in json.dumps(stored)
    assert json.loads(keyring_backend.entries[("crmdesk", entry["id"])]) == {"apikey": "k-123"}
    assert "system keyring" in manager.status.text()
    assert entry["id"] in window.sessions


def test_the_form_follows_the_kind(qtbot, setup) -> None:
    window, _context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(manager.form, name="x", kind="ndchost")
    assert manager.form.notifications_box.isHidden()
    fill(manager.form, name="x", kind="getresponse")
    assert set(manager.form.option_fields) == {"domain", "time_zone"}
    # Webhooks: the address, but no authenticate to answer.
    assert not manager.form.notifications_box.isHidden()
    assert manager.form.notify_auth.isHidden()
    assert manager.form.notify_address.line.text().startswith("/n/")
    fill(manager.form, name="x", kind="aicore")
    assert not manager.form.notifications_box.isHidden()
    assert not manager.form.notify_auth.isHidden()
    assert set(manager.form.secret_fields) == {"login_id", "login_password"}
    assert manager.form.secret_fields["login_id"].echoMode() is QLineEdit.EchoMode.Normal


def test_unsaved_changes_lock_the_list_until_saved_or_reverted(qtbot, setup) -> None:
    window, _context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    assert not manager.list.isEnabled()
    manager.revert_button.click()
    assert manager.list.isEnabled()
    assert manager.list.count() == 0


def test_test_connection_says_it_in_words_and_shows_the_exchange(qtbot, sandbox, setup) -> None:
    window, _context = setup
    endpoint = _endpoint(sandbox, "ndchost")
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(
        manager.form,
        name="NDC",
        kind="ndchost",
        base_url=endpoint.base_url,
        credentials={"apikey": "wrong"},
    )
    assert run_test(qtbot, manager).startswith("✘")
    fill(
        manager.form,
        name="NDC",
        kind="ndchost",
        base_url=endpoint.base_url,
        credentials=dict(endpoint.credentials),
    )
    words = run_test(qtbot, manager)
    assert words.startswith("✔"), words
    assert manager.exchange_button.isEnabled()
    manager.exchange_button.click()
    shown = window.inspector.details
    assert shown.exchange is manager.exchange
    assert window.inspector.current_row().id == manager.exchange.id
    assert endpoint.credentials["apikey"] not in shown.request.raw.toPlainText()
    assert "apikey=[REDACTED]" in shown.request.raw.toPlainText()


def test_missing_credentials_are_said_before_any_call(qtbot, setup) -> None:
    window, _context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(manager.form, name="NDC", kind="ndchost")
    assert "needs apikey" in run_test(qtbot, manager)
    assert not manager.exchange_button.isEnabled()


def test_duplicate_copies_setup_and_credentials_under_a_new_id(
    qtbot, setup, keyring_backend
) -> None:
    window, context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(manager.form, name="Acme", kind="ndchost", credentials={"apikey": "k"}, production=True)
    save(qtbot, manager)
    manager.duplicate_button.click()
    assert manager.form.name.text() == "Acme (copy)"
    save(qtbot, manager)
    names = sorted(p.name for p in context.book.saved)
    assert names == ["Acme", "Acme (copy)"]
    assert len(keyring_backend.entries) == 2
    assert all(p.production for p in context.book.saved)


def test_delete_asks_first_and_then_forgets_file_entry_and_secrets(
    qtbot, setup, keyring_backend
) -> None:
    window, context = setup
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(manager.form, name="Gone soon", kind="ndchost", credentials={"apikey": "k"})
    save(qtbot, manager)
    manager.delete_button.click()
    answer(qtbot, yes=False)
    qtbot.wait(50)
    assert len(context.book.saved) == 1
    manager.delete_button.click()
    answer(qtbot, yes=True)
    # The book forgets it at once; the window hears of it once the file is written.
    qtbot.waitUntil(lambda: window.sessions == {}, timeout=WAIT_MS)
    assert not context.book.saved
    assert keyring_backend.entries == {}


def test_editing_a_connected_connection_closes_its_tabs_and_reconnects_fresh(
    qtbot, sandbox, setup
) -> None:
    window, _context = setup
    endpoint = _endpoint(sandbox, "ndchost")
    manager = window.profiles.open_manager()
    manager.new_button.click()
    fill(
        manager.form,
        name="NDC",
        kind="ndchost",
        base_url=endpoint.base_url,
        credentials=dict(endpoint.credentials),
    )
    save(qtbot, manager)
    session = next(iter(window.sessions.values()))
    window.connect_and_open(session)
    qtbot.waitUntil(lambda: window.tabs.current() is not None, timeout=WAIT_MS)
    browser = window.tabs.current()
    qtbot.waitUntil(lambda: not browser.loading and browser.shown_page is not None, timeout=WAIT_MS)
    fill(
        manager.form,
        name="NDC live",
        kind="ndchost",
        base_url=endpoint.base_url,
        credentials=dict(endpoint.credentials),
        read_only=True,
    )
    save(qtbot, manager)
    assert window.tabs.current() is None
    assert session.state is ConnectionState.NOT_CONNECTED
    assert session.profile.read_only
    assert session.name == "NDC live"


def test_an_imported_profile_without_secrets_is_shown_with_what_it_needs(
    qtbot, setup, tmp_path
) -> None:
    from crmdesk.profiles import export_file

    window, context = setup
    path = tmp_path / "team.json"
    export_file(path, [Profile("Team CRM", "mothernode", "https://crm.example")])
    window.profiles.import_file(path)
    # The dialog opens once the import (profiles file written) is done, not when it starts.
    qtbot.waitUntil(lambda: window.profiles.manager is not None, timeout=WAIT_MS)
    assert len(context.book.saved) == 1
    manager = window.profiles.manager
    assert manager is not None
    assert manager.isVisible()
    qtbot.waitUntil(lambda: manager.form.name.text() == "Team CRM", timeout=WAIT_MS)
    assert "Team CRM: Access key, API password" in manager.status.text()
