"""Fault injection, the request log and the admin endpoint."""

from __future__ import annotations

import json
import time
from unittest import mock

import httpx
import pytest
from aiohttp.test_utils import make_mocked_request
from sandbox_client import Api, open_api

from crmdesk.sandbox import CMDataManagerEmulator, Fault, Sandbox
from crmdesk.sandbox.faults import FaultPlan


@pytest.mark.asyncio
@pytest.mark.parametrize(("fault", "status"), [(Fault.HTTP_500, 500), (Fault.HTTP_503, 503)])
async def test_server_errors_answer_like_the_api(
    api: Api, emulator: CMDataManagerEmulator, fault: Fault, status: int
) -> None:
    emulator.faults.inject(fault)

    failed = await api.get("lead", per_page=1, page=1)
    next_one = await api.get("lead", per_page=1, page=1)

    assert failed.status_code == status
    assert isinstance(failed.json()["Message"], str)
    assert "x-rate-limit-remaining" in failed.headers
    assert next_one.status_code == 200


@pytest.mark.asyncio
async def test_an_injected_429_says_when_to_come_back(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429)

    response = await api.get("lead")

    assert response.status_code == 429
    assert response.json()["Message"].startswith("API calls quota exceeded!")
    assert response.headers["x-rate-limit-remaining"] == "0"
    assert time.time() < int(response.headers["x-rate-limit-reset"]) <= time.time() + 3


@pytest.mark.asyncio
async def test_a_hang_delays_the_real_answer(api: Api, emulator: CMDataManagerEmulator) -> None:
    emulator.faults.inject(Fault.HANG, seconds=0.3)

    started = time.perf_counter()
    response = await api.get("lead", per_page=1, page=1)

    assert time.perf_counter() - started >= 0.3
    assert response.status_code == 200
    assert response.json()["Entity"]


@pytest.mark.asyncio
async def test_a_long_hang_outlasts_a_client_timeout(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.HANG)

    with pytest.raises(httpx.ReadTimeout):
        await api.client.get("lead", headers=api._auth(), timeout=httpx.Timeout(10.0, read=0.2))


