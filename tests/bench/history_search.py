"""History with 100,000 stored exchanges: how long typical inspector searches take.

Fills a store through the ExchangeStore interface with a realistic mix (record reads of
about 1 KiB, list pages of 25 records, updates, aicore form posts, logins, failures), then
times each search several times: min, median and max in milliseconds. Run by run.py, or on
its own: `python tests/bench/history_search.py [--count N] [--rounds N]` prints a JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crmdesk.api import Exchange
from crmdesk.history import HistoryQuery, SqliteExchangeStore, StatusClass

BASE_TIME = 1_750_000_000.0
NAMES = ("Müller", "Smith", "García", "Nguyen", "Kowalski", "Rossi", "Dubois", "Haddad")
CITIES = ("Köln", "Berlin", "Paris", "Lyon", "Madrid", "Austin", "Leeds", "Porto")


def _record(rng: random.Random, number: int) -> dict[str, Any]:
    name = rng.choice(NAMES)
    return {
        "ExternalID": f"L-{number}",
        "FirstName": rng.choice(("Heidi", "Jo", "Ana", "Lee", "Sam")),
        "LastName": name,
        "Company": f"{name} {rng.choice(('GmbH', 'Ltd', 'SA', 'LLC'))}",
        "Email": f"contact{number}@example.com",
        "Phone": f"+49 221 {number:07d}",
        "City": rng.choice(CITIES),
        "Status": rng.choice(("New", "Contacted", "Qualified", "Lost")),
        "Source": rng.choice(("Web", "Fair", "Referral")),
        "Owner": rng.choice(("kim", "ali", "jo")),
        "Created": "2025-06-01T10:00:00Z",
        "Modified": "2025-06-14T16:30:00Z",
        "Score": rng.randint(0, 100),
        "Notes": "Called back about the renewal; wants the quote by Friday.",
    }


def realistic(count: int, seed: int = 7) -> Iterator[Exchange]:
    """The exchanges one by one: 100,000 of them with their bodies do not need to be in
    memory at once."""
    rng = random.Random(seed)
    headers = (
        ("accept", "application/json"),
        ("authorization", "[REDACTED]"),
        ("user-agent", "crmdesk/0.1"),
    )
    json_reply = (("content-type", "application/json"), ("x-ratelimit-remaining", "97"))
    for n in range(count):
        kind = rng.random()
        connection = ("cm-prod", "CM production") if n % 3 else ("ai-test", "Aicore test")
        method, url, sent, status, reply, error = "GET", "", b"", 200, b"", None
        if kind < 0.5:
            url = f"https://crm.example/api/v1/lead/L-{n}"
            reply = json.dumps(_record(rng, n), ensure_ascii=False).encode()
        elif kind < 0.75:
            url = f"https://crm.example/api/v1/lead?page={n % 200}&per_page=25"
            page = {
                "Entity": [_record(rng, n * 25 + i) for i in range(25)],
                "Total Records": "5000",
                "Total Pages": "200",
            }
            reply = json.dumps(page, ensure_ascii=False).encode()
        elif kind < 0.88:
            method, url = "PUT", f"https://crm.example/api/v1/lead/L-{n}"
            sent = json.dumps({"City": rng.choice(CITIES)}, ensure_ascii=False).encode()
            reply = b'{"Message": "Updated"}'
        elif kind < 0.94:
            method, url = "POST", "https://aicore.example/service"
            sent = (
                f"ai_command=leads_get&page_number={n % 50}&ai_login_password=[REDACTED]".encode()
            )
            reply = f"status=0&total_results=5000&lead_id[0]={n}".encode()
        elif kind < 0.97:
            url, status = f"https://crm.example/api/v1/lead/L-{n}", rng.choice((404, 429, 500, 503))
            reply = b'{"Message": "Something went wrong", "Code": "E%d"}' % status
        elif kind < 0.98:
            url, status, error = f"https://crm.example/api/v1/lead/L-{n}", None, "timed out"
        else:
            method, url = "POST", "https://crm.example/api/v1/login"
            reply = b'{"token": "[REDACTED]", "expires_in": 3600}'
        if n % 5000 == 4999:
            reply = reply.replace(b"renewal", b"renewal zebracorn")
        yield Exchange(
            id=f"{int((BASE_TIME + n * 20) * 1000):012x}{n:012x}",
            connection_id=connection[0],
            connection=connection[1],
            method=method,
            url=url,
            request_headers=headers,
            request_body=sent,
            request_size=len(sent),
            started_at=BASE_TIME + n * 20,
            elapsed_ms=rng.uniform(20, 400),
            status=status,
            reason="" if status is None else "OK",
            response_headers=() if status is None else json_reply,
            response_body=reply,
            response_size=len(reply),
            error=error,
            auth=url.endswith("/login"),
        )


SEARCHES: dict[str, HistoryQuery] = {
    "newest (no filter)": HistoryQuery(),
    "text: a common word": HistoryQuery(text="müller"),
    "text: a rare word": HistoryQuery(text="zebracorn"),
    "text: a prefix": HistoryQuery(text="Kowal*"),
    "status class 5xx": HistoryQuery(status_class=StatusClass.SERVER_ERROR),
    "no reply": HistoryQuery(status_class=StatusClass.NO_REPLY),
    "record id": HistoryQuery(record_id="L-54321"),
    "connection": HistoryQuery(connection_id="ai-test"),
    "connection + 4xx + text": HistoryQuery(
        connection_id="cm-prod", status_class=StatusClass.CLIENT_ERROR, text="wrong"
    ),
}


async def measure(count: int, rounds: int, path: Path) -> dict[str, Any]:
    facts: dict[str, Any] = {"exchanges": count}
    async with SqliteExchangeStore(path) as store:
        started = time.perf_counter()
        batch: list[Exchange] = []
        middle: Exchange | None = None
        for number, exchange in enumerate(realistic(count)):
            batch.append(exchange)
            middle = exchange if number == count // 2 else middle
            if len(batch) == 5000:
                await store.add(batch)
                batch = []
        await store.add(batch)
        facts["fill_s"] = round(time.perf_counter() - started, 2)
        stats = await store.stats()
        facts["file_mib"] = round(stats.bytes_on_disk / 2**20, 1)
        facts["bytes_per_exchange"] = round(stats.bytes_on_disk / count)
        searches: dict[str, Any] = {}
        for name, query in SEARCHES.items():
            times = []
            total = 0
            for _ in range(rounds):
                began = time.perf_counter()
                page = await store.search(query, limit=100)
                times.append((time.perf_counter() - began) * 1000)
                total = page.total
            searches[name] = {
                "matches": total,
                "min_ms": round(min(times), 2),
                "median_ms": round(statistics.median(times), 2),
                "max_ms": round(max(times), 2),
                "runs_ms": [round(t, 2) for t in times],
            }
        facts["searches"] = searches
        assert middle is not None
        began = time.perf_counter()
        whole = await store.get(middle.id)
        facts["get_one_ms"] = round((time.perf_counter() - began) * 1000, 2)
        assert whole == middle
    return facts


def run(count: int = 100_000, rounds: int = 7) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        return asyncio.run(measure(count, rounds, Path(folder) / "history.sqlite3"))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=7)
    arguments = parser.parse_args()
    # One line of JSON, the last: run.py reads it so.
    print(json.dumps(run(arguments.count, arguments.rounds), ensure_ascii=False))
