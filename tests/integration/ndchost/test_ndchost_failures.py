"""The NDCHost backend when things go wrong: refusals in the envelope and injected faults."""

from __future__ import annotations

import time

import httpx
import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.api.backends.ndchost import NdcHost
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.sandbox import Fault, NDCHostEmulator, SandboxEndpoint

pytestmark = pytest.mark.asyncio


def any_product(emulator: NDCHostEmulator) -> tuple[str, str]:
    """(id, a billing cycle it offers) of the first product."""
    product_id, product = next(iter(emulator.account.products.items()))
    pricing = product["pricing"]
    assert isinstance(pricing, dict)
    return product_id, next(iter(pricing))


async def failure(ndc: Backend, entity: str = "licenses") -> ApiError:
    with pytest.raises(ApiError) as caught:
        await ndc.list(entity, Query())
    return caught.value


async def test_a_wrong_key_is_an_auth_error_that_keeps_the_key_secret(
    endpoint: SandboxEndpoint,
) -> None:
    log = ExchangeLog()
    async with open_backend(
        "ndchost", endpoint.base_url, {"apikey": "not-the-right-key"}, log=log
    ) as ndc:
        with pytest.raises(ApiError) as caught:
            await ndc.test_connection()

    assert caught.value.kind is ErrorKind.AUTH
    assert caught.value.message == "Invalid API Key."
    assert caught.value.status == 200
    assert "not-the-right-key" not in repr(list(log))


@pytest.mark.sandbox(api_enabled=False)
async def test_an_api_not_enabled_in_the_portal_is_an_auth_error(ndc: NdcHost) -> None:
    error = await failure(ndc, "client")

    assert error.kind is ErrorKind.AUTH
    assert "not enabled" in error.message


@pytest.mark.parametrize(("module", "function"), [("client", "invoices"), ("dns", "zones")])
async def test_an_unknown_function_is_unsupported(ndc: NdcHost, module: str, function: str) -> None:
    with pytest.raises(ApiError) as caught:
        await ndc._call(module, function)  # a function the contract never asks for

    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert caught.value.message.startswith("Invalid API ")


async def test_a_key_revoked_mid_session_is_an_auth_error(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)

    assert (await failure(ndc)).kind is ErrorKind.AUTH


async def test_a_500_is_a_server_error_with_the_servers_words(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_500, path="client/licenses")

    error = await failure(ndc)

    assert error.kind is ErrorKind.SERVER
    assert error.status == 500
    assert error.message == "An unexpected error has occurred."


