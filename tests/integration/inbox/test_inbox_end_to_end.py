"""The whole push path over loopback: the sandbox's site and account push, the listener
answers, the store keeps; in every answer mode, and through failures on both sides."""

from __future__ import annotations

import json
from typing import Any

import pytest

from crmdesk.api import open_backend
from crmdesk.inbox import (
    AnswerMode,
    InboxQuery,
    InboxStore,
    NotificationListener,
    RecordLink,
    Route,
    StoreError,
    confirmer,
    new_token,
)
from crmdesk.sandbox import AiCoreEmulator, GetResponseEmulator, Sandbox


def _site(sandbox: Sandbox) -> AiCoreEmulator:
    site = sandbox.emulator("aicore")
    assert isinstance(site, AiCoreEmulator)
    site.push.configure(retry_delay=0.02, concurrency=4, confirm_wait=10)
    return site


def _key(message: dict[str, Any]) -> str:
    return json.dumps(message, sort_keys=True)


async def _stored(store: InboxStore, connection_id: str) -> list[str]:
    messages = await store.page(InboxQuery(connection_id=connection_id), limit=10_000)
    return [_key({"type": m.type, "data": m.data}) for m in messages]


@pytest.mark.asyncio
@pytest.mark.parametrize("mode", list(AnswerMode))
async def test_every_answer_mode_end_to_end(
    sandbox: Sandbox, listener: NotificationListener, store: InboxStore, mode: AnswerMode
) -> None:
    site = _site(sandbox)
    endpoint = sandbox.endpoints[0]
    login = endpoint.credentials
    async with open_backend("aicore", endpoint.base_url, login) as backend:
        route = Route(
            new_token(),
            f"dealer-{mode}",
            "Dealer",
            "aicore-push",
            mode,
            login["login_id"],
            login["login_password"],
            confirmer(backend),
        )
        listener.add_route(route)
        site.push.register(listener.url_for(route), key_auth=mode is not AnswerMode.PLAIN)
        pushed = site.push.burst(60)
        assert await site.push.drain(20)
    stored = await _stored(store, route.connection_id)
    assert sorted(stored) == sorted(_key(m) for m in pushed)
    status = listener.status(route.token)
    assert status.last_answer is mode
    assert status.confirm == ("confirmed" if mode is AnswerMode.PASSIVE else "")
    if mode is AnswerMode.PASSIVE:
        assert site.store.notifications_authenticated
    new_users = await store.page(InboxQuery(connection_id=route.connection_id, type="new_user"))
    for message in new_users:
        assert message.link == RecordLink("users", message.data["user_id"])
        assert site.store.get("users", message.data["user_id"]) is not None


@pytest.mark.asyncio
async def test_a_store_that_fails_for_a_while_loses_nothing(
    sandbox: Sandbox,
    listener: NotificationListener,
    store: InboxStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    site = _site(sandbox)
    login = sandbox.endpoints[0].credentials
    route = Route(
        new_token(),
        "d",
        "Dealer",
        "aicore-push",
        AnswerMode.KEY,
        login["login_id"],
        login["login_password"],
    )
    listener.add_route(route)
    real_add = store.add
    failures = 0

    async def sometimes(*args: Any) -> Any:
        nonlocal failures
        if failures < 10:
            failures += 1
            raise StoreError("The disk is full.")
        return await real_add(*args)

    monkeypatch.setattr(store, "add", sometimes)
    site.push.register(listener.url_for(route))
    pushed = site.push.burst(40)
    assert await site.push.drain(20)
    assert sorted(await _stored(store, "d")) == sorted(_key(m) for m in pushed)
    assert site.push.stats.not_acknowledged == 10


@pytest.mark.asyncio
async def test_webhooks_end_to_end_and_a_retried_webhook_is_stored_once(
    sandbox: Sandbox, listener: NotificationListener, store: InboxStore
) -> None:
    account = sandbox.emulator("getresponse")
    assert isinstance(account, GetResponseEmulator)
    account.push.configure(retry_intervals=(0.01, 0.02, 0.03))
    route = Route(new_token(), "mail", "Mail", "getresponse-webhook")
    listener.add_route(route)
    account.push.register(listener.url_for(route))
    payloads = account.push.burst(25)
    twice = account.push.event("contact_subscribed")
    account.push.send([twice, twice])  # the same X-Webhook-ID delivered twice
    assert await account.push.drain(20)
    assert account.push.stats.delivered == 27
    stored = await store.page(InboxQuery(connection_id="mail"), limit=100)
    assert len(stored) == 26
    assert sorted(_key(m.data) for m in stored) == sorted(
        _key(p) for p in [*payloads, twice.payload]
    )
    (repeated,) = [m for m in stored if m.repeat_count]
    assert repeated.meta["X-Webhook-ID"] == twice.id
    assert all(m.link is not None and m.link.entity == "contacts" for m in stored)
