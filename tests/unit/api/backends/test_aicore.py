"""aicore backend against scripted replies (httpx.MockTransport): the reply formats and quirks.

The same operations run against the sandbox over loopback in tests/integration/aicore.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import parse_qs

import httpx
import pytest

from crmdesk.api import ApiError, ErrorKind, ExchangeLog, Query, open_backend
from crmdesk.api.backends.aicore import AiCore
from crmdesk.api.backends.aicore_replies import kind_for_message

CREDENTIALS = {"login_id": "apiuser", "login_password": "APIuser123"}
URL = "https://www.dealer.example/service"


class Site:
    """A scripted site: answers every command with the next scripted response."""

    def __init__(self, *responses: httpx.Response) -> None:
        self.responses = list(responses)
        self.forms: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        fields = parse_qs(request.content.decode(), keep_blank_values=True)
        self.forms.append({name: values[0] for name, values in fields.items()})
        return self.responses.pop(0)


def pairs(text: str, status: int = 200, content_type: str = "text/html") -> httpx.Response:
    return httpx.Response(status, content=text.encode(), headers={"content-type": content_type})


def as_json(data: object, content_type: str = "application/json") -> httpx.Response:
    return httpx.Response(
        200, content=json.dumps(data).encode(), headers={"content-type": content_type}
    )


def open_site(handler: Callable[[httpx.Request], httpx.Response]) -> AiCore:
    backend = open_backend(
        "aicore", URL, CREDENTIALS, log=ExchangeLog(), http_transport=httpx.MockTransport(handler)
    )
    assert isinstance(backend, AiCore)
    return backend


async def failure(site: Site, entity: str = "users") -> ApiError:
    async with open_site(site) as backend:
        with pytest.raises(ApiError) as caught:
            await backend.list(entity, Query())
    assert caught.value.exchange is not None
    return caught.value


@pytest.mark.asyncio
async def test_every_call_posts_the_login_and_command_to_the_url_itself() -> None:
    site = Site(pairs("status=0&status_message=Pong"))
    async with open_site(site) as backend:
        await backend.test_connection()

    assert site.forms == [
        {"ai_login_id": "apiuser", "ai_login_password": "APIuser123", "ai_command": "ping"}
    ]


@pytest.mark.asyncio
async def test_the_password_is_redacted_from_the_exchange() -> None:
    async with open_site(Site(pairs("status=0"))) as backend:
        await backend.test_connection()
        exchange = next(iter(backend.exchange_log))

    assert b"APIuser123" not in exchange.request_body
    assert exchange.url == URL


@pytest.mark.parametrize(
    "body",
    ["status_message=Success&users[0][user_id]=1", '{"status_message": "ok", "leads": []}'],
)
@pytest.mark.asyncio
async def test_a_reply_without_status_is_a_protocol_error(body: str) -> None:
    error = await failure(Site(pairs(body)))

    assert error.kind is ErrorKind.PROTOCOL
    assert "no status" in error.message


@pytest.mark.asyncio
async def test_plain_and_numbered_messages_are_joined_in_order() -> None:
    body = "status=7&status_message=First&status_message%5B0%5D=Second&status_message[1]=Third"

    error = await failure(Site(pairs(body)))

    assert error.message == "First; Second; Third."
    assert error.vendor_code == "7"


@pytest.mark.asyncio
async def test_nested_pairs_become_records_with_brackets_encoded_or_not() -> None:
    body = (
        "status=0&num_results=2&users%5B0%5D%5Buser_id%5D=1&users%5B0%5D%5Busername%5D=ann"
        "&users[1][user_id]=2&users[1][username]=bob"
    )
    async with open_site(Site(pairs(body))) as backend:
        page = await backend.list("users", Query())

    assert [(r.id, r.values["username"]) for r in page.records] == [("1", "ann"), ("2", "bob")]


@pytest.mark.asyncio
async def test_no_users_key_means_no_users() -> None:
    # PHP leaves an empty array out of URL-encoded pairs altogether.
    async with open_site(Site(pairs("status=0&num_results=0"))) as backend:
        page = await backend.list("users", Query())

    assert page.records == ()
    assert page.total_records == 0


@pytest.mark.parametrize("status", [0, "0", " 0 "])
@pytest.mark.asyncio
async def test_json_status_may_be_a_number_or_text(status: object) -> None:
    reply = {"status": status, "total_results": 1, "leads": [{"lead_id": 5, "city": "Macon"}]}
    async with open_site(Site(as_json(reply))) as backend:
        page = await backend.list("leads", Query())

    assert page.records[0].id == "5"
    assert page.total_records == 1


@pytest.mark.asyncio
async def test_json_sent_as_text_html_is_recognised_by_its_first_byte() -> None:
    site = Site(as_json([{"status": 0, "status_message": "Lead Updated"}], "text/html"))
    async with open_site(site) as backend:
        results = await backend.update_many("leads", {"9": {"city": "Tulsa"}})

    assert results["9"].message == "Lead Updated."
    batch = json.loads(site.forms[0]["json"])
    assert batch == [{"ai_command": "lead_set", "mode": "update", "lead_id": "9", "city": "Tulsa"}]


@pytest.mark.parametrize(
    ("response", "words"),
    [
        (pairs("<html><body>Fatal error</body></html>"), "HTML"),
        (pairs("Warning: mysql_connect() failed\n"), "neither"),
        (pairs(""), "empty"),
        (pairs("status=0", content_type="application/json"), "JSON"),
        (as_json({"status": ["0"]}), "not a number"),
        (as_json({"status": True}), "not a number"),
        (as_json(["status", 0]), "list"),
        (as_json({"status": 0, "users": {"user_id": "1"}}), "list of users"),
        (as_json({"status": 0, "users": [{"user_id": None}]}), "no user_id"),
        (as_json({"status": 0, "users": ["1"]}), "not an object"),
        (
            httpx.Response(
                200, content=b"status=0", headers={"content-type": "text/html; charset=klingon"}
            ),
            "character set",
        ),
    ],
)
@pytest.mark.asyncio
async def test_odd_replies_are_protocol_errors(response: httpx.Response, words: str) -> None:
    error = await failure(Site(response))

    assert error.kind is ErrorKind.PROTOCOL
    # What was wrong, in words; the technical part of it in the detail.
    assert words in f"{error.message} {error.detail}"


@pytest.mark.asyncio
async def test_leads_total_in_text_and_missing_total() -> None:
    with_total = as_json({"status": 0, "total_results": "51", "num_results": 1, "leads": []})
    without = as_json({"status": 0, "leads": []})
    async with open_site(Site(with_total, without)) as backend:
        counted = await backend.list("leads", Query(page_size=25))
        uncounted = await backend.list("leads", Query(page_size=25))

    assert (counted.total_records, counted.total_pages) == (51, 3)
    assert (uncounted.total_records, uncounted.total_pages) == (None, None)


@pytest.mark.asyncio
@pytest.mark.parametrize("total", ["many", "-3", "1e999", "²", "9" * 5000, 10**400])
async def test_a_total_that_is_not_a_count_leaves_the_total_unknown(total: object) -> None:
    reply = as_json({"status": 0, "total_results": total, "leads": [{"lead_id": "7"}]})
    async with open_site(Site(reply)) as site:
        page = await site.list("leads", Query())

    assert [r.id for r in page.records] == ["7"]
    assert (page.total_records, page.total_pages) == (None, None)


@pytest.mark.asyncio
async def test_429_says_when_to_retry() -> None:
    response = httpx.Response(
        429, content=b"status=1&status_message=Slow+down", headers={"retry-after": "30"}
    )
    error = await failure(Site(response))

    assert error.kind is ErrorKind.RATE_LIMITED
    assert error.message == "Slow down."
    assert error.retry_at is not None


@pytest.mark.asyncio
async def test_later_batch_failures_mark_their_records_only() -> None:
    first = as_json([{"status": 0, "status_message": "Lead Updated"}] * 100, "text/html")
    second = pairs("<html>502 Bad Gateway</html>", status=502)
    updates = {str(n): {"city": "Boise"} for n in range(150)}
    async with open_site(Site(first, second)) as backend:
        results = await backend.update_many("leads", updates)

    assert all(not isinstance(results[str(n)], ApiError) for n in range(100))
    late = [results[str(n)] for n in range(100, 150)]
    assert all(isinstance(r, ApiError) and r.kind is ErrorKind.SERVER for r in late)


@pytest.mark.asyncio
async def test_a_short_batch_reply_leaves_the_rest_as_protocol_errors() -> None:
    site = Site(as_json([{"status": "0"}, 17], "text/html"))
    async with open_site(site) as backend:
        results = await backend.update_many("users", {"1": {"a": 1}, "2": {"a": 2}, "3": {"a": 3}})

    kinds = [r.kind if isinstance(r, ApiError) else None for r in results.values()]
    assert kinds == [None, ErrorKind.PROTOCOL, ErrorKind.PROTOCOL]


@pytest.mark.asyncio
async def test_a_batch_reply_that_is_no_list_is_an_error() -> None:
    async with open_site(Site(pairs("status=0&status_message=Success"))) as backend:
        with pytest.raises(ApiError) as caught:
            await backend.update_many("leads", {"1": {"city": "X"}})

    assert caught.value.kind is ErrorKind.PROTOCOL


@pytest.mark.asyncio
async def test_lead_filters_other_than_user_go_into_search_params() -> None:
    site = Site(as_json({"status": 0, "leads": []}))
    async with open_site(site) as backend:
        await backend.list("leads", Query(filters={"user_id": "4", "status": "2", "city": "A B"}))

    assert site.forms[0]["user_id"] == "4"
    assert parse_qs(site.forms[0]["search_params"]) == {"status": ["2"], "city": ["A B"]}


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Invalid API login ID or password", ErrorKind.AUTH),
        ("Invalid command: foo", ErrorKind.UNSUPPORTED),
        ("Unknown command", ErrorKind.UNSUPPORTED),
        ("Lead 7 not found", ErrorKind.NOT_FOUND),
        ("User does not exist", ErrorKind.NOT_FOUND),
        ("Access denied for this user", ErrorKind.FORBIDDEN),
        ('ERROR: Required parameter "record_id" missing', ErrorKind.INVALID),
        ('ERROR: Required parameter "ai_command" missing', ErrorKind.INVALID),
    ],
)
def test_error_kinds_are_read_from_the_words(message: str, kind: ErrorKind) -> None:
    assert kind_for_message(message) is kind