async def test_a_503_on_a_read_is_tried_again(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    emulator.faults.inject(Fault.HTTP_503, path="client/licenses")

    page = await ndc.list("licenses", Query())

    assert page.records
    assert [e.status for e in ndc.exchange_log] == [503, 200]


async def test_a_503_on_an_order_is_not_tried_again(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    product, cycle = any_product(emulator)
    emulator.faults.inject(Fault.HTTP_503, count=2, path="cpanellicensing/order")

    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", product, "order", {"ip": "1.2.3.4", "billingcycle": cycle})

    assert caught.value.kind is ErrorKind.SERVER
    assert sum(1 for r in emulator.requests if r.fault == "HTTP_503") == 1


async def test_a_429_on_a_read_waits_as_told_and_tries_again(
    endpoint: SandboxEndpoint, emulator: NDCHostEmulator
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    # The wait itself is the governor's (tested with it); here only that it is asked for.
    governor = RateLimitGovernor(sleep=sleep)
    async with open_backend(
        "ndchost", endpoint.base_url, endpoint.credentials, governor=governor
    ) as ndc:
        emulator.faults.inject(Fault.HTTP_429)

        page = await ndc.list("licenses", Query())

        assert page.records
        assert len(waits) == 1
        assert 1.0 < waits[0] <= 3.0  # Retry-After: 2, and the governor's second of margin
        assert [e.status for e in ndc.exchange_log] == [429, 200]
        assert len({e.call_id for e in ndc.exchange_log}) == 1


async def test_a_429_on_an_order_is_rate_limited_and_not_repeated(
    ndc: NdcHost, emulator: NDCHostEmulator
) -> None:
    product, cycle = any_product(emulator)
    emulator.faults.inject(Fault.HTTP_429, path="cpanellicensing/order")

    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", product, "order", {"ip": "1.2.3.4", "billingcycle": cycle})

    assert caught.value.kind is ErrorKind.RATE_LIMITED
    assert caught.value.message == "Too many requests, slow down."
    assert caught.value.retry_at is not None
    assert caught.value.retry_at > time.time()
    assert emulator.account.orders == []


async def test_an_html_error_page_is_described(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    # A read is retried twice by the transport: every attempt gets the page.
    emulator.faults.inject(Fault.HTML_ERROR_PAGE, count=3)

    error = await failure(ndc)

    assert error.kind is ErrorKind.SERVER
    assert "HTML error page" in error.message


@pytest.mark.parametrize(
    ("fault", "entity", "words"),
    [
        (Fault.MALFORMED_JSON, "licenses", "malformed JSON"),
        (Fault.WRONG_TYPES, "licenses", "not a map or a list"),
        (Fault.WRONG_TYPES, "client", "not an object"),
        (Fault.EMPTY_BODY, "products", "empty reply"),
    ],
)
async def test_unreadable_replies_are_protocol_errors(
    ndc: NdcHost, emulator: NDCHostEmulator, fault: Fault, entity: str, words: str
) -> None:
    emulator.faults.inject(fault)

    error = await failure(ndc, entity)

    assert error.kind is ErrorKind.PROTOCOL
    assert words in f"{error.message} {error.detail}"
    assert error.exchange is not None
    assert error.exchange.status == 200


async def test_a_dropped_read_is_tried_again(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION)

    assert (await ndc.list("products", Query())).records


async def test_a_dropped_order_is_not_repeated(ndc: NdcHost, emulator: NDCHostEmulator) -> None:
    product, cycle = any_product(emulator)
    emulator.faults.inject(Fault.DROP_CONNECTION, path="cpanellicensing/order")

    with pytest.raises(ApiError) as caught:
        await ndc.run_action("products", product, "order", {"ip": "1.2.3.4", "billingcycle": cycle})

    assert caught.value.kind is ErrorKind.TRANSPORT
    assert sum(1 for r in emulator.requests if b"apifunction=order" in r.body) == 1


@pytest.mark.sandbox(hang_seconds=5.0)
async def test_a_hanging_server_times_out(
    endpoint: SandboxEndpoint, emulator: NDCHostEmulator
) -> None:
    async with open_backend(
        "ndchost", endpoint.base_url, endpoint.credentials, timeout=httpx.Timeout(10.0, read=0.3)
    ) as ndc:
        emulator.faults.inject(Fault.HANG, count=3)  # the first try and the two retries of a read
        with pytest.raises(ApiError) as caught:
            await ndc.list("client", Query())

    assert caught.value.kind is ErrorKind.TIMEOUT


async def test_a_closed_port_is_a_connection_failure(endpoint: SandboxEndpoint) -> None:
    async with open_backend("ndchost", "http://127.0.0.1:9/index.php", endpoint.credentials) as ndc:
        error = await failure(ndc)

    assert error.kind is ErrorKind.TRANSPORT


async def test_the_key_is_in_no_exchange(
    ndc: NdcHost, emulator: NDCHostEmulator, endpoint: SandboxEndpoint
) -> None:
    await ndc.test_connection()
    await ndc.list("products", Query())
    emulator.faults.inject(Fault.HTTP_500)
    await failure(ndc)

    key = endpoint.credentials["apikey"]
    assert all(key.encode() in r.body for r in emulator.requests)
    recorded = "".join(repr(e) for e in ndc.exchange_log)
    assert key not in recorded
    assert "apikey=[REDACTED]" in recorded
