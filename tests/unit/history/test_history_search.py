"""Searching history: by words, record id, connection, method, status, time and logins;
newest first, in pages that neither skip nor repeat."""

from __future__ import annotations

import json

import pytest
from history_samples import BASE_TIME, exchange_id, make_exchange

from crmdesk.history import ExchangeStore, ExchangeSummary, HistoryQuery, StatusClass

pytestmark = pytest.mark.asyncio


async def ids(store: ExchangeStore, **query: object) -> list[int]:
    """The numbers (see history_samples.exchange_id) of what the query finds, newest first."""
    page = await store.search(HistoryQuery(**query), limit=1000)  # type: ignore[arg-type]
    assert page.total == len(page.items)
    return [int(item.id[:12], 16) for item in page.items]


async def test_everything_newest_first_in_pages_that_do_not_overlap(store: ExchangeStore) -> None:
    # Two share a start time: the id decides between them, the same way on every page.
    exchanges = [make_exchange(n) for n in range(1, 26)]
    exchanges.append(make_exchange(26, started_at=BASE_TIME + 10))
    await store.add(exchanges)
    seen: list[str] = []
    cursor = None
    while True:
        page = await store.search(limit=7, cursor=cursor)
        assert page.total == 26
        seen.extend(item.id for item in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = sorted(exchanges, key=lambda e: (e.started_at, e.id), reverse=True)
    assert seen == [e.id for e in expected]
    by_offset = await store.search(limit=7, offset=7)
    assert [i.id for i in by_offset.items] == seen[7:14]
    assert (await store.search(limit=26)).next_cursor is None


async def test_a_summary_has_what_the_list_shows_and_no_bodies(store: ExchangeStore) -> None:
    exchange = make_exchange(1, status=None, reason="", error="refused", note="after a wait")
    await store.add([exchange])
    (summary,) = (await store.search()).items
    assert summary.outcome == "refused"
    assert not summary.ok
    assert (summary.method, summary.url, summary.note) == (
        exchange.method,
        exchange.url,
        "after a wait",
    )
    assert not hasattr(summary, "response_body")
    assert summary == ExchangeSummary.of(exchange)  # a live exchange summed up the same way


async def test_words_are_found_in_the_url_and_both_bodies(store: ExchangeStore) -> None:
    await store.add(
        [
            make_exchange(1, url="https://crm.example/api/v1/lead/convert/77"),
            make_exchange(2, request_body=b'{"Name": "Heidi Smith"}', request_size=23),
            make_exchange(3, response_body=b'{"Message": "Quota exceeded for today"}'),
            make_exchange(4, response_body=b'{"City": "K\\u00f6ln"}'),
            make_exchange(5, request_body=b"ai_command=leads_get&city=K%C3%B6ln+Nord"),
            make_exchange(6, response_body=b"status=1&status_message=Bad+login+name"),
        ]
    )
    assert await ids(store, text="convert") == [1]
    assert await ids(store, text="lead/convert") == [1]
    assert await ids(store, text="heidi") == [2]
    assert await ids(store, text="smith heidi") == [2]  # every word, in any order
    assert await ids(store, text="heidi jones") == []
    assert await ids(store, text="quota") == [3]
    assert await ids(store, text="köln") == [5, 4]  # decoded from \\u escapes and %-escapes
    assert await ids(store, text="bad login") == [6]
    assert await ids(store, text="exceed*") == [3]
    assert await ids(store, text='"quota" -- ***') == [3]  # punctuation alone finds nothing


async def test_a_record_id_is_matched_as_a_whole_token(store: ExchangeStore) -> None:
    await store.add(
        [
            make_exchange(1, url="https://crm.example/api/v1/lead/123"),
            make_exchange(2, url="https://crm.example/api/v1/lead/1234"),
            make_exchange(3, response_body=json.dumps({"Account ExternalID": "123"}).encode()),
            make_exchange(4, request_body=b"ai_command=lead_set&lead_id=123&mode=update"),
            make_exchange(5, url="https://crm.example/api/v1/lead/A-123-B"),
        ]
    )
    found = await ids(store, record_id="123")
    assert sorted(found) == [1, 3, 4, 5]
    assert await ids(store, record_id="1234") == [2]
    assert await ids(store, record_id="A-123-B") == [5]
    assert await ids(store, record_id="---") == []
    assert await ids(store, record_id="123", text="convert") == []


async def test_filters_by_connection_method_status_and_logins(store: ExchangeStore) -> None:
    await store.add(
        [
            make_exchange(1),
            make_exchange(2, connection_id="profile-2", method="POST", auth=True),
            make_exchange(3, status=302, reason="Found"),
            make_exchange(4, status=404, reason="Not Found"),
            make_exchange(5, status=429, reason="Too Many Requests", connection_id="profile-2"),
            make_exchange(6, status=503, reason="Service Unavailable"),
            make_exchange(7, status=None, reason="", error="timed out"),
        ]
    )
    assert await ids(store, connection_id="profile-2") == [5, 2]
    assert await ids(store, method="post") == [2]
    assert await ids(store, status=404) == [4]
    assert await ids(store, status_class=StatusClass.SUCCESS) == [2, 1]
    assert await ids(store, status_class=StatusClass.REDIRECT) == [3]
    assert await ids(store, status_class=StatusClass.CLIENT_ERROR) == [5, 4]
    assert await ids(store, status_class=StatusClass.SERVER_ERROR) == [6]
    assert await ids(store, status_class=StatusClass.NO_REPLY) == [7]
    assert await ids(store, auth_only=True) == [2]
    both = await ids(store, connection_id="profile-2", status_class=StatusClass.CLIENT_ERROR)
    assert both == [5]


async def test_a_time_range_includes_its_start_and_excludes_its_end(store: ExchangeStore) -> None:
    await store.add([make_exchange(n) for n in range(1, 11)])
    assert await ids(store, since=BASE_TIME + 3, until=BASE_TIME + 6) == [5, 4, 3]
    assert await ids(store, since=BASE_TIME + 9) == [10, 9]
    assert await ids(store, until=BASE_TIME + 2) == [1]
    with pytest.raises(ValueError, match="since"):
        HistoryQuery(since=float("nan"))


async def test_the_total_counts_every_match_not_just_the_page(store: ExchangeStore) -> None:
    await store.add([make_exchange(n, status=500 if n % 4 == 0 else 200) for n in range(1, 41)])
    page = await store.search(HistoryQuery(status=500), limit=3)
    assert page.total == 10
    assert [item.id for item in page.items] == [exchange_id(n) for n in (40, 36, 32)]
    assert page.next_cursor is not None
