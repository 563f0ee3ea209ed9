"""The Desk without Qt: everything the app does at start and quit, driven from a test.

It opens its stores, takes session connections, records every exchange into the history,
listens for the demo servers' pushes with the connections' own logins, and closes in order.
"""

from __future__ import annotations

import asyncio
import json
import socket
from dataclasses import replace
from pathlib import Path

import pytest

from crmdesk.api import Query
from crmdesk.demo import demo_profiles, push_demo_notifications
from crmdesk.desk import Desk, Places, Stage
from crmdesk.history import HistoryQuery
from crmdesk.inbox import InboxQuery
from crmdesk.sandbox import Sandbox

pytestmark = pytest.mark.asyncio


def places(tmp_path: Path) -> Places:
    return Places(
        changelog=tmp_path / "changes.sqlite3",
        history=tmp_path / "history.sqlite3",
        history_settings=tmp_path / "history.json",
        inbox=tmp_path / "inbox.sqlite3",
        listener_settings=tmp_path / "listener.json",
    )


async def until(condition, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(seconds):
        while not await condition():  # noqa: ASYNC110 - polling stores, not an event
            await asyncio.sleep(0.05)


async def test_a_script_drives_the_desk_as_the_app_does(tmp_path: Path) -> None:
    async with Sandbox(
        kinds=("cmdatamanager", "aicore", "getresponse"), records_per_entity=20
    ) as sandbox:
        async with Desk.open(
            session_profiles=demo_profiles(sandbox.endpoints),
            load_saved=False,
            places=places(tmp_path),
            listener_port=0,
        ) as desk:
            assert desk.history is not None
            assert desk.notifications is not None
            assert desk.notifications.listener is not None, desk.notifications.problem
            first = desk.connections.profiles[0]
            backend = await desk.connections.open(first.id)
            page = await backend.list("lead", Query(page_size=5))
            assert len(page.records) == 5

            pushing = push_demo_notifications(sandbox, desk, every=0.2)
            assert len(pushing) == 2  # aicore's push and GetResponse's webhooks
            store = desk.notifications.store

            async def both_arrived() -> bool:
                heard = {c.connection_id for c in await store.connections()}
                return len(heard) == 2

            await until(both_arrived)
            for profile in desk.connections.profiles[1:]:
                status = desk.notifications.listener.status(profile.notifications.token)
                assert status.deliveries >= 1, profile.name
            aicore = next(p for p in desk.connections.profiles if p.kind == "aicore")
            assert await store.count(InboxQuery(connection_id=aicore.id)) >= 1

            history = desk.history

            async def recorded() -> bool:
                await history.recorder.flush()
                found = await history.store.search(HistoryQuery(connection_id=first.id))
                return found.total >= 2  # the login and the list

            await until(recorded)
            found = await history.store.search(HistoryQuery(connection_id=first.id, auth_only=True))
            assert found.total == 1
        # Closed: the listener first, the stores last; nothing is left running.
        assert desk.notifications.listener is not None
        assert not desk.notifications.listener.running
        assert desk.work.pending == 0
        assert backend.closed


async def test_closing_runs_the_stages_in_order(tmp_path: Path) -> None:
    order: list[str] = []
    async with Desk.open(load_saved=False, places=places(tmp_path), history=False) as desk:

        async def stop(name: str) -> None:
            order.append(name)

        desk.on_close(Stage.STORES, "a store", lambda: stop("store"))
        desk.on_close(Stage.LISTENERS, "a listener", lambda: stop("listener"))

        async def work() -> None:
            try:
                await asyncio.sleep(60)
            finally:
                order.append("work cancelled")

        desk.work.start(work(), "long work")
        await asyncio.sleep(0)
    assert order == ["listener", "work cancelled", "store"]


async def test_a_console_with_no_notifying_connection_opens_no_port(tmp_path: Path) -> None:
    async with (
        Sandbox(kinds=("cmdatamanager",), records_per_entity=5) as sandbox,
        Desk.open(
            session_profiles=demo_profiles(sandbox.endpoints),
            load_saved=False,
            places=places(tmp_path),
            listener_port=0,
        ) as desk,
    ):
        assert desk.notifications is not None
        assert desk.notifications.listener is None
        assert desk.notifications.problem == ""


async def test_listener_settings_move_the_listener_with_its_routes(tmp_path: Path) -> None:
    """A new port moves the running listener (its routes go along and pushes arrive there);
    a port that is taken keeps it where it was; a public base URL is the address at once."""
    async with (
        Sandbox(kinds=("aicore",), records_per_entity=10) as sandbox,
        Desk.open(
            session_profiles=demo_profiles(sandbox.endpoints),
            load_saved=False,
            places=places(tmp_path),
            listener_port=0,
        ) as desk,
    ):
        notifications = desk.notifications
        assert notifications is not None
        assert notifications.listener is not None
        profile = desk.connections.profiles[0]
        assert profile.notifications is not None
        token = profile.notifications.token
        assert notifications.address(token) == notifications.url_for(profile)

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        words = await notifications.set_settings(
            replace(notifications.settings, port=port), tmp_path / "listener.json"
        )
        assert words == f"The listener moved to 127.0.0.1:{port}."
        assert notifications.listener.port == port
        assert json.loads((tmp_path / "listener.json").read_text())["port"] == port
        pusher = sandbox.pusher("aicore")
        pusher.register(notifications.url_for(profile))
        pusher.burst(3)
        assert await pusher.drain(10)
        assert await notifications.store.count() == 3

        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            busy = taken.getsockname()[1]
            words = await notifications.set_settings(
                replace(notifications.settings, port=busy), tmp_path / "listener.json"
            )
        assert f"127.0.0.1:{busy} is not free" in words
        assert words.endswith(f"It still listens on 127.0.0.1:{port}.")
        assert notifications.listener.running
        assert notifications.listener.port == port
        assert notifications.problem == ""

        await notifications.set_settings(
            replace(notifications.settings, public_base_url="https://tunnel.example/"),
            tmp_path / "listener.json",
        )
        assert notifications.address(token).startswith("https://tunnel.example/n/")
