"""Secrets sent through the real Transport (against an httpx.MockTransport server that echoes
them back in every way servers do), and every place crmdesk then shows or writes them.

`forms_of` is what "no form of a secret" means: the secret raw, URL-quoted (%20 and +, in
upper- and lower-case hex, and twice over), JSON-escaped (ASCII and not), base64, and the
HTTP Basic pair.
"""

from __future__ import annotations

import asyncio
import base64
import json
import tempfile
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import httpx

from crmdesk.api import (
    ApiError,
    Exchange,
    ExchangeLog,
    Redactor,
    facts_of,
    full_text,
    request_text,
    response_text,
)
from crmdesk.api.transport import Transport
from crmdesk.history import SqliteExchangeStore, as_curl, as_har, as_httpie, as_powershell

USER = "heidi.support"


def _lower_hex(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "%":
            out.append(text[i : i + 3].lower())
            i += 3
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def forms_of(secret: str) -> set[str]:
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"{USER}:{secret}".encode()).decode(),
    }
    forms |= {quote(quote(secret, safe=""), safe=""), quote_plus(quote_plus(secret))}
    forms |= {_lower_hex(form) for form in forms if "%" in form}
    return forms


def echo_everything(request: httpx.Request, secret: str) -> httpx.Response:
    """A server that repeats back what it was sent, the way real ones do in their replies."""
    sent = {name: value for name, value in request.headers.items()}
    body = request.content.decode("utf-8", "replace")
    reply = {
        "you_sent": {"url": str(request.url), "headers": sent, "body": body},
        "note": f"hello {secret}",
        "b64": base64.b64encode(secret.encode()).decode(),
    }
    if request.url.path.endswith("/form"):  # aicore-style URL-encoded replies
        text = (
            f"status=0&echo={quote_plus(secret)}&quoted={quote(secret, safe='')}"
            f"&lower={_lower_hex(quote(secret, safe=''))}&raw_body={quote_plus(body)}"
        )
        return httpx.Response(200, text=text, headers={"content-type": "text/plain"})
    if request.url.path.endswith("/plain-error"):
        return httpx.Response(
            401, text=f"invalid key {secret}", headers={"content-type": "text/plain"}
        )
    if request.url.path.endswith("/unicode"):
        return httpx.Response(
            200,
            content=json.dumps(reply, ensure_ascii=False).encode(),
            headers={"content-type": "application/json"},
        )
    return httpx.Response(200, json=reply, headers={"x-echo-len": str(len(secret))})


async def record(
    secret: str,
    calls: Callable[[Transport], Any],
    handler: Callable[[httpx.Request], httpx.Response] | None = None,
    extra_names: tuple[str, ...] = (),
) -> tuple[list[Exchange], list[str]]:
    """Run `calls` on a Transport that knows `secret` (as open_backend's does); returns the
    exchanges recorded and the messages of the ApiErrors raised."""
    log = ExchangeLog()
    transport = Transport(
        "https://crm.example/api/v1",
        connection="Test",
        connection_id="profile-1",
        log=log,
        redactor=Redactor(secrets=[secret], extra_names=extra_names),
        transport=httpx.MockTransport(handler or (lambda r: echo_everything(r, secret))),
        retry_backoff=0.0,
        max_retries=0,
    )
    messages = []
    try:
        for call in calls(transport):
            try:
                reply = await call
                if reply.status >= 400:
                    messages.append(reply.error().message)
            except ApiError as error:
                messages.append(error.message)
    finally:
        await transport.aclose()
    return list(log), messages


def shown_texts(exchanges: list[Exchange], messages: list[str]) -> dict[str, str]:
    """Every text a user can see or export of these exchanges, by where it is shown."""
    shown: dict[str, str] = {"error messages": "\n".join(messages)}
    for number, exchange in enumerate(exchanges):
        for field in fields(exchange):
            value = getattr(exchange, field.name)
            if isinstance(value, bytes):
                value = value.decode("utf-8", "surrogateescape")
            elif isinstance(value, tuple):
                value = "\n".join(f"{name}: {text}" for name, text in value)
            shown[f"exchange {number} {field.name}"] = str(value)
        shown[f"request_text {number}"] = request_text(exchange)
        shown[f"response_text {number}"] = response_text(exchange)
        shown[f"full_text {number}"] = full_text(exchange)
        shown[f"facts_of {number}"] = facts_of(exchange)
        shown[f"curl {number}"] = as_curl(exchange)
        shown[f"httpie {number}"] = as_httpie(exchange)
        shown[f"powershell {number}"] = as_powershell(exchange)
    har = as_har(exchanges)
    shown["HAR"] = json.dumps(har, ensure_ascii=False)
    shown["HAR (ASCII)"] = json.dumps(har)
    return shown


async def stored_bytes(exchanges: list[Exchange]) -> bytes:
    """The history file's bytes (and its WAL's) once these exchanges are stored."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.sqlite3"
        async with SqliteExchangeStore(path) as store:
            await store.add(exchanges)
            for exchange in exchanges:
                assert await store.get(exchange.id) == exchange
            on_disk = b""
            for suffix in ("", "-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    on_disk += side.read_bytes()
    return on_disk


def leaks(secret: str, exchanges: list[Exchange], messages: list[str]) -> list[str]:
    """Where a form of `secret` can still be found: empty when redaction did its job."""
    found = []
    forms = forms_of(secret)
    for where, text in shown_texts(exchanges, messages).items():
        found += [f"{where}: {form!r}" for form in forms if form in text]
    on_disk = asyncio.run(stored_bytes(exchanges)) if exchanges else b""
    found += [f"history file: {form!r}" for form in forms if form.encode() in on_disk]
    return found
