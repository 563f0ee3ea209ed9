"""The aicore backend when things go wrong: logins, unknown commands and injected faults.

Each failure must be an ApiError of the right kind carrying its exchange, and the password
must never show in what crmdesk records.
"""

from __future__ import annotations

import time

import httpx
import pytest

from crmdesk.api import REDACTED, ApiError, Backend, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.sandbox import AiCoreEmulator, Fault, SandboxEndpoint

pytestmark = pytest.mark.asyncio
PASSWORD = "sandbox-api-password"


async def test_a_wrong_password_is_an_auth_error_without_the_password(
    endpoint: SandboxEndpoint,
) -> None:
    credentials = {**endpoint.credentials, "login_password": "not-the-password"}
    async with open_backend("aicore", endpoint.base_url, credentials) as site:
        with pytest.raises(ApiError) as caught:
            await site.test_connection()

    error = caught.value
    assert error.kind is ErrorKind.AUTH
    assert error.vendor_code == "1"
    assert error.exchange is not None
    assert "not-the-password" not in repr(error.exchange)


async def test_the_password_never_appears_in_an_exchange(site: Backend, log: ExchangeLog) -> None:
    await site.test_connection()
    await site.list("leads", Query(page_size=5))
    await site.update("leads", "1001", {"city": "Warren"})
    await site.update_many("users", {"2": {"company": "A"}, "3": {"company": "B"}})

    assert len(log) == 4
    for exchange in log:
        assert PASSWORD not in repr(exchange)
        assert f"ai_login_password={REDACTED}".encode() in exchange.request_body.replace(
            b"%5B", b"["
        ).replace(b"%5D", b"]")
        assert b"ai_login_id=sandbox-api" in exchange.request_body


@pytest.mark.sandbox(commands=("ping", "leads_get", "query_users"))
async def test_a_command_the_site_lacks_is_unsupported(site: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await site.list("events", Query())

    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert "events_get" in caught.value.message


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.HTTP_500, ErrorKind.SERVER),
        (Fault.HTTP_503, ErrorKind.SERVER),
        (Fault.HTML_ERROR_PAGE, ErrorKind.SERVER),
        (Fault.TOKEN_EXPIRED, ErrorKind.AUTH),
        (Fault.EMPTY_BODY, ErrorKind.PROTOCOL),
        (Fault.MALFORMED_JSON, ErrorKind.PROTOCOL),
        (Fault.WRONG_TYPES, ErrorKind.PROTOCOL),
        (Fault.DROP_CONNECTION, ErrorKind.TRANSPORT),
    ],
)
async def test_faults_become_errors_with_their_exchange(
    site: Backend, emulator: AiCoreEmulator, fault: Fault, kind: ErrorKind
) -> None:
    emulator.faults.inject(fault, count=3)

    with pytest.raises(ApiError) as caught:
        await site.list("leads", Query())

    assert caught.value.kind is kind
    assert caught.value.exchange is not None
    # leads_get only reads: a dropped connection or a gateway error is tried twice more.
    retried = fault in (Fault.HTTP_503, Fault.HTML_ERROR_PAGE, Fault.DROP_CONNECTION)
    assert len(emulator.requests) == (3 if retried else 1)
    emulator.faults.clear()
    await site.list("leads", Query())


@pytest.mark.parametrize("entity", ["users", "events"])
async def test_wrong_types_in_locally_paged_lists_are_protocol_errors(
    site: Backend, emulator: AiCoreEmulator, entity: str
) -> None:
    emulator.faults.inject(Fault.WRONG_TYPES)

    with pytest.raises(ApiError) as caught:
        await site.list(entity, Query())

    assert caught.value.kind is ErrorKind.PROTOCOL


async def test_a_server_error_keeps_the_servers_words(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_500)

    with pytest.raises(ApiError) as caught:
        await site.get("users", "1")

    assert caught.value.status == 500
    assert caught.value.message == "An unexpected error has occurred."


async def test_rate_limiting_says_when_to_retry(site: Backend, emulator: AiCoreEmulator) -> None:
    emulator.faults.inject(Fault.HTTP_429)

    with pytest.raises(ApiError) as caught:
        await site.list("leads", Query())

    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.retry_at is not None
    assert 0 < caught.value.retry_at - time.time() <= 3


@pytest.mark.parametrize("write", ["create", "get"])
async def test_wrong_types_on_single_records_are_protocol_errors(
    site: Backend, emulator: AiCoreEmulator, write: str
) -> None:
    emulator.faults.inject(Fault.WRONG_TYPES)

    attempt = (
        site.create("leads", {"first_name": "Bo"}) if write == "create" else site.get("users", "2")
    )
    with pytest.raises(ApiError) as caught:
        await attempt

    assert caught.value.kind is ErrorKind.PROTOCOL


async def test_a_hanging_server_times_out(
    endpoint: SandboxEndpoint, emulator: AiCoreEmulator
) -> None:
    emulator.faults.inject(Fault.HANG, count=3, seconds=1.0)
    async with open_backend(
        "aicore", endpoint.base_url, endpoint.credentials, timeout=httpx.Timeout(10.0, read=0.3)
    ) as site:
        with pytest.raises(ApiError) as caught:
            await site.test_connection()

    assert caught.value.kind is ErrorKind.TIMEOUT


async def test_bulk_update_reports_each_record(site: Backend, emulator: AiCoreEmulator) -> None:
    results = await site.update_many(
        "leads",
        {"1001": {"city": "Petoskey"}, "424242": {"city": "X"}, "": {"city": "Y"}, "1002": {}},
    )

    assert list(results) == ["1001", "424242", "", "1002"]
    assert results["1001"].message == "Lead Updated."
    assert results["424242"].kind is ErrorKind.NOT_FOUND
    # A missing parameter comes back as a bare string, not a result with a status.
    assert results[""].kind is ErrorKind.INVALID
    assert results[""].message == 'ERROR: Required parameter "lead_id" missing.'
    assert results["1002"].message == "Nothing to save."
    stored = emulator.store.get("leads", "1001")
    assert stored is not None
    assert stored["city"] == "Petoskey"
    assert len(emulator.requests) == 1


async def test_bulk_update_splits_into_batches_of_a_hundred(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    updates = {str(1001 + n % 60): {"priority": str(n % 3)} for n in range(60)}
    updates.update({f"x{n}": {"priority": "1"} for n in range(70)})

    results = await site.update_many("leads", updates)

    assert len(results) == 130
    assert len(emulator.requests) == 2
    assert sum(1 for r in results.values() if isinstance(r, ApiError)) == 70


@pytest.mark.sandbox(commands=("ping", "lead_set"))
async def test_bulk_update_on_a_site_without_batch_is_unsupported(site: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await site.update_many("leads", {"1001": {"city": "X"}})

    assert caught.value.kind is ErrorKind.UNSUPPORTED


async def test_a_read_only_connection_sends_no_write(
    endpoint: SandboxEndpoint, emulator: AiCoreEmulator
) -> None:
    async with open_backend(
        "aicore", endpoint.base_url, endpoint.credentials, read_only=True
    ) as site:
        for attempt in (
            site.update("leads", "1001", {"city": "X"}),
            site.update_many("leads", {"1001": {"city": "X"}}),
        ):
            with pytest.raises(ApiError) as caught:
                await attempt
            assert caught.value.kind is ErrorKind.READ_ONLY

    assert emulator.requests == []
