"""Mothernode backend against scripted replies (httpx.MockTransport): the quirks that are easier
to script than to provoke. The same operations run against the sandbox in tests/integration."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from crmdesk.api import REDACTED, ApiError, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.api.backends.base import Backend

CREDENTIALS = {"access_key": "KEY-123456", "api_password": "password-123456"}
Handler = Callable[[httpx.Request], httpx.Response]
pytestmark = pytest.mark.asyncio


def backend(handler: Handler, log: ExchangeLog | None = None, **options: object) -> Backend:
    return open_backend(
        "mothernode",
        "",
        CREDENTIALS,
        log=log,
        http_transport=httpx.MockTransport(handler),
        **options,
    )


def answer(body: object, status: int = 200) -> Handler:
    return lambda request: httpx.Response(status, json=body)


LEAD = {"lead_id": "L1", "is_opportunity": "0", "o_close_date": "0000-00-00"}
OPPORTUNITY = {"lead_id": "L2", "is_opportunity": "1", "o_close_date": "2025-03-01"}


async def test_requests_carry_basic_auth_and_accept_json() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"message": "ok"})

    async with backend(handler) as crm:
        await crm.test_connection()
    request = seen[0]
    assert str(request.url) == "https://api.mothernode.com/"
    assert request.headers["accept"] == "application/json"
    assert request.headers["authorization"] == "Basic S0VZLTEyMzQ1NjpwYXNzd29yZC0xMjM0NTY="


async def test_a_list_under_the_singular_key_is_read_too() -> None:
    async with backend(answer({"contact": {"contact_id": "C1", "last_name": "Solo"}})) as crm:
        page = await crm.list("contacts", Query())
    assert [r.id for r in page.records] == ["C1"]


async def test_a_record_under_the_plural_key_is_read_too() -> None:
    async with backend(answer({"contacts": [{"contact_id": "C1"}, {"contact_id": "C2"}]})) as crm:
        record = await crm.get("contacts", "C2")
    assert record.id == "C2"


async def test_an_empty_plural_answer_to_get_is_not_found() -> None:
    async with backend(answer({"contacts": []})) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.get("contacts", "C9")
    assert caught.value.kind is ErrorKind.NOT_FOUND


async def test_any_list_may_come_keyed_by_id() -> None:
    body = {"notes": {"1001": {"note_id": "1001"}, "1002": {"note_id": "1002"}}}
    async with backend(answer(body)) as crm:
        page = await crm.list("notes", Query())
    assert [r.id for r in page.records] == ["1001", "1002"]


async def test_a_server_that_ignores_the_flag_filter_does_not_mix_leads_and_opportunities() -> None:
    async with backend(answer({"leads": [LEAD, OPPORTUNITY]})) as crm:
        leads = await crm.list("leads", Query())
        opportunities = await crm.list("opportunities", Query())
    assert [r.id for r in leads.records] == ["L1"]
    assert [r.id for r in opportunities.records] == ["L2"]
    assert leads.records[0].values["o_close_date"] is None


async def test_getting_a_lead_as_an_opportunity_is_not_found() -> None:
    async with backend(answer({"lead": LEAD})) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.get("opportunities", "L1")
    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.exchange is not None


async def test_an_update_answered_204_is_saved() -> None:
    async with backend(lambda request: httpx.Response(204)) as crm:
        result = await crm.update("contacts", "C1", {"title": "Boss"})
    assert result.message == "Saved contact C1."


async def test_a_create_whose_reply_has_no_id_is_a_protocol_error() -> None:
    async with backend(answer({"contact": {"last_name": "X"}}, status=201)) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.create("contacts", {"last_name": "X"})
    assert caught.value.kind is ErrorKind.PROTOCOL


async def test_values_are_sent_as_strings_inside_the_singular_wrapper() -> None:
    bodies: list[object] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(201, json={"lead": {"lead_id": "L3", "is_opportunity": "1"}})

    async with backend(handler) as crm:
        values = {"l_working_title": "Sign", "o_project_cost": 12.5, "is_individual": False}
        created = await crm.create("opportunities", {**values, "o_close_date": None})
    assert created.created_id == "L3"
    assert bodies == [
        {
            "lead": {
                "l_working_title": "Sign",
                "o_project_cost": "12.5",
                "is_individual": "0",
                "o_close_date": "",
                "is_opportunity": "1",
            }
        }
    ]


async def test_a_value_that_cannot_be_sent_is_refused_before_sending() -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    async with backend(handler) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.update("contacts", "C1", {"title": ["a", "b"]})
    assert caught.value.kind is ErrorKind.INVALID
    assert sent == []


@pytest.mark.parametrize(
    ("status", "body", "kind", "message"),
    [
        (401, b"", ErrorKind.AUTH, "The access key or API password was not accepted."),
        # Seed 000 gives 403 the meaning of 401: the key is missing or invalid.
        (403, b'{"error": {"message": "Key disabled"}}', ErrorKind.AUTH, "Key disabled."),
        (403, b"", ErrorKind.AUTH, "The access key or API password was not accepted."),
        (404, b"Not here", ErrorKind.NOT_FOUND, "Not here."),
        (400, b'{"error": "Bad field"}', ErrorKind.INVALID, "Bad field."),
        (
            500,
            b"<html>oops</html>",
            ErrorKind.SERVER,
            "The server sent an HTML error page instead of an API reply.",
        ),
    ],
)
async def test_error_statuses_become_error_kinds(
    status: int, body: bytes, kind: ErrorKind, message: str
) -> None:
    headers = {"content-type": "text/plain"} if body == b"Not here" else {}
    handler: Handler = lambda request: httpx.Response(status, content=body, headers=headers)  # noqa: E731
    async with backend(handler) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.delete("contacts", "C1")
    assert (caught.value.kind, caught.value.message, caught.value.status) == (kind, message, status)


@pytest.mark.parametrize(
    "body",
    [
        b"[1, 2]",
        b'{"something": []}',
        b'{"invoices": {"10000": {"header": "x"}}}',
        b'{"invoices": [{"detail": [], "header": {}}]}',
        b'{"contacts": [{"contact_id": true}]}',
        b'{"contacts": "none"}',
        b"\xff\xfe",
    ],
)
async def test_malformed_replies_are_protocol_errors(body: bytes) -> None:
    entity = "invoices" if b"invoices" in body else "contacts"
    async with backend(lambda request: httpx.Response(200, content=body)) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list(entity, Query())
    assert caught.value.kind is ErrorKind.PROTOCOL
    assert caught.value.exchange is not None


async def test_the_list_cache_expires_and_page_one_always_asks() -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json={"notes": [{"note_id": str(n)} for n in range(30)]})

    async with backend(handler, list_cache_seconds=0) as crm:
        await crm.list("notes", Query(page=1, page_size=10))
        await crm.list("notes", Query(page=2, page_size=10))
    async with backend(handler) as crm:
        await crm.list("notes", Query(page=1, page_size=10))
        await crm.list("notes", Query(page=2, page_size=10))
        await crm.list("notes", Query(page=1, page_size=10))
    assert len(calls) == 4


async def test_secrets_stay_out_of_the_exchange_log() -> None:
    log = ExchangeLog()
    async with backend(answer({"error": "no"}, status=401), log=log) as crm:
        with pytest.raises(ApiError):
            await crm.list("contacts", Query())
    (exchange,) = list(log)
    assert dict(exchange.request_headers)["authorization"] == REDACTED
    assert "password-123456" not in repr(exchange)
    assert "S0VZLTEyMzQ1Nj" not in repr(exchange)
