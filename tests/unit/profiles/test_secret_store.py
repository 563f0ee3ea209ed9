"""SecretStore: the keyring when it works; otherwise this session only, saying why."""

from __future__ import annotations

import asyncio
import json
import threading

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from memory_keyring import MemoryKeyring

from crmdesk.profiles import KeyringState, Profile, SecretStore

pytestmark = pytest.mark.asyncio

CREDENTIALS = {"access_key": "AK-123", "api_password": "pa55 wörd"}


def _profile() -> Profile:
    return Profile("Mothernode", "mothernode", "", id="p1")


async def test_credentials_go_to_the_keyring_as_one_entry_per_profile() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    assert await store.put("p1", CREDENTIALS) is KeyringState.KEYRING
    assert json.loads(backend.entries[("crmdesk", "p1")]) == CREDENTIALS
    fresh = SecretStore(backend)  # the next run of the app
    assert await fresh(_profile()) == CREDENTIALS


async def test_the_source_gives_open_backend_only_what_the_kind_takes() -> None:
    store = SecretStore(MemoryKeyring())
    await store.put("p1", {**CREDENTIALS, "left_over": "x"})
    assert await store(_profile()) == CREDENTIALS


async def test_missing_names_the_credentials_still_to_type() -> None:
    store = SecretStore(MemoryKeyring())
    await store.put("p1", {"access_key": "AK"})
    assert await store.missing(_profile()) == ("API password",)


async def test_delete_forgets_and_deleting_nothing_is_fine() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    await store.put("p1", CREDENTIALS)
    await store.delete("p1")
    await store.delete("never-there")
    assert backend.entries == {}
    assert await store.get("p1") == {}
    assert store.state is KeyringState.KEYRING


@pytest.mark.parametrize(
    ("backend", "words"),
    [
        (keyring.backends.fail.Keyring(), "no system keyring"),
        (keyring.backends.null.Keyring(), "switched off"),
    ],
)
async def test_fail_and_null_backends_mean_session_only(backend, words: str) -> None:
    store = SecretStore(backend)
    changes: list[KeyringState] = []
    store.subscribe(lambda: changes.append(store.state))
    assert await store.put("p1", CREDENTIALS) is KeyringState.SESSION_ONLY
    assert words in store.reason
    assert changes == [KeyringState.SESSION_ONLY]
    assert await store(_profile()) == CREDENTIALS  # still there for this run


async def test_keyrings_own_choice_is_checked_too() -> None:
    # The tests run with PYTHON_KEYRING_BACKEND=null (tests/conftest.py).
    store = SecretStore()
    assert await store.check() is KeyringState.SESSION_ONLY
    assert "switched off" in store.reason


async def test_an_installed_keyring_is_used(memory_keyring: MemoryKeyring) -> None:
    store = SecretStore()
    await store.put("p1", CREDENTIALS)
    assert ("crmdesk", "p1") in memory_keyring.entries


async def test_a_plaintext_keyring_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    store = SecretStore(PlaintextKeyring())
    assert await store.check() is KeyringState.SESSION_ONLY
    assert "file" in store.reason


async def test_a_locked_keyring_means_session_only_and_nothing_is_lost() -> None:
    backend = MemoryKeyring()
    backend.locked = True
    store = SecretStore(backend)
    assert await store.put("p1", CREDENTIALS) is KeyringState.SESSION_ONLY
    assert "locked" in store.reason
    assert await store.get("p1") == CREDENTIALS
    assert backend.entries == {}


async def test_a_keyring_that_locks_later_keeps_what_was_typed() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    await store.check()
    backend.locked = True
    assert await store.put("p1", CREDENTIALS) is KeyringState.SESSION_ONLY
    assert await store.get("p1") == CREDENTIALS


async def test_a_keyring_that_never_answers_times_out_without_blocking_the_loop() -> None:
    backend = MemoryKeyring()
    backend.hang = threading.Event()
    store = SecretStore(backend, timeout=0.2)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    ticker = asyncio.ensure_future(tick())
    try:
        assert await store.put("p1", CREDENTIALS) is KeyringState.SESSION_ONLY
    finally:
        ticker.cancel()
        backend.hang.set()
    assert "within 0.2 s" in store.reason
    assert ticks >= 10, "the loop stalled while the keyring hung"
    assert await store.get("p1") == CREDENTIALS


async def test_the_check_is_made_once() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    await asyncio.gather(store.check(), store.check(), store.check())
    assert backend.calls == 1


async def test_session_only_credentials_for_the_demo_never_reach_the_keyring() -> None:
    backend = MemoryKeyring()
    store = SecretStore(backend)
    store.keep_for_session("demo", {"apikey": "k"})
    assert await store.get("demo") == {"apikey": "k"}
    assert backend.entries == {}