@pytest.mark.asyncio
async def test_malformed_json_is_a_truncated_body(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.MALFORMED_JSON)

    response = await api.get("lead", per_page=5, page=1)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.content.startswith(b'{"Total Records"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


@pytest.mark.asyncio
async def test_an_html_error_page_comes_from_a_gateway(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.HTML_ERROR_PAGE)

    response = await api.get("lead")

    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<html>" in response.text


@pytest.mark.asyncio
async def test_wrong_types_parse_but_have_the_wrong_shape(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.WRONG_TYPES, count=2)

    listed = (await api.get("lead")).json()
    login = (await api.client.post("authenticate", headers=api.endpoint.credentials)).json()

    assert isinstance(listed["Entity"], dict)
    assert not isinstance(listed["Total Records"], str)
    assert not isinstance(login["token"], str)


@pytest.mark.asyncio
async def test_a_dropped_connection_sends_nothing(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.DROP_CONNECTION)

    with pytest.raises(httpx.RemoteProtocolError):
        await api.get("lead")

    assert emulator.requests[-1].fault == "DROP_CONNECTION"
    assert emulator.requests[-1].status is None
    assert (await api.get("lead", per_page=1, page=1)).status_code == 200


@pytest.mark.asyncio
async def test_an_injected_token_expiry_invalidates_the_token(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.TOKEN_EXPIRED)

    first = await api.get("lead")
    second = await api.get("lead")

    assert first.status_code == second.status_code == 401
    assert first.json() == second.json() == {"Message": "Token expired."}


@pytest.mark.asyncio
async def test_an_empty_body_has_no_bytes(api: Api, emulator: CMDataManagerEmulator) -> None:
    emulator.faults.inject(Fault.EMPTY_BODY)

    response = await api.get("lead")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.asyncio
async def test_faults_hit_only_matching_requests_and_only_count_times(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_500, count=2, path="/contact", method="get")

    statuses = [
        (await api.get("lead", per_page=1, page=1)).status_code,
        (await api.post("contact", {"LastName": "Young"})).status_code,
        (await api.get("Contact", per_page=1, page=1)).status_code,
        (await api.get("contact", per_page=1, page=1)).status_code,
        (await api.get("contact", per_page=1, page=1)).status_code,
    ]

    assert statuses == [200, 201, 500, 500, 200]
    assert emulator.faults.pending == []


def test_the_fault_plan_is_first_in_first_out_and_checks_its_input() -> None:
    plan = FaultPlan(hang_seconds=5)
    plan.inject("HTTP_503", path="lead")
    plan.inject(Fault.HANG)

    first = plan.take("GET", "/api/v1/lead")
    second = plan.take("GET", "/api/v1/lead")

    assert first is not None
    assert first.fault is Fault.HTTP_503
    assert second is not None
    assert (second.fault, second.seconds) == (Fault.HANG, 5)
    assert plan.take("GET", "/api/v1/lead") is None
    with pytest.raises(ValueError, match="count"):
        plan.inject(Fault.HANG, count=0)
    with pytest.raises(ValueError, match="NOT_A_FAULT"):
        plan.inject("NOT_A_FAULT")


@pytest.mark.asyncio
async def test_the_request_log_keeps_what_the_client_sent(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    emulator.clear_requests()

    await api.get("lead", per_page=2, page=1)
    await api.post("lead", {"LastName": "Young", "Company": "Northwind"})

    listed, created = emulator.requests
    assert (listed.method, listed.path, listed.query) == ("GET", "/api/v1/lead", {
        "per_page": "2", "page": "1",
    })  # fmt: skip
    assert listed.header("authorization") == f"Bearer {api.token}"
    assert listed.status == 200
    assert created.method == "POST"
    assert json.loads(created.body) == {"LastName": "Young", "Company": "Northwind"}
    assert created.status == 201


@pytest.mark.asyncio
async def test_the_request_log_is_bounded() -> None:
    async with Sandbox(request_log_size=3) as sandbox:
        client, api = open_api(sandbox)
        async with client:
            await api.login()
            for _ in range(5):
                await api.get("lead", per_page=1, page=1)
        log = sandbox.emulator("cmdatamanager").requests

    assert [r.method for r in log] == ["GET", "GET", "GET"]


@pytest.mark.asyncio
async def test_the_admin_endpoint_injects_faults_and_shows_requests(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    admin = api.endpoint.base_url.removesuffix("/api/v1") + "/__sandbox__/"
    emulator.clear_requests()

    injected = await api.client.post(admin + "faults", json={"fault": "http_500", "count": 2})
    pending = (await api.client.get(admin + "faults")).json()["pending"]
    failed = await api.get("account")
    log = (await api.client.get(admin + "requests")).json()["requests"]
    unplanned = await api.client.delete(admin + "faults")
    cleared = await api.client.delete(admin + "requests")
    left = emulator.requests
    bad = await api.client.post(admin + "faults", json={"fault": "MELTDOWN"})
    expired = await api.client.post(admin + "expire-tokens")
    after = await api.get("account")

    assert injected.status_code == 200
    assert pending == [
        {"fault": "HTTP_500", "remaining": 2, "path": None, "method": None, "seconds": 30.0}
    ]
    assert failed.status_code == 500
    assert unplanned.json() == {"pending": []}
    # The admin's own calls stay out of the log.
    assert [(r["method"], r["path"], r["status"], r["fault"]) for r in log] == [
        ("GET", "/api/v1/account", 500, "HTTP_500")
    ]
    assert cleared.json() == {"requests": []}
    assert left == []
    assert bad.status_code == 400
    assert expired.status_code == 200
    assert after.status_code == 401
    assert after.json()["Message"] == "Token expired."


@pytest.mark.asyncio
@pytest.mark.parametrize(("peer", "status"), [("192.0.2.7", 403), ("::1", 200)])
async def test_the_admin_endpoint_answers_loopback_clients_only(peer: str, status: int) -> None:
    app = Sandbox().emulator("cmdatamanager").build_app()
    transport = mock.Mock()
    transport.get_extra_info.return_value = (peer, 50000)
    request = make_mocked_request("GET", "/__sandbox__/requests", app=app, transport=transport)

    match = await app.router.resolve(request)
    response = await match.handler(request)

    assert response.status == status
