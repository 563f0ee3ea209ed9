"""Fault injection and the request log of the Mothernode emulator."""

from __future__ import annotations

import time

import httpx
import pytest

from crmdesk.sandbox import Fault, MothernodeEmulator

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(("fault", "status"), [(Fault.HTTP_500, 500), (Fault.HTTP_503, 503)])
async def test_server_errors_answer_like_the_api(
    api: httpx.AsyncClient, emulator: MothernodeEmulator, fault: Fault, status: int
) -> None:
    emulator.faults.inject(fault)
    failed = await api.get("/notes")
    assert failed.status_code == status
    assert isinstance(failed.json()["message"], str)
    assert (await api.get("/notes")).status_code == 200


async def test_a_429_says_when_to_come_back(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429)
    response = await api.get("/leads")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"


async def test_an_expired_key_is_a_401(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)
    assert (await api.get("/leads")).status_code == 401


async def test_a_hang_delays_the_real_answer(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HANG, seconds=0.3)
    started = time.perf_counter()
    response = await api.get("/customers")
    assert time.perf_counter() - started >= 0.3
    assert response.json()["customers"]


async def test_odd_bodies(api: httpx.AsyncClient, emulator: MothernodeEmulator) -> None:
    emulator.faults.inject(Fault.MALFORMED_JSON)
    emulator.faults.inject(Fault.EMPTY_BODY)
    emulator.faults.inject(Fault.WRONG_TYPES)
    emulator.faults.inject(Fault.HTML_ERROR_PAGE)
    truncated = await api.get("/contacts")
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        truncated.json()
    assert (await api.get("/contacts")).content == b""
    assert (await api.get("/contacts")).json()["contacts"] == "none"
    page = await api.get("/contacts")
    assert (page.status_code, page.headers["content-type"].split(";")[0]) == (502, "text/html")


async def test_a_dropped_connection(api: httpx.AsyncClient, emulator: MothernodeEmulator) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION, path="/notes")
    with pytest.raises(httpx.RemoteProtocolError):
        await api.get("/notes")


async def test_faults_match_path_and_method(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_500, path="/invoices", method="GET")
    assert (await api.get("/notes")).status_code == 200
    assert (await api.get("/invoices")).status_code == 500


async def test_the_request_log_records_what_arrived(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    await api.get("/contacts", params={"last_name": "Xu"})
    await api.post("/notes", json={"note": {"ref_id": "1", "ref_type": "client", "ref_msg": "m"}})
    log = emulator.requests
    assert [(r.method, r.path, r.status) for r in log] == [
        ("GET", "/contacts", 200),
        ("POST", "/notes", 201),
    ]
    assert log[0].query == {"last_name": "Xu"}
    assert (
        log[1]
        .header(
            "authorization",
        )
        .startswith("Basic ")
    )  # type: ignore[union-attr]
    admin = await api.get("/__sandbox__/requests")
    assert len(admin.json()["requests"]) == 2
