"""Exchanges for the history tests: one with every field set, and a realistic mix in bulk."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from typing import Any

from crmdesk.api import Exchange

BASE_TIME = 1_750_000_000.0  # 2025-06-15, a fixed point so tests do not depend on the clock


def exchange_id(number: int) -> str:
    return f"{number:012x}{'ab' * 6}"


def make_exchange(number: int = 1, **changes: Any) -> Exchange:
    """A plain successful JSON read; `changes` override any field."""
    body = json.dumps({"ExternalID": f"L-{number}", "Name": f"Lead {number}"}).encode()
    exchange = Exchange(
        id=exchange_id(number),
        connection_id="profile-1",
        connection="Campaign Master",
        method="GET",
        url=f"https://crm.example/api/v1/lead/L-{number}",
        request_headers=(("accept", "application/json"), ("authorization", "[REDACTED]")),
        request_body=b"",
        request_size=0,
        started_at=BASE_TIME + number,
        elapsed_ms=12.5,
        status=200,
        reason="OK",
        response_headers=(("content-type", "application/json"),),
        response_body=body,
        response_size=len(body),
    )
    return replace(exchange, **changes)


WORDS = ("Müller", "Smith", "Garcia", "Köln", "Berlin", "Paris", "Acme", "Globex", "Initech")


def realistic_exchanges(count: int, *, seed: int = 11) -> list[Exchange]:
    """A working day's mix, over and over: record reads, list pages, updates, logins,
    failures and the odd retry; every 1,000th has the word "zebracorn" in its reply."""
    rng = random.Random(seed)
    exchanges = []
    for number in range(count):
        kind = rng.random()
        connection = ("profile-1", "Campaign Master") if number % 3 else ("profile-2", "Aicore")
        changes: dict[str, Any] = {"connection_id": connection[0], "connection": connection[1]}
        name = f"{rng.choice(WORDS)} {number}"
        if number % 1000 == 999:
            name += " zebracorn"
        if kind < 0.55:  # open a record
            body = json.dumps({"ExternalID": f"L-{number}", "Name": name, "City": "Köln"})
            changes.update(response_body=body.encode(), response_size=len(body))
        elif kind < 0.8:  # a page of a list
            records = [{"ExternalID": f"L-{number}-{i}", "Name": name} for i in range(25)]
            body = json.dumps({"Entity": records, "Total Records": "2500"})
            changes.update(
                url=f"https://crm.example/api/v1/lead?page={number % 100}&per_page=25",
                response_body=body.encode(),
                response_size=len(body),
            )
        elif kind < 0.93:  # an update
            sent = json.dumps({"Name": name}).encode()
            changes.update(method="PUT", request_body=sent, request_size=len(sent))
        elif kind < 0.96:  # a failure
            changes.update(status=rng.choice((400, 404, 429, 500, 503)), reason="Error")
        elif kind < 0.98:  # no reply at all
            changes.update(
                status=None,
                reason="",
                response_headers=(),
                response_body=b"",
                response_size=0,
                error="timed out",
            )
        else:  # a login
            changes.update(method="POST", url="https://crm.example/api/v1/login", auth=True)
        exchanges.append(make_exchange(number, **changes))
    return exchanges


def bulk_exchanges(count: int) -> list[Exchange]:
    """Many small exchanges, quickly, each number with its own predictable facts:

    connection profile-(n % 4); method PUT when n % 10 == 3, POST (a login) when n % 50 == 7,
    else GET; status 500 when n % 97 == 0, no reply when n % 101 == 0, 404 when n % 13 == 0,
    else 200; in the reply the word "zebracorn" when n % 1000 == 999, else "even" when n is
    even; record id n in the URL
    and the reply; one second apart from BASE_TIME.
    """
    exchanges = []
    request_headers = (("accept", "application/json"), ("authorization", "[REDACTED]"))
    response_headers = (("content-type", "application/json"),)
    for n in range(count):
        status: int | None = 200
        error = None
        if n % 101 == 0:
            status, error = None, "timed out"
        elif n % 97 == 0:
            status = 500
        elif n % 13 == 0:
            status = 404
        word = " zebracorn" if n % 1000 == 999 else " even" if n % 2 == 0 else ""
        body = f'{{"ExternalID": "{n}", "Name": "Lead {n}{word}"}}'.encode() if status else b""
        method = "PUT" if n % 10 == 3 else "POST" if n % 50 == 7 else "GET"
        exchanges.append(
            Exchange(
                id=exchange_id(n),
                connection_id=f"profile-{n % 4}",
                connection=f"CRM {n % 4}",
                method=method,
                url=f"https://crm.example/api/v1/lead/{n}",
                request_headers=request_headers,
                request_body=b"",
                request_size=0,
                started_at=BASE_TIME + n,
                elapsed_ms=10.0,
                status=status,
                reason="OK" if status else "",
                response_headers=response_headers if status else (),
                response_body=body,
                response_size=len(body),
                error=error,
                auth=method == "POST",
            )
        )
    return exchanges
