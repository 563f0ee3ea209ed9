"""Inbox budgets: durable deliveries a second on loopback, with the pusher in another process
at concurrency 8 (DESIGN.md: at least 2,000), and how long the live list's queries take with
100,000 messages stored.

    .venv/bin/python tests/bench/inbox_rate.py

Each delivery carries one message and is answered OK only after its transaction committed
(`synchronous=FULL`), so the rate is of durable deliveries. One warm-up run is not counted.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from crmdesk.inbox import AnswerMode, InboxQuery, InboxStore, NotificationListener, Route, new_token
from crmdesk.inbox.protocol import read_aicore
from crmdesk.sandbox.aicore.emulator import DEFAULT_CREDENTIALS


async def _push_once(url: str, count: int, concurrency: int, seed: int) -> dict[str, Any]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "crmdesk.sandbox.push",
        "aicore",
        "--url",
        url,
        "--count",
        str(count),
        "--concurrency",
        str(concurrency),
        # A seed per run: new messages every time, not repeats of the last run's.
        "--seed",
        str(seed),
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the pusher failed: {out.decode()[-500:]}")
    facts: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return facts


async def _rates(runs: int, count: int, concurrency: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        async with (
            InboxStore(Path(folder) / "inbox.sqlite3") as store,
            NotificationListener(store) as listener,
        ):
            route = Route(
                new_token(),
                "bench",
                "Bench dealer",
                "aicore-push",
                AnswerMode.KEY,
                DEFAULT_CREDENTIALS["login_id"],
                DEFAULT_CREDENTIALS["login_password"],
            )
            listener.add_route(route)
            url = listener.url_for(route)
            await _push_once(url, count // 5, concurrency, seed=0)  # warm-up
            results = [
                await _push_once(url, count, concurrency, seed) for seed in range(1, runs + 1)
            ]
            stored = await store.count()
    rates = [r["deliveries_per_s"] for r in results]
    if not all(r["drained"] and r["not_acknowledged"] == 0 for r in results):
        raise RuntimeError(f"not every delivery was acknowledged: {results}")
    return {
        "deliveries_per_run": count,
        "runs": runs,
        "concurrency": concurrency,
        "rates": rates,
        "deliveries_per_s_min": min(rates),
        "deliveries_per_s_median": statistics.median(rates),
        "deliveries_per_s_max": max(rates),
        "rows_stored": stored,
    }


def measure(runs: int = 5, count: int = 5000, concurrency: int = 8) -> dict[str, Any]:
    """Durable deliveries a second: min, median and max over `runs` pusher processes."""
    return asyncio.run(_rates(runs, count, concurrency))


async def _queries(rows: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        async with InboxStore(Path(folder) / "inbox.sqlite3") as store:
            started = time.perf_counter()
            for first in range(0, rows, 500):
                notices = [
                    {"type": ("generic", "membership", "new_user")[n % 3], "data": f"message {n}"}
                    for n in range(first, min(rows, first + 500))
                ]
                body = json.dumps({"request": "delivery", "messages": notices}).encode()
                await store.add(
                    f"c{first % 7}", "Dealer", "aicore-push", read_aicore(body).messages
                )
            filled = time.perf_counter() - started
            calls = {
                "first page of 200": lambda: store.page(limit=200),
                "page 200 after row 50,000": lambda: store.window(offset=50_000, limit=200),
                "count": lambda: store.count(),
                "unread count": lambda: store.unread_count(),
                "one connection's first page": lambda: store.page(InboxQuery(connection_id="c3")),
                "one type's first page": lambda: store.page(InboxQuery(type="membership")),
                "text filter, count": lambda: store.count(InboxQuery(text="message 9999")),
                "all ids": lambda: store.ids(),
            }
            timings: dict[str, float] = {}
            for name, call in calls.items():
                seconds = []
                for _ in range(5):
                    began = time.perf_counter()
                    await call()
                    seconds.append(time.perf_counter() - began)
                timings[name] = round(statistics.median(seconds) * 1000, 2)
    return {"rows": rows, "fill_s": round(filled, 2), "query_ms_median": timings}


def store_queries(rows: int = 100_000) -> dict[str, Any]:
    """Median milliseconds of the live list's queries with `rows` messages stored."""
    return asyncio.run(_queries(rows))


if __name__ == "__main__":
    print(json.dumps({"rate": measure(), "queries": store_queries()}, indent=2))
