"""The Mothernode backend when things go wrong: every error kind, with its exchange, and no secret
in any recorded exchange."""

from __future__ import annotations

import time

import httpx
import pytest

from crmdesk.api import REDACTED, ApiError, Backend, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.sandbox import Fault, MothernodeEmulator, SandboxEndpoint

pytestmark = pytest.mark.asyncio


async def failure(call: object) -> ApiError:
    with pytest.raises(ApiError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.exchange is not None
    return caught.value


async def test_a_wrong_password_is_an_auth_error(endpoint: SandboxEndpoint) -> None:
    credentials = {**endpoint.credentials, "api_password": "not-the-password"}
    async with open_backend("mothernode", endpoint.base_url, credentials) as crm:
        error = await failure(crm.test_connection())
    assert (error.kind, error.status) == (ErrorKind.AUTH, 401)
    assert error.message == "Your API key is missing or invalid."


async def test_a_read_only_key_may_read_but_a_write_is_refused_as_auth(
    endpoint: SandboxEndpoint, emulator: MothernodeEmulator
) -> None:
    credentials = emulator.read_only_credentials()
    async with open_backend("mothernode", endpoint.base_url, credentials) as crm:
        assert len((await crm.list("customers", Query())).records) == 25
        error = await failure(crm.create("customers", {"company_name": "Nope Inc."}))
    # Seed 000 gives 403 the meaning of 401 ("Your API key is missing or invalid").
    assert (error.kind, error.status) == (ErrorKind.AUTH, 403)


async def test_a_read_only_connection_sends_nothing(
    endpoint: SandboxEndpoint, emulator: MothernodeEmulator
) -> None:
    async with open_backend(
        "mothernode", endpoint.base_url, endpoint.credentials, read_only=True
    ) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.delete("contacts", "anything")
    assert caught.value.kind is ErrorKind.READ_ONLY
    assert emulator.requests == []


async def test_an_unknown_id_is_not_found(crm: Backend) -> None:
    error = await failure(crm.get("contacts", "no-such-contact"))
    assert (error.kind, error.status) == (ErrorKind.NOT_FOUND, 404)
    error = await failure(crm.update("notes", "999999", {"ref_msg": "x"}))
    assert error.kind is ErrorKind.NOT_FOUND


async def test_rejected_input_says_why(crm: Backend) -> None:
    error = await failure(crm.create("contacts", {"first_name": "No last name"}))
    assert (error.kind, error.message) == (ErrorKind.INVALID, "Field 'last_name' is required.")
    error = await failure(crm.list("contacts", Query(filters={"shoe_size": "9"})))
    assert error.kind is ErrorKind.INVALID
    assert "shoe_size" in error.message


@pytest.mark.parametrize(
    ("fault", "kind", "status"),
    [
        (Fault.HTTP_500, ErrorKind.SERVER, 500),
        (Fault.HTTP_503, ErrorKind.SERVER, 503),
        (Fault.HTML_ERROR_PAGE, ErrorKind.SERVER, 502),
        (Fault.TOKEN_EXPIRED, ErrorKind.AUTH, 401),
        (Fault.WRONG_TYPES, ErrorKind.PROTOCOL, 200),
        (Fault.EMPTY_BODY, ErrorKind.PROTOCOL, 200),
        (Fault.MALFORMED_JSON, ErrorKind.PROTOCOL, 200),
    ],
)
async def test_faults_on_a_write_become_errors_of_the_right_kind(
    crm: Backend, emulator: MothernodeEmulator, fault: Fault, kind: ErrorKind, status: int
) -> None:
    emulator.faults.inject(fault, method="PUT")
    contact_id = next(iter(emulator.store.records("contacts")))
    error = await failure(crm.update("contacts", contact_id, {"title": "CEO"}))
    assert (error.kind, error.status) == (kind, status)


@pytest.mark.parametrize("fault", [Fault.WRONG_TYPES, Fault.EMPTY_BODY, Fault.MALFORMED_JSON])
@pytest.mark.parametrize("entity", ["customers", "contacts", "leads", "notes", "invoices"])
async def test_odd_list_replies_are_protocol_errors(
    crm: Backend, emulator: MothernodeEmulator, fault: Fault, entity: str
) -> None:
    emulator.faults.inject(fault)
    error = await failure(crm.list(entity, Query()))
    assert error.kind is ErrorKind.PROTOCOL


async def test_an_html_gateway_page_on_a_read_is_a_server_error_after_retries(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HTML_ERROR_PAGE, count=3)
    error = await failure(crm.list("contacts", Query()))
    assert (error.kind, error.status) == (ErrorKind.SERVER, 502)
    assert error.message == "The server sent an HTML error page instead of an API reply."
    assert len(emulator.requests) == 3


async def test_odd_single_record_replies_are_protocol_errors(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    for entity in ("customers", "contacts", "leads", "notes", "invoices"):
        emulator.faults.inject(Fault.WRONG_TYPES)
        error = await failure(crm.get(entity, "10000"))
        assert error.kind is ErrorKind.PROTOCOL, entity


async def test_a_503_on_a_read_is_retried_quietly(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_503, path="/customers")
    page = await crm.list("customers", Query())
    assert len(page.records) == 25
    assert [r.status for r in emulator.requests] == [503, 200]


async def test_an_injected_429_says_when_to_retry(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429)
    error = await failure(crm.list("contacts", Query()))
    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.retry_at is not None
    assert time.time() < error.retry_at <= time.time() + 3


async def test_a_dropped_connection_is_a_transport_error(
    crm: Backend, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION, method="DELETE")
    error = await failure(crm.delete("contacts", next(iter(emulator.store.records("contacts")))))
    assert error.kind is ErrorKind.TRANSPORT


async def test_a_hanging_server_times_out(
    endpoint: SandboxEndpoint, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HANG, method="POST", seconds=2.0)
    async with open_backend(
        "mothernode", endpoint.base_url, endpoint.credentials, timeout=httpx.Timeout(10.0, read=0.3)
    ) as crm:
        error = await failure(
            crm.create("notes", {"ref_id": "a", "ref_type": "client", "ref_msg": "b"})
        )
    assert error.kind is ErrorKind.TIMEOUT


async def test_no_secret_reaches_any_exchange(
    crm: Backend, emulator: MothernodeEmulator, log: ExchangeLog, endpoint: SandboxEndpoint
) -> None:
    await crm.test_connection()
    await crm.list("contacts", Query())
    await crm.create("notes", {"ref_id": "a", "ref_type": "client", "ref_msg": "b"})
    await failure(crm.get("contacts", "missing"))
    sent = emulator.requests[0].header("Authorization")
    assert sent is not None
    assert sent.startswith("Basic ")
    secrets = [*endpoint.credentials.values(), sent.split(" ", 1)[1]]
    exchanges = list(log)
    assert len(exchanges) == 4
    for exchange in exchanges:
        assert dict(exchange.request_headers)["authorization"] == REDACTED
        shown = repr(exchange)
        assert not any(secret in shown for secret in secrets)
