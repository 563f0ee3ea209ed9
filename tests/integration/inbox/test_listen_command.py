"""`crmdesk listen`: the listener without a window, from saved connections or one given on the
command line; it logs what it receives, exits 0 on SIGTERM, and the app finds it all in the
same inbox."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from listen_process import ListenProcess

from crmdesk.inbox import InboxQuery, InboxStore
from crmdesk.profiles import NotificationAuth, NotificationSettings, Profile, ProfileStore
from crmdesk.sandbox import AiCoreEmulator, GetResponseEmulator, Sandbox


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_connection_given_here_in_passive_mode(
    sandbox: Sandbox, tmp_path: Path, free_port: int
) -> None:
    site = sandbox.emulator("aicore")
    assert isinstance(site, AiCoreEmulator)
    endpoint = sandbox.endpoints[0]
    password = endpoint.credentials["login_password"]
    listen = ListenProcess(
        "--port", str(free_port), "--mode", "passive", "--base-url", endpoint.base_url,
        "--login-id", endpoint.credentials["login_id"], "--password-env", "DEALER_PW",
        "--name", "Dealer",
        home=tmp_path,
        env={"DEALER_PW": password},
    )  # fmt: skip
    (url,) = await listen.start()
    site.push.register(url)
    site.push.configure(retry_delay=0.05)
    pushed = site.push.burst(12)
    assert await site.push.drain(30)
    assert site.store.notifications_authenticated  # the listener confirmed on /service
    assert await listen.stop() == 0
    assert "crmdesk listen: stopped." in listen.output
    assert "generic from Dealer" in listen.output or "new_user from Dealer" in listen.output
    assert password not in listen.output
    async with InboxStore(tmp_path / "data" / "inbox.sqlite3") as inbox:
        assert await inbox.count() == len(pushed)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_saved_connections_with_notifications_enabled(
    sandbox: Sandbox, tmp_path: Path, free_port: int
) -> None:
    mail = Profile(
        "Marketing",
        "getresponse",
        "",
        notifications=NotificationSettings(enabled=True, token="marketing-token-0123456789"),
    )
    quiet = Profile("Quiet", "getresponse", "", notifications=NotificationSettings(enabled=False))
    ProfileStore(tmp_path / "config" / "profiles.json").save([mail, quiet])
    listen = ListenProcess("--port", str(free_port), home=tmp_path)
    (url,) = await listen.start()
    assert url.endswith("/n/marketing-token-0123456789")
    account = sandbox.emulator("getresponse")
    assert isinstance(account, GetResponseEmulator)
    account.push.configure(retry_intervals=(0.05, 0.1, 0.2))
    account.push.register(url)
    account.push.burst(5)
    assert await account.push.drain(30)
    assert await listen.stop() == 0
    async with InboxStore(tmp_path / "data" / "inbox.sqlite3") as inbox:
        stored = await inbox.page(InboxQuery(connection_id=mail.id))
    assert len(stored) == 5
    assert {m.connection_name for m in stored} == {"Marketing"}


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--connection", "Dealer"), "no saved login"),
        (("--connection", "Nobody"), "no saved connection is called 'Nobody'"),
        (("--connection", "Dealer", "--login-id", "x"), "not both"),
        (("--login-id", "x"), "needs --login-id and --password-env"),
        (("--login-id", "x", "--password-env", "UNSET_VARIABLE_FOR_TEST"), "holds no password"),
        (("--login-id", "x", "--password-env", "HOME", "--mode", "passive"), "needs --base-url"),
    ],
)
async def test_what_cannot_work_is_refused_in_words(
    tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    dealer = Profile(
        "Dealer",
        "aicore",
        "https://dealer.example/service",
        notifications=NotificationSettings(enabled=True, auth=NotificationAuth.KEY),
    )
    ProfileStore(tmp_path / "config" / "profiles.json").save([dealer])
    listen = ListenProcess("--port", "0", *args, home=tmp_path)
    assert await listen.run() == 2
    assert words in listen.output


def test_listen_help_names_its_options() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "crmdesk", "listen", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    for option in ("--host", "--port", "--store", "--connection", "--password-env", "--mode"):
        assert option in done.stdout
