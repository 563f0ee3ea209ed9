"""The process holding the listener is killed (SIGKILL) while the site pushes 1,000 messages;
once it is back, re-deliveries bring in what was not acknowledged, and every message is in
the store exactly once."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import pytest
from listen_process import ListenProcess

from crmdesk.inbox import InboxStore
from crmdesk.sandbox import AiCoreEmulator, Sandbox

TOKEN = "crash-test-token-0123456789abcdef"


@pytest.mark.slow
@pytest.mark.asyncio
async def test_sigkill_while_delivering_loses_nothing_and_stores_nothing_twice(
    sandbox: Sandbox, tmp_path: Path, free_port: int
) -> None:
    site = sandbox.emulator("aicore")
    assert isinstance(site, AiCoreEmulator)
    login = sandbox.endpoints[0].credentials
    store_path = tmp_path / "inbox.sqlite3"
    args = (
        "--port", str(free_port), "--store", str(store_path), "--token", TOKEN,
        "--login-id", login["login_id"], "--password-env", "CRASH_TEST_PASSWORD",
    )  # fmt: skip
    env = {"CRASH_TEST_PASSWORD": login["login_password"]}
    first = ListenProcess(*args, home=tmp_path, env=env)
    (url,) = await first.start()
    site.push.register(url)
    site.push.configure(concurrency=8, retry_delay=0.05, timeout=2.0)
    pushed = site.push.burst(1000)

    async with asyncio.timeout(60):
        while site.push.stats.messages_acknowledged < 300:  # noqa: ASYNC110 - no event for it
            await asyncio.sleep(0.005)
    assert await first.stop(signal.SIGKILL) == -signal.SIGKILL
    await asyncio.sleep(0.3)  # the site keeps trying and failing meanwhile
    second = ListenProcess(*args, home=tmp_path, env=env)
    assert await second.start() == [url]
    assert await site.push.drain(60)
    assert await second.stop() == 0

    assert site.push.stats.not_acknowledged >= 1
    async with InboxStore(store_path) as store:
        stored = await store.page(limit=5000)
    wanted = sorted(json.dumps(m, sort_keys=True) for m in pushed)
    found = sorted(json.dumps({"type": m.type, "data": m.data}, sort_keys=True) for m in stored)
    assert found == wanted  # each once: a re-delivery of a stored one is a repeat, not a row
