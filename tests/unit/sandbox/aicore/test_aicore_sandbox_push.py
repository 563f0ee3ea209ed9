"""The emulated site pushes as seed 004 says: authenticate first (key, plain or passive with
authenticate_notifications), then deliveries, each sent again until answered OK."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from aicore_service import Service
from aiohttp import web
from push_receiver import Receiver, receiving

from crmdesk.sandbox import AiCoreEmulator

LOGIN = {"login_id": "sandbox-api", "login_password": "sandbox-api-password"}


def _key_answer(body: dict[str, Any], request: web.Request) -> web.Response:
    if body["request"] == "authenticate":
        digest = hashlib.md5(
            (LOGIN["login_id"] + LOGIN["login_password"] + body["key"]).encode()
        ).hexdigest()
        return web.json_response({"ai_login_id": LOGIN["login_id"], "ai_login_password": digest})
    return web.json_response({"status": "OK"})


def _fast(emulator: AiCoreEmulator, receiver: Receiver, **settings: Any) -> None:
    emulator.push.register(receiver.url, **settings)
    emulator.push.configure(retry_delay=0.01, confirm_wait=5.0)


@pytest.mark.asyncio
async def test_key_authentication_then_realistic_deliveries(
    emulator: AiCoreEmulator, service: Service
) -> None:
    async with receiving(_key_answer) as receiver:
        _fast(emulator, receiver)
        pushed = emulator.push.burst(30)
        assert await emulator.push.drain(10)
    (auth,) = receiver.bodies("authenticate")
    assert len(auth["key"]) >= 8
    assert receiver.messages() == pushed
    assert {m["type"] for m in pushed} == {"generic", "membership", "new_user"}
    assert len({str(m) for m in pushed}) == 30  # no two alike
    for message in pushed:
        if message["type"] == "generic":
            assert isinstance(message["data"], str)
        elif message["type"] == "membership":
            assert message["data"]["status"] in {
                "created",
                "updated",
                "blocked",
                "unblocked",
                "expired",
                "deleted",
            }
            assert {
                "user_id",
                "external_user_id",
                "account_type",
                "expires",
                "exp_date",
                "blocked",
            } <= set(message["data"])
        else:
            data = message["data"]
            assert {"user_id", "username", "email", "billing_address", "shipping_address"} <= set(
                data
            )
            # The new user is on the site, as "open the related record" will need.
            user = await service.pairs("user_get", user_id=data["user_id"])
            assert user["username"] == data["username"]
    assert emulator.push.stats.messages_acknowledged == 30


@pytest.mark.asyncio
async def test_messages_not_acknowledged_are_sent_again_until_they_are(
    emulator: AiCoreEmulator,
) -> None:
    refusals = 0

    def flaky(body: dict[str, Any], request: web.Request) -> web.Response:
        nonlocal refusals
        if body["request"] == "delivery" and refusals < 5:
            refusals += 1
            return web.json_response(
                {"status": "ERROR"} if refusals % 2 else {"ok": True}, status=200
            )
        return _key_answer(body, request)

    async with receiving(flaky) as receiver:
        _fast(emulator, receiver)
        emulator.push.configure(batch_size=3)
        pushed = emulator.push.burst(9)
        assert await emulator.push.drain(10)
    delivered = receiver.messages()
    assert len(delivered) > len(pushed)  # some more than once
    assert {str(m) for m in delivered} == {str(m) for m in pushed}
    assert all(len(body["messages"]) <= 3 for body in receiver.bodies("delivery"))
    assert emulator.push.stats.not_acknowledged == 5


@pytest.mark.asyncio
async def test_a_wrong_hash_is_refused_and_nothing_is_delivered(emulator: AiCoreEmulator) -> None:
    def wrong(body: dict[str, Any], request: web.Request) -> web.Response:
        return web.json_response({"ai_login_id": LOGIN["login_id"], "ai_login_password": "0" * 32})

    async with receiving(wrong) as receiver:
        _fast(emulator, receiver)
        emulator.push.burst(3)
        assert not await emulator.push.drain(0.5)
    assert receiver.bodies("delivery") == []
    assert "login refused" in emulator.push.auth_log


@pytest.mark.asyncio
async def test_without_key_authentication_the_plain_password_is_expected(
    emulator: AiCoreEmulator,
) -> None:
    def plain(body: dict[str, Any], request: web.Request) -> web.Response:
        if body["request"] == "authenticate":
            assert "key" not in body
            return web.json_response(
                {"ai_login_id": LOGIN["login_id"], "ai_login_password": LOGIN["login_password"]}
            )
        return web.json_response({"status": "OK"})

    async with receiving(plain) as receiver:
        _fast(emulator, receiver, key_auth=False)
        emulator.push.burst(2)
        assert await emulator.push.drain(10)
    assert emulator.push.auth_log[-1] == "plain password accepted"


@pytest.mark.asyncio
async def test_a_passive_answer_delivers_only_after_authenticate_notifications(
    emulator: AiCoreEmulator, service: Service
) -> None:
    async with receiving() as receiver:  # {"status": "OK"} to everything
        _fast(emulator, receiver)
        emulator.push.burst(4)
        assert not await emulator.push.drain(0.3)
        assert receiver.bodies("delivery") == []
        assert emulator.push.state == "awaiting-confirmation"
        wrong = Service(
            service.client, service.url, {"login_id": "sandbox-api", "login_password": "nope"}
        )
        assert (await wrong.pairs("authenticate_notifications"))["status"] != "0"
        assert not await emulator.push.drain(0.2)
        assert (await service.pairs("authenticate_notifications"))["status"] == "0"
        assert await emulator.push.drain(10)
    assert len(receiver.messages()) == 4
    assert emulator.push.state == "open"


@pytest.mark.asyncio
async def test_no_more_requests_in_flight_than_the_concurrency(emulator: AiCoreEmulator) -> None:
    async with receiving(_key_answer) as receiver:
        receiver.hold = 0.02
        _fast(emulator, receiver)
        emulator.push.configure(concurrency=3)
        emulator.push.set_rate(1000)
        emulator.push.burst(24)
        assert await emulator.push.drain(20)
    assert 1 <= receiver.most_in_flight <= 3
    assert len(receiver.messages()) == 24


@pytest.mark.asyncio
async def test_the_admin_endpoint_registers_and_bursts(
    emulator: AiCoreEmulator, service: Service
) -> None:
    admin = service.url.replace("/service", "/__sandbox__/push")
    async with receiving(_key_answer) as receiver:
        reply = await service.client.post(
            admin, json={"url": receiver.url, "retry_delay": 0.01, "concurrency": 2}
        )
        assert reply.json()["url"] == receiver.url
        assert (await service.client.post(admin, json={"rate": -1})).status_code == 400
        assert (await service.client.post(admin, json={"colour": "red"})).status_code == 400
        await service.client.post(admin + "/burst", json={"count": 5})
        assert await emulator.push.drain(10)
        state = (await service.client.get(admin)).json()
    assert state["stats"]["messages_acknowledged"] == 5
    assert state["state"] == "open"
    assert len(receiver.messages()) == 5
