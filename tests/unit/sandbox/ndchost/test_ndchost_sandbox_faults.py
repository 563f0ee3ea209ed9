"""Faults on the NDCHost emulator, aimed at one API function though every call shares a URL."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from ndchost_client import ClientApi

from crmdesk.sandbox import Fault, NDCHostEmulator

pytestmark = pytest.mark.asyncio


async def test_a_fault_can_target_one_function(api: ClientApi, emulator: NDCHostEmulator) -> None:
    emulator.faults.inject(Fault.HTTP_500, path="client/licenses")

    details = await api.call("client", "getdetails")
    licenses = await api.call("client", "licenses")

    assert details.status_code == 200
    assert licenses.status_code == 500
    assert licenses.json()["status"] == "error"
    assert [r.fault for r in emulator.requests] == [None, "HTTP_500"]


@pytest.mark.parametrize(("fault", "status"), [(Fault.HTTP_503, 503), (Fault.HTTP_429, 429)])
async def test_status_faults_keep_the_envelope(
    api: ClientApi, emulator: NDCHostEmulator, fault: Fault, status: int
) -> None:
    emulator.faults.inject(fault)

    response = await api.call("client", "getdetails")

    assert response.status_code == status
    assert response.json()["status"] == "error"


async def test_an_expired_token_fault_looks_like_a_revoked_key(
    api: ClientApi, emulator: NDCHostEmulator
) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)

    body = (await api.call("client", "getdetails")).json()

    assert body == {"status": "error", "message": "Invalid API Key"}


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        (Fault.HTML_ERROR_PAGE, lambda r: r.status_code == 502 and "<html>" in r.text),
        (Fault.EMPTY_BODY, lambda r: r.content == b""),
        (Fault.WRONG_TYPES, lambda r: isinstance(r.json()["data"], str)),
        (Fault.MALFORMED_JSON, lambda r: r.text.startswith("{") and not r.text.endswith("}")),
    ],
)
async def test_bad_bodies(
    api: ClientApi,
    emulator: NDCHostEmulator,
    fault: Fault,
    check: Callable[[httpx.Response], bool],
) -> None:
    emulator.faults.inject(fault)

    response = await api.call("cpanellicensing", "products")

    assert check(response)


async def test_a_dropped_connection_gets_no_answer(
    api: ClientApi, emulator: NDCHostEmulator
) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION)

    with pytest.raises(httpx.RemoteProtocolError):
        await api.call("client", "getdetails")


async def test_a_hang_delays_the_real_answer(api: ClientApi, emulator: NDCHostEmulator) -> None:
    emulator.faults.inject(Fault.HANG, seconds=0.3)

    started = time.perf_counter()
    response = await api.call("client", "getdetails")

    assert time.perf_counter() - started >= 0.3
    assert response.json()["status"] == "success"


async def test_the_request_log_keeps_the_form(api: ClientApi, emulator: NDCHostEmulator) -> None:
    await api.call("client", "getdetails")

    (entry,) = emulator.requests
    assert entry.method == "POST"
    assert entry.path == "/index.php"
    assert b"apifunction=getdetails" in entry.body
    assert entry.status == 200
