"""The GetResponse backend when things go wrong: every failure is an ApiError of the right kind,
with its exchange and the vendor's code, message, context and moreInfo link."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, Query, RateLimitGovernor, open_backend
from crmdesk.sandbox import Fault, GetResponseEmulator, SandboxEndpoint

pytestmark = pytest.mark.asyncio


async def failure(gr: Backend, entity: str = "contacts") -> ApiError:
    with pytest.raises(ApiError) as caught:
        await gr.list(entity, Query())
    return caught.value


async def test_a_wrong_key_is_an_auth_error_with_the_vendor_details(
    endpoint: SandboxEndpoint,
) -> None:
    async with open_backend("getresponse", endpoint.base_url, {"api_key": "wrong-key-123"}) as gr:
        error = await failure(gr)
    assert (error.kind, error.status, error.vendor_code) == (ErrorKind.AUTH, 401, "1014")
    assert error.more_info == "https://apidocs.getresponse.com/en/v3/errors/1014"
    assert error.context == {"authenticationType": "auth_token"}
    assert error.exchange is not None
    assert "wrong-key-123" not in repr(error.exchange)


@pytest.mark.sandbox(auth_failure_status=403)
async def test_code_1014_with_403_is_an_auth_error_too(endpoint: SandboxEndpoint) -> None:
    async with open_backend("getresponse", endpoint.base_url, {"api_key": "wrong-key-123"}) as gr:
        error = await failure(gr)
    assert (error.kind, error.status) == (ErrorKind.AUTH, 403)


@pytest.mark.sandbox(domain="acme.example")
async def test_a_max_account_without_its_domain_fails_auth(endpoint: SandboxEndpoint) -> None:
    async with open_backend("getresponse", endpoint.base_url, endpoint.credentials) as gr:
        error = await failure(gr)
    assert error.kind is ErrorKind.AUTH


async def test_an_expired_key_is_an_auth_error(gr: Backend, emulator: GetResponseEmulator) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)
    assert (await failure(gr)).kind is ErrorKind.AUTH


async def test_a_missing_contact_is_not_found_with_context(gr: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await gr.get("contacts", "nope1")
    assert (caught.value.kind, caught.value.vendor_code) == (ErrorKind.NOT_FOUND, "1013")
    assert caught.value.context == {"contactId": "nope1"}


async def test_a_duplicate_contact_is_a_conflict(gr: Backend) -> None:
    contact = (await gr.get("contacts", (await gr.list("contacts", Query())).records[0].id)).values
    values = {"email": contact["email"], "campaignId": contact["campaignId"]}
    with pytest.raises(ApiError) as caught:
        await gr.create("contacts", values)
    assert (caught.value.kind, caught.value.vendor_code) == (ErrorKind.CONFLICT, "1008")


async def test_a_bad_value_is_invalid_with_the_field_in_context(gr: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await gr.create("tags", {"name": "has spaces"})
    assert (caught.value.kind, caught.value.vendor_code) == (ErrorKind.INVALID, "1000")
    assert caught.value.context["fieldName"] == "name"


@contextlib.asynccontextmanager
async def recording(endpoint: SandboxEndpoint) -> AsyncIterator[tuple[Backend, list[float]]]:
    """The connection with a governor that records its waits instead of sleeping them."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    governor = RateLimitGovernor(max_in_flight=10, per_second=80, sleep=sleep)
    async with open_backend(
        "getresponse", endpoint.base_url, endpoint.credentials, governor=governor
    ) as gr:
        yield gr, waits


async def test_an_injected_429_waits_time_to_reset_and_retries_once(
    endpoint: SandboxEndpoint, emulator: GetResponseEmulator
) -> None:
    async with recording(endpoint) as (gr, waits):
        emulator.faults.inject(Fault.HTTP_429, path="/tags")
        page = await gr.list("tags", Query(page_size=5))
    assert len(page.records) == 5
    assert [r.status for r in emulator.requests] == [429, 200]
    assert len(waits) == 1
    assert 2.0 < waits[0] <= 3.0  # timeToReset "2 seconds", plus the governor's second


async def test_a_second_429_is_a_rate_limit_error_with_retry_time(
    endpoint: SandboxEndpoint, emulator: GetResponseEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429, count=2, path="/tags")
    async with recording(endpoint) as (gr, _waits):
        error = await failure(gr, "tags")
    assert (error.kind, error.vendor_code) == (ErrorKind.RATE_LIMITED, "1015")
    assert error.context == {"currentLimit": 30000, "timeToReset": "2 seconds"}
    assert error.retry_at is not None
    assert error.retry_at > time.time()


async def test_rate_limit_headers_reach_the_governor(gr: Backend) -> None:
    await gr.list("tags", Query())
    state = gr.governor.state
    assert (state.limit, state.remaining) == (30_000, 29_999)
    assert state.reset_at is not None
    assert 590 < state.reset_at - time.time() <= 601


@pytest.mark.sandbox(latency=0.2)
async def test_never_more_than_ten_calls_in_flight(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    pages = await asyncio.gather(*(gr.list("tags", Query(page=p)) for p in range(1, 26)))
    assert len(pages) == 25
    assert {r.status for r in emulator.requests} == {200}


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault.HTTP_500, ErrorKind.SERVER),
        (Fault.HTML_ERROR_PAGE, ErrorKind.SERVER),
        (Fault.MALFORMED_JSON, ErrorKind.PROTOCOL),
        (Fault.WRONG_TYPES, ErrorKind.PROTOCOL),
        (Fault.EMPTY_BODY, ErrorKind.PROTOCOL),
    ],
)
async def test_faults_become_errors_of_the_right_kind(
    gr: Backend, emulator: GetResponseEmulator, fault: Fault, kind: ErrorKind
) -> None:
    # Reads retry 5xx twice, so the 500 is injected often enough to outlast them.
    emulator.faults.inject(fault, count=3)
    error = await failure(gr)
    assert error.kind is kind
    assert error.exchange is not None


async def test_a_503_is_retried_for_reads(gr: Backend, emulator: GetResponseEmulator) -> None:
    emulator.faults.inject(Fault.HTTP_503)
    assert len((await gr.list("contacts", Query(page_size=3))).records) == 3


async def test_a_wrong_typed_single_record_is_a_protocol_error(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    contact = (await gr.list("contacts", Query(page_size=1))).records[0]
    emulator.faults.inject(Fault.WRONG_TYPES)
    with pytest.raises(ApiError) as caught:
        await gr.get("contacts", contact.id)
    assert caught.value.kind is ErrorKind.PROTOCOL


async def test_a_dropped_connection_is_a_transport_error(
    gr: Backend, emulator: GetResponseEmulator
) -> None:
    # A write, which is never retried, so the test needs one drop only.
    emulator.faults.inject(Fault.DROP_CONNECTION, method="POST")
    with pytest.raises(ApiError) as caught:
        await gr.update("tags", "any1", {"name": "renamed"})
    assert caught.value.kind is ErrorKind.TRANSPORT


async def test_a_hang_times_out(endpoint: SandboxEndpoint, emulator: GetResponseEmulator) -> None:
    import httpx

    emulator.faults.inject(Fault.HANG, method="POST", seconds=2)
    timeout = httpx.Timeout(10.0, read=0.2)
    async with open_backend(
        "getresponse", endpoint.base_url, endpoint.credentials, timeout=timeout
    ) as gr:
        with pytest.raises(ApiError) as caught:
            await gr.update("tags", "any1", {"name": "renamed"})
    assert caught.value.kind is ErrorKind.TIMEOUT
