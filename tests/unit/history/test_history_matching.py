"""`matches` finds in memory what the store's word index finds: the inspector filters calls not
stored yet by the same rules as the history behind them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from history_samples import BASE_TIME, make_exchange, realistic_exchanges

from crmdesk.history import HistoryQuery, SqliteExchangeStore, StatusClass, matches

pytestmark = pytest.mark.asyncio

QUERIES = [
    HistoryQuery(),
    HistoryQuery(text="Müller"),
    HistoryQuery(text="muller"),  # accents and case ignored
    HistoryQuery(text="KÖLN smith"),
    HistoryQuery(text="smi*"),
    HistoryQuery(text="Globex"),
    HistoryQuery(text="lead/convert"),  # words in that order
    HistoryQuery(text="api/v1/lead"),
    HistoryQuery(text="Total Records"),
    HistoryQuery(text="gar* berlin"),
    HistoryQuery(text="%%"),  # no word at all: everything
    HistoryQuery(record_id="L-17"),
    HistoryQuery(record_id="17"),
    HistoryQuery(record_id="--"),
    HistoryQuery(connection_id="profile-2", method="put"),
    HistoryQuery(status_class=StatusClass.SERVER_ERROR),
    HistoryQuery(status_class=StatusClass.NO_REPLY),
    HistoryQuery(status=404),
    HistoryQuery(auth_only=True, text="login"),
    HistoryQuery(since=BASE_TIME + 100, until=BASE_TIME + 200, text="Berlin"),
]


def converting() -> list:
    body = json.dumps({"Account ExternalID": "A-9", "Note": "Müller GmbH"}).encode()
    return [
        make_exchange(
            5001,
            method="PUT",
            url="https://crm.example/api/v1/lead/convert/L-17",
            response_body=body,
            response_size=len(body),
        ),
        make_exchange(5002, url="https://crm.example/api/v1/lead/L-170"),
        make_exchange(5003, request_body=b"ai_command=leads_get&page_number=2", method="POST"),
    ]


async def test_matches_finds_what_the_word_index_finds(tmp_path: Path) -> None:
    exchanges = realistic_exchanges(600) + converting()
    async with SqliteExchangeStore(tmp_path / "history.sqlite3") as store:
        if not store.full_text:
            pytest.skip("this SQLite has no FTS5: matches follows the word index")
        await store.add(exchanges)
        for query in QUERIES:
            page = await store.search(query, limit=10_000)
            stored = {item.id for item in page.items}
            found = {exchange.id for exchange in exchanges if matches(query, exchange)}
            assert found == stored, query
        assert matches(HistoryQuery(text="leads_get"), converting()[2])
        assert not matches(HistoryQuery(record_id="L-17"), converting()[1])
