"""End to end: a whole session with saved connections of every kind, then a search of every
file it wrote (profiles, UI state, exports, logs) for every secret, in the encodings secrets
travel in. With a keyring, and without one (the null backend: banner, session only)."""

from __future__ import annotations

import base64
import json
import logging
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from memory_keyring import MemoryKeyring
from profiles_helpers import WAIT_MS, fill, load, make_context, run_test, save, shut_down

from crmdesk.api import kind_info
from crmdesk.app import configure_logging
from crmdesk.demo import DEMO_KINDS
from crmdesk.profiles import KeyringState
from crmdesk.sandbox import SandboxThread
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.session import ConnectionState


@pytest.fixture
def file_log() -> Iterator[Path]:
    """The app's own log set-up (a file under CRMDESK_HOME), taken down afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    logfile = configure_logging()
    yield logfile
    for handler in root.handlers[:]:
        if handler not in before:
            handler.close()
            root.removeHandler(handler)
    root.setLevel(level)


def _forms_of(secret: str) -> set[str]:
    return {
        secret,
        urllib.parse.quote(secret, safe=""),
        urllib.parse.quote_plus(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode(),
    }


def _secret_strings(endpoints) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for endpoint in endpoints:
        info = kind_info(endpoint.kind)
        for field in info.credentials:
            if field.secret:
                value = endpoint.credentials[field.name]
                found.setdefault(value, set()).update(_forms_of(value))
        if endpoint.kind == "mothernode":  # HTTP Basic: base64 of key:password
            pair = f"{endpoint.credentials['access_key']}:{endpoint.credentials['api_password']}"
            found[pair] = {base64.b64encode(pair.encode()).decode()}
    return found


@pytest.mark.parametrize("keyring_kind", ["memory", "none"])
def test_a_whole_session_leaves_no_secret_in_any_file(
    qtbot, qloop, home: Path, file_log: Path, keyring_kind: str
) -> None:
    backend = MemoryKeyring() if keyring_kind == "memory" else None  # None: the null backend
    with SandboxThread(kinds=DEMO_KINDS, records_per_entity=20) as sandbox:
        endpoints = sandbox.endpoints
        context = make_context(backend)
        load(qtbot, context)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        book = context.book
        try:
            manager = window.profiles.open_manager()
            for endpoint in endpoints:
                manager.new_button.click()
                fill(
                    manager.form,
                    name=endpoint.label,
                    kind=endpoint.kind,
                    base_url=endpoint.base_url,
                    credentials=dict(endpoint.credentials),
                    options=dict(endpoint.options),
                    production=endpoint.kind == "cmdatamanager",
                )
                words = run_test(qtbot, manager)
                assert words.startswith("✔"), f"{endpoint.kind}: {words}"
                save(qtbot, manager)
            manager.close()
            assert len(book.saved) == len(DEMO_KINDS)
            if keyring_kind == "none":
                assert book.keyring_state is KeyringState.SESSION_ONLY
                assert window.profiles.keyring_banner.isVisible()
            else:
                assert book.keyring_state is KeyringState.KEYRING
                assert len(backend.entries) == len(DEMO_KINDS)  # one entry per profile

            for session in list(window.sessions.values()):
                window.connect_and_open(session)
                qtbot.waitUntil(
                    lambda s=session: s.state is not ConnectionState.CONNECTING, timeout=WAIT_MS
                )
                assert session.state is ConnectionState.CONNECTED, session.detail
                qtbot.waitUntil(lambda: window.tabs.current() is not None, timeout=WAIT_MS)
                browser = window.tabs.current()
                qtbot.waitUntil(
                    lambda b=browser: not b.loading and b.shown_page is not None, timeout=WAIT_MS
                )

            shared = home / "shared" / "team-connections.json"
            shared.parent.mkdir()
            window.profiles.export_file(shared)
            qtbot.waitUntil(shared.exists, timeout=WAIT_MS)
            window.profiles.import_file(shared)
            qtbot.waitUntil(lambda: len(book.saved) == 2 * len(DEMO_KINDS), timeout=WAIT_MS)
        finally:
            shut_down(qtbot, window, context)
    for handler in logging.getLogger().handlers:
        handler.flush()

    names = {path.name for path in home.rglob("*")}
    assert {"profiles.json", "ui-state.ini", "crmdesk.log", "team-connections.json"} <= names
    assert "HTTP Request" in file_log.read_text(), "the log should have seen the traffic"
    assert not _leaks(home, endpoints), "\n".join(_leaks(home, endpoints))
    # The search itself works: a planted secret in any of its forms is found.
    canary = home / "canary"
    canary.mkdir()
    (canary / "x.log").write_text(urllib.parse.quote_plus(endpoints[0].credentials["password"]))
    assert _leaks(canary, endpoints)


def _leaks(root: Path, endpoints) -> list[str]:
    leaks = []
    for path in (path for path in root.rglob("*") if path.is_file()):
        content = path.read_bytes().decode("utf-8", errors="replace")
        for secret, forms in _secret_strings(endpoints).items():
            leaks += [
                f"{path.relative_to(root)}: {secret!r} as {form!r}"
                for form in forms
                if form in content
            ]
    return leaks
