"""The CMDataManager backend when things go wrong: auth, tokens, quota and injected faults.

Each failure must become an ApiError of the right kind, with its exchange, or be recovered
from without the caller noticing when that is safe.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.sandbox import Fault, Sandbox, SandboxEndpoint

pytestmark = pytest.mark.asyncio


def logins(sandbox: Sandbox) -> int:
    return sum(
        1 for r in sandbox.emulator("cmdatamanager").requests if r.path.endswith("/authenticate")
    )


async def test_wrong_password_is_an_auth_error(endpoint: SandboxEndpoint) -> None:
    credentials = {**endpoint.credentials, "password": "not-the-password"}
    async with open_backend("cmdatamanager", endpoint.base_url, credentials) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.AUTH
    assert caught.value.message == "Authentication failed."
    assert "not-the-password" not in repr(caught.value.exchange)


async def test_expired_tokens_are_renewed_without_the_caller_noticing(
    crm: Backend, sandbox: Sandbox
) -> None:
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").expire_tokens()
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").faults.inject(Fault.TOKEN_EXPIRED)
    await crm.list("lead", Query())
    assert logins(sandbox) == 3


@pytest.mark.sandbox(token_lifetime=1.0)
async def test_token_reset_time_is_honoured_before_the_call(crm: Backend, sandbox: Sandbox) -> None:
    await crm.list("lead", Query())
    await asyncio.sleep(2.1)  # past the x-token-reset the server announced (whole seconds)
    await crm.list("lead", Query())
    statuses = [r.status for r in sandbox.emulator("cmdatamanager").requests]
    assert 401 not in statuses  # it logged in again before, not after, a refusal
    assert logins(sandbox) == 2


@pytest.mark.sandbox(rate_limit=3, rate_window=2.0)
async def test_spent_quota_waits_for_the_reset_instead_of_failing(
    crm: Backend, sandbox: Sandbox
) -> None:
    started = time.monotonic()
    for page in range(1, 6):
        await crm.list("lead", Query(page=page, page_size=5))
    assert time.monotonic() - started >= 1.0
    assert crm.governor.state.limit == 3
    statuses = [r.status for r in sandbox.emulator("cmdatamanager").requests]
    assert statuses.count(200) == 6  # one login and five pages


async def test_an_injected_429_waits_and_retries(crm: Backend, sandbox: Sandbox) -> None:
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").faults.inject(Fault.HTTP_429, path="/lead")
    page = await crm.list("lead", Query(page=2, page_size=5))
    assert len(page.records) == 5
    assert [r.status for r in sandbox.emulator("cmdatamanager").requests][-2:] == [429, 200]


async def test_rate_limit_headers_reach_the_governor(crm: Backend) -> None:
    await crm.list("lead", Query())
    state = crm.governor.state
    assert state.limit == 5000
    assert state.remaining is not None
    assert state.remaining < 5000
    assert state.reset_at is not None
    assert state.reset_at > time.time()


async def test_a_503_on_a_read_is_retried(crm: Backend, sandbox: Sandbox) -> None:
    sandbox.emulator("cmdatamanager").faults.inject(Fault.HTTP_503, path="/lead")
    page = await crm.list("lead", Query())
    assert page.records
    assert [e.status for e in crm.exchange_log][-2:] == [503, 200]


async def test_a_500_is_a_server_error(crm: Backend, sandbox: Sandbox) -> None:
    sandbox.emulator("cmdatamanager").faults.inject(Fault.HTTP_500, path="/lead")
    with pytest.raises(ApiError) as caught:
        await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.SERVER
    assert caught.value.status == 500


async def test_html_error_pages_are_described(crm: Backend, sandbox: Sandbox) -> None:
    sandbox.emulator("cmdatamanager").faults.inject(Fault.HTML_ERROR_PAGE, count=3, path="/lead")
    with pytest.raises(ApiError) as caught:
        await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.SERVER
    assert "HTML error page" in caught.value.message


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        (Fault.MALFORMED_JSON, "malformed JSON"),
        (Fault.WRONG_TYPES, "no 'Entity' array"),
        (Fault.EMPTY_BODY, "empty reply"),
    ],
)
async def test_unreadable_replies_are_protocol_errors(
    crm: Backend, sandbox: Sandbox, fault: Fault, words: str
) -> None:
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").faults.inject(fault, path="/lead")
    with pytest.raises(ApiError) as caught:
        await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert words in f"{caught.value.message} {caught.value.detail}"
    assert caught.value.exchange is not None
    assert caught.value.exchange.status == 200


async def test_a_dropped_read_is_retried(crm: Backend, sandbox: Sandbox) -> None:
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").faults.inject(Fault.DROP_CONNECTION, path="/lead")
    assert (await crm.list("lead", Query())).records


async def test_a_dropped_write_is_not_repeated(crm: Backend, sandbox: Sandbox) -> None:
    await crm.list("lead", Query())
    emulator = sandbox.emulator("cmdatamanager")
    before = emulator.store.count("lead")
    emulator.faults.inject(Fault.DROP_CONNECTION, path="/lead", method="POST")
    with pytest.raises(ApiError) as caught:
        await crm.create("lead", {"FirstName": "A", "LastName": "B", "Company": "C"})
    assert caught.value.kind is ErrorKind.TRANSPORT
    posts = [r for r in emulator.requests if r.method == "POST" and r.path.endswith("/lead")]
    assert len(posts) == 1
    assert emulator.store.count("lead") == before


@pytest.mark.sandbox(hang_seconds=5.0)
async def test_a_hanging_server_times_out(endpoint: SandboxEndpoint, sandbox: Sandbox) -> None:
    async with open_backend(
        "cmdatamanager",
        endpoint.base_url,
        endpoint.credentials,
        # Only the read is short: a loaded machine may take a while to connect on loopback.
        timeout=httpx.Timeout(10.0, read=0.3),
        log=ExchangeLog(),
    ) as crm:
        await crm.list("lead", Query())
        sandbox.emulator("cmdatamanager").faults.inject(Fault.HANG, count=3, path="/lead")
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.TIMEOUT
    assert "did not answer in time" in caught.value.message


async def test_nothing_secret_is_recorded(
    crm: Backend, sandbox: Sandbox, endpoint: SandboxEndpoint
) -> None:
    await crm.list("lead", Query())
    sandbox.emulator("cmdatamanager").expire_tokens()
    await crm.list("lead", Query())
    tokens = {
        r.header("authorization").removeprefix("Bearer ")
        for r in sandbox.emulator("cmdatamanager").requests
        if r.header("authorization")
    }
    recorded = "".join(repr(e) for e in crm.exchange_log)
    for secret in [
        *tokens,
        endpoint.credentials["password"],
        endpoint.credentials["client_secret"],
    ]:
        assert secret
        assert secret not in recorded


async def test_closed_sandbox_is_a_connection_failure(endpoint: SandboxEndpoint) -> None:
    async with open_backend(
        "cmdatamanager", "http://127.0.0.1:9/api/v1", endpoint.credentials
    ) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.TRANSPORT
