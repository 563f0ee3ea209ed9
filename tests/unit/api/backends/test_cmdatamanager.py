"""CMDataManager backend against scripted replies (httpx.MockTransport): parsing and auth logic.

The same operations run against the sandbox over loopback in tests/integration.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, FieldType, Query, Redactor, SortKey
from crmdesk.api.backends.cmdatamanager import CmDataManager
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.transport import Transport

CREDENTIALS = {
    "client_id": "cid",
    "client_secret": "client-secret-1",
    "username": "ops",
    "password": "password-1",
}
Handler = Callable[[httpx.Request], httpx.Response]


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


def backend(
    handler: Handler, *, read_only: bool = False, clock: Clock | None = None
) -> CmDataManager:
    transport = Transport(
        "https://tenant.example/api/v1",
        connection="Acme",
        log=ExchangeLog(),
        redactor=Redactor(secrets=["client-secret-1", "password-1"]),
        governor=RateLimitGovernor(),
        transport=httpx.MockTransport(handler),
        retry_backoff=0.0,
    )
    return CmDataManager(
        transport, credentials=CREDENTIALS, read_only=read_only, clock=clock or Clock()
    )


class Server:
    """A scripted tenant: counts logins and answers the routes a test sets."""

    def __init__(self) -> None:
        self.logins = 0
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Callable[[httpx.Request], httpx.Response]] = {}
        self.token_reset = "1700003600"

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/api/v1/")
        if path == "authenticate":
            self.logins += 1
            return httpx.Response(
                200,
                json={"token": f"tok-{self.logins:04d}-abcdef"},
                headers={"x-token-reset": self.token_reset},
            )
        route = self.routes.get((request.method, path))
        if route is None:
            return httpx.Response(404, json={"Message": "Record not found."})
        return route(request)


def listing(total: str = "30", pages: str = "3", entity: object = None) -> httpx.Response:
    records = (
        entity
        if entity is not None
        else [{"ExternalID": "ABC1D2E3", "Properties": {"FirstName": "Heidi"}}]
    )
    return httpx.Response(
        200,
        json={"Total Records": total, "Total Pages": pages, "Entity": records},
        headers={
            "x-rate-limit-limit": "5000",
            "x-rate-limit-remaining": "4812",
            "x-rate-limit-reset": "1700002460",
        },
    )


@pytest.mark.asyncio
async def test_login_uses_the_four_headers_and_the_token_is_redacted() -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: listing()
    async with backend(server) as crm:
        page = await crm.list("lead", Query(page=2, page_size=10, sort=SortKey("LastName", True)))
        login, listed = server.requests
        assert {k: login.headers[k] for k in CREDENTIALS} == CREDENTIALS
        assert listed.headers["authorization"] == "Bearer tok-0001-abcdef"
        assert dict(listed.url.params) == {
            "page": "2",
            "per_page": "10",
            "sort_by": "LastName",
            "sort_order": "desc",
        }
        log_text = "".join(repr(e) for e in crm.exchange_log)
        for secret in ("tok-0001-abcdef", "client-secret-1", "password-1"):
            assert secret not in log_text
    assert page.total_records == 30
    assert page.total_pages == 3
    assert page.records[0].id == "ABC1D2E3"
    assert page.records[0].values["FirstName"] == "Heidi"
    assert page.sorted_by_server
    assert page.paged_by_server
    assert crm.governor.state.remaining == 4812


@pytest.mark.asyncio
async def test_concurrent_calls_share_one_login() -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: listing()
    async with backend(server) as crm:
        await asyncio.gather(*(crm.list("lead", Query()) for _ in range(5)))
    assert server.logins == 1


@pytest.mark.asyncio
async def test_401_logs_in_again_once_and_retries() -> None:
    server = Server()
    seen: list[str] = []

    def lead(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["authorization"])
        if len(seen) == 1:
            return httpx.Response(401, json={"Message": "Token expired."})
        return listing()

    server.routes["GET", "lead"] = lead
    async with backend(server) as crm:
        await crm.list("lead", Query())
    assert server.logins == 2
    assert seen == ["Bearer tok-0001-abcdef", "Bearer tok-0002-abcdef"]


@pytest.mark.asyncio
async def test_a_second_401_is_an_auth_error_with_the_servers_words() -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: httpx.Response(401, json={"Message": "Denied."})
    async with backend(server) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.AUTH
    assert caught.value.message == "Denied."
    assert caught.value.exchange is not None
    assert caught.value.exchange.status == 401
    assert server.logins == 2


@pytest.mark.asyncio
async def test_token_reset_time_passing_means_a_new_login_before_the_call() -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: listing()
    clock = Clock()
    async with backend(server, clock=clock) as crm:
        await crm.list("lead", Query())
        clock.now = 1_700_003_600.0
        await crm.list("lead", Query())
    assert server.logins == 2
    assert [r.url.path.rsplit("/", 1)[-1] for r in server.requests] == [
        "authenticate",
        "lead",
        "authenticate",
        "lead",
    ]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"Total Records": "1", "Total Pages": "1", "Entity": {"a": 1}}, "Entity"),
        ({"Total Records": "1", "Total Pages": "1", "Entity": ["x"]}, "not an object"),
        ({"Total Records": "1", "Total Pages": "1", "Entity": [{"Properties": {}}]}, "ExternalID"),
        ([1, 2], "list"),
    ],
)
@pytest.mark.asyncio
async def test_wrong_shapes_are_protocol_errors(body: object, words: str) -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: httpx.Response(200, json=body)
    async with backend(server) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.PROTOCOL
    # What was wrong, in words; the technical part of it in the detail.
    assert words in f"{caught.value.message} {caught.value.detail}"


@pytest.mark.parametrize("total", [{"n": 1}, "²", "-4", "9" * 5000, "1" * 401, 10**400, 1e300])
@pytest.mark.asyncio
async def test_a_total_that_is_not_a_count_leaves_it_unknown_and_keeps_the_page(
    total: object,
) -> None:
    server = Server()
    body = {"Total Records": total, "Entity": [{"ExternalID": "L1", "Properties": {}}]}
    server.routes["GET", "lead"] = lambda r: httpx.Response(200, json=body)
    async with backend(server) as crm:
        page = await crm.list("lead", Query())
    assert [r.id for r in page.records] == ["L1"]
    assert (page.total_records, page.total_pages) == (None, None)


@pytest.mark.asyncio
async def test_read_only_connection_never_sends_a_write() -> None:
    server = Server()
    async with backend(server, read_only=True) as crm:
        for write in (
            crm.create("lead", {"FirstName": "A"}),
            crm.update("lead", "ABC1D2E3", {"FirstName": "A"}),
            crm.delete("lead", "ABC1D2E3"),
            crm.run_action("task", "TSK0042A", "close"),
        ):
            with pytest.raises(ApiError) as caught:
                await write
            assert caught.value.kind is ErrorKind.READ_ONLY
    assert server.requests == []


@pytest.mark.asyncio
async def test_task_close_falls_back_to_the_other_spelling_on_404() -> None:
    server = Server()
    server.routes["PUT", "Task/Close/TSK1A2B3"] = lambda r: httpx.Response(
        200, json={"Message": "Record updated."}
    )
    async with backend(server) as crm:
        result = await crm.run_action("task", "TSK1A2B3", "close")
    assert result.message == "Record updated."
    paths = [r.url.path for r in server.requests if r.method == "PUT"]
    assert paths == ["/api/v1/task/close/TSK1A2B3", "/api/v1/Task/Close/TSK1A2B3"]


@pytest.mark.asyncio
async def test_ids_cannot_step_out_of_their_path_segment() -> None:
    server = Server()
    async with backend(server) as crm:
        with pytest.raises(ApiError):
            await crm.get("lead", "../account/X")
    assert server.requests[-1].url.raw_path == b"/api/v1/lead/..%2Faccount%2FX"


@pytest.mark.asyncio
async def test_field_metadata_is_read_tolerantly_over_all_its_pages() -> None:
    server = Server()

    def fields(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        items = {
            1: [
                {
                    "ExternalID": "F1",
                    "Properties": {
                        "Name": "Status",
                        "Label": "Status",
                        "Type": "Picklist",
                        "Required": "True",
                        "ReadOnly": "False",
                        "Options": ["Open", "Closed"],
                    },
                },
            ],
            2: [
                {
                    "ExternalID": "F2",
                    "Properties": {
                        "Name": "Score",
                        "Type": "Hologram",
                        "Colour": "teal",
                    },
                },
            ],
        }[page]
        return httpx.Response(200, json={"Total Records": "2", "Total Page": "2", "Field": items})

    server.routes["GET", "lead/fields"] = fields
    async with backend(server) as crm:
        status, score = await crm.fields("lead")
        assert await crm.fields("lead") == (status, score)  # cached
    assert status.type is FieldType.CHOICE
    assert status.required
    assert not status.read_only
    assert status.options == ("Open", "Closed")
    assert score.type is FieldType.TEXT
    assert score.label == "Score"
    assert score.extra["Type"] == "Hologram"
    assert score.extra["Colour"] == "teal"
    assert sum(1 for r in server.requests if r.url.path.endswith("/fields")) == 2


@pytest.mark.asyncio
async def test_html_error_page_is_described_in_words() -> None:
    server = Server()
    server.routes["GET", "lead"] = lambda r: httpx.Response(
        500, content=b"<html>boom</html>", headers={"content-type": "text/html"}
    )
    async with backend(server) as crm:
        with pytest.raises(ApiError) as caught:
            await crm.list("lead", Query())
    assert caught.value.kind is ErrorKind.SERVER
    assert "HTML error page" in caught.value.message


@pytest.mark.asyncio
async def test_create_answers_the_new_id_and_convert_offers_the_account() -> None:
    server = Server()
    server.routes["POST", "lead"] = lambda r: httpx.Response(201, json={"ExternalID": "NEW1A2B3"})
    server.routes["PUT", "lead/convert/NEW1A2B3"] = lambda r: httpx.Response(
        200, json={"Account ExternalID": "ACC1A2B3"}
    )
    async with backend(server) as crm:
        created = await crm.create("lead", {"FirstName": "Iris"})
        converted = await crm.run_action("lead", "NEW1A2B3", "convert")
    assert created.created_id == "NEW1A2B3"
    assert converted.opens == ("account", "ACC1A2B3")
    post = next(r for r in server.requests if r.method == "POST" and r.url.path.endswith("lead"))
    assert json.loads(post.content) == {"FirstName": "Iris"}
