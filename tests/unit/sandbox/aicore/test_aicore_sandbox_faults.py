"""The /service emulator's data, fault injection and request log, driven with plain httpx."""

from __future__ import annotations

import httpx
import pytest
from aicore_service import Service

from crmdesk.sandbox import AiCoreEmulator, Fault
from crmdesk.sandbox.aicore.store import SiteStore


@pytest.mark.asyncio
@pytest.mark.parametrize(("fault", "status"), [(Fault.HTTP_500, 500), (Fault.HTTP_503, 503)])
async def test_server_errors_answer_in_pairs(
    service: Service, emulator: AiCoreEmulator, fault: Fault, status: int
) -> None:
    emulator.faults.inject(fault)

    failed = await service.post("ping")
    next_one = await service.post("ping")

    assert failed.status_code == status
    assert failed.text.startswith("status=5&status_message=")
    assert next_one.text == "status=0&status_message=Pong"


@pytest.mark.asyncio
async def test_an_injected_429_says_when_to_come_back(
    service: Service, emulator: AiCoreEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429)

    response = await service.post("ping")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"


@pytest.mark.asyncio
async def test_an_expired_login_looks_like_a_bad_one(
    service: Service, emulator: AiCoreEmulator
) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)

    answer = await service.pairs("ping")

    assert answer["status"] == "1"


@pytest.mark.asyncio
async def test_the_other_faults_spoil_the_reply(service: Service, emulator: AiCoreEmulator) -> None:
    for fault in (Fault.WRONG_TYPES, Fault.EMPTY_BODY, Fault.HTML_ERROR_PAGE, Fault.MALFORMED_JSON):
        emulator.faults.inject(fault)
    wrong = (await service.post("leads_get")).json()
    empty = await service.post("ping")
    html = await service.post("ping")
    cut = await service.post("leads_get")

    assert isinstance(wrong["leads"], dict)
    assert empty.content == b""
    assert (html.status_code, html.text[:6]) == (502, "<html>")
    assert cut.headers["content-type"].startswith("application/json")
    assert not cut.text.endswith("}")


@pytest.mark.asyncio
async def test_a_dropped_connection(service: Service, emulator: AiCoreEmulator) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION)

    with pytest.raises(httpx.HTTPError):
        await service.post("ping")


@pytest.mark.asyncio
async def test_the_request_log_keeps_each_command(
    service: Service, emulator: AiCoreEmulator
) -> None:
    await service.post("ping")
    await service.post("query_users")

    logged = emulator.requests
    assert [(r.method, r.path, r.status) for r in logged] == [("POST", "/service", 200)] * 2
    assert b"ai_command=query_users" in logged[1].body


def test_data_is_deterministic_and_scales() -> None:
    first, again, other = SiteStore(3, 25), SiteStore(3, 25), SiteStore(4, 25)

    assert first.table("leads") == again.table("leads")
    assert first.table("leads") != other.table("leads")
    assert [first.count(e) for e in ("leads", "users", "events")] == [25, 25, 25]
    default = SiteStore(1)
    assert 100 <= default.count("users") <= default.count("events") <= default.count("leads")
