"""Authentication, tokens and the call quota of the CMDataManager emulator."""

from __future__ import annotations

import asyncio
import time

import pytest
from sandbox_client import Api, open_api

from crmdesk.sandbox import CMDataManagerEmulator, Sandbox

RATE_HEADERS = ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")


@pytest.mark.asyncio
async def test_authenticate_with_header_credentials_gives_a_token(anonymous: Api) -> None:
    response = await anonymous.login()

    assert response.status_code == 200
    token = response.json()["token"]
    assert isinstance(token, str)
    assert len(token) >= 20
    # Authenticate tells when the token dies but carries no quota headers.
    assert int(response.headers["x-token-reset"]) >= time.time() + 3590
    assert not any(name in response.headers for name in RATE_HEADERS)


@pytest.mark.asyncio
@pytest.mark.parametrize("missing", ["client_id", "client_secret", "username", "password"])
async def test_authenticate_fails_without_any_one_credential(anonymous: Api, missing: str) -> None:
    headers = {k: v for k, v in anonymous.endpoint.credentials.items() if k != missing}

    response = await anonymous.client.post("authenticate", headers=headers)

    assert response.status_code == 401
    assert response.json() == {"Message": "Authentication failed."}
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.asyncio
async def test_authenticate_fails_with_a_wrong_password(anonymous: Api) -> None:
    headers = {**anonymous.endpoint.credentials, "password": "wrong"}

    response = await anonymous.client.post("authenticate", headers=headers)

    assert response.status_code == 401


@pytest.mark.asyncio
async def test_calls_without_a_token_are_denied_with_quota_headers(anonymous: Api) -> None:
    response = await anonymous.get("lead")

    assert response.status_code == 401
    assert response.json() == {"Message": "Authorization has been denied for this request."}
    assert all(name in response.headers for name in RATE_HEADERS)
    assert "x-token-reset" not in response.headers


@pytest.mark.asyncio
async def test_an_unknown_token_is_denied(anonymous: Api) -> None:
    anonymous.token = "not-a-token"

    response = await anonymous.get("lead")

    assert response.status_code == 401
    assert response.json()["Message"] == "Authorization has been denied for this request."


@pytest.mark.asyncio
async def test_every_call_carries_quota_and_token_headers_and_counts_down(api: Api) -> None:
    first = await api.get("lead", per_page=1, page=1)
    second = await api.get("nosuchentity")

    assert first.status_code == 200
    assert second.status_code == 404
    assert first.headers["x-rate-limit-limit"] == "5000"
    assert first.headers["x-rate-limit-remaining"] == "4999"
    assert second.headers["x-rate-limit-remaining"] == "4998"
    assert int(first.headers["x-rate-limit-reset"]) > time.time() + 3500
    assert int(first.headers["x-token-reset"]) > time.time() + 3500


@pytest.mark.asyncio
async def test_expired_tokens_say_so(api: Api, emulator: CMDataManagerEmulator) -> None:
    emulator.expire_tokens()

    response = await api.get("lead")

    assert response.status_code == 401
    assert response.json() == {"Message": "Token expired."}
    assert (await api.login()).status_code == 200
    assert (await api.get("lead", per_page=1, page=1)).status_code == 200


@pytest.mark.asyncio
async def test_a_token_expires_when_its_lifetime_is_over() -> None:
    async with Sandbox(token_lifetime=0.5) as sandbox:
        client, api = open_api(sandbox)
        async with client:
            login = await api.login()
            reset = int(login.headers["x-token-reset"])
            ok = await api.get("task", per_page=1, page=1)
            await asyncio.sleep(max(0.0, reset - time.time()) + 0.05)
            late = await api.get("task", per_page=1, page=1)

    assert ok.status_code == 200
    assert ok.headers["x-token-reset"] == str(reset)
    assert late.status_code == 401
    assert late.json()["Message"] == "Token expired."


@pytest.mark.asyncio
async def test_quota_is_refused_when_spent_and_recovers_after_the_window() -> None:
    async with Sandbox(rate_limit=3, rate_window=1) as sandbox:
        client, api = open_api(sandbox)
        async with client:
            await api.login()
            answers = [await api.get("account", per_page=1, page=1) for _ in range(4)]
            reset = int(answers[-1].headers["x-rate-limit-reset"])
            await asyncio.sleep(max(0.0, reset - time.time()) + 0.05)
            after = await api.get("account", per_page=1, page=1)

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["x-rate-limit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert answers[-1].json() == {
        "Message": "API calls quota exceeded! maximum admitted 3 per hour."
    }
    assert answers[-1].headers["x-rate-limit-limit"] == "3"
    assert after.status_code == 200
    assert after.headers["x-rate-limit-remaining"] == "2"


@pytest.mark.asyncio
async def test_authenticate_does_not_spend_the_quota() -> None:
    async with Sandbox(rate_limit=1) as sandbox:
        client, api = open_api(sandbox)
        async with client:
            logins = [await api.login() for _ in range(3)]
            first = await api.get("account", per_page=1, page=1)

    assert all(login.status_code == 200 for login in logins)
    assert first.status_code == 200


@pytest.mark.asyncio
async def test_the_monthly_quota_has_its_own_refusal() -> None:
    async with Sandbox(monthly_limit=2) as sandbox:
        client, api = open_api(sandbox)
        async with client:
            await api.login()
            answers = [await api.get("account", per_page=1, page=1) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert answers[-1].json()["Message"] == (
        "API calls quota exceeded! maximum admitted 2 per month."
    )
    assert answers[-1].headers["x-rate-limit-remaining"] == "0"
