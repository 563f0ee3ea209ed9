"""Exchanges as a HAR 1.2 log that Chrome's and Firefox's developer tools open.

Written from the exchanges as recorded, so every secret is already `[REDACTED]`. crmdesk's
own facts ride along as custom fields (names starting with "_", which other tools ignore):
`_id`, `_startedAt`, `_connection`, `_connectionId`, `_attempt`, `_callId`, `_auth`,
`_note`, `_timed`, `_truncated`, and `_error` for a call that got no reply (status 0, as
browsers write it).
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from crmdesk import __version__
from crmdesk.api import Exchange, form_pairs

HTTP_VERSION = "HTTP/1.1"  # crmdesk's transport does not speak HTTP/2


def as_har(exchanges: Iterable[Exchange], *, comment: str = "") -> dict[str, Any]:
    """A HAR document (oldest entry first, as the spec prefers): `json.dumps` it to save."""
    ordered = sorted(exchanges, key=lambda e: (e.started_at, e.id))
    log: dict[str, Any] = {
        "version": "1.2",
        "creator": {"name": "crmdesk", "version": __version__},
        # Firefox's importer reads log.pages even where the spec lets it be left out.
        "pages": [],
        "entries": [har_entry(exchange) for exchange in ordered],
    }
    if comment:
        log["comment"] = comment
    return {"log": log}


def har_entry(exchange: Exchange) -> dict[str, Any]:
    elapsed = max(0.0, exchange.elapsed_ms or 0.0)
    entry: dict[str, Any] = {
        "startedDateTime": iso_time(exchange.started_at),
        "time": elapsed,
        "request": _request(exchange),
        "response": _response(exchange),
        "cache": {},
        # crmdesk measures the whole round trip only: all of it is "wait".
        "timings": {"send": 0, "wait": elapsed, "receive": 0},
        "_resourceType": "fetch",  # Chrome files it under Fetch/XHR
        "_id": exchange.id,
        "_startedAt": exchange.started_at,  # to the microsecond, where ISO has milliseconds
        "_connection": exchange.connection,
        "_connectionId": exchange.connection_id,
        "_attempt": exchange.attempt,
        "_callId": exchange.call_id,
        "_auth": exchange.auth,
        "_truncated": exchange.request_truncated or exchange.response_truncated,
    }
    if exchange.note:
        entry["_note"] = exchange.note
    if exchange.elapsed_ms is None:
        entry["_timed"] = False
    if exchange.status is None:
        entry["_error"] = exchange.error or "no reply"
    return entry


def iso_time(timestamp: float) -> str:
    moment = dt.datetime.fromtimestamp(timestamp, tz=dt.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _request(exchange: Exchange) -> dict[str, Any]:
    query = urlsplit(exchange.url).query
    request: dict[str, Any] = {
        "method": exchange.method,
        "url": exchange.url.split("#", 1)[0],
        "httpVersion": HTTP_VERSION,
        "cookies": [],  # the Cookie header is redacted whole, names and all
        "headers": _headers(exchange.request_headers),
        "queryString": [{"name": n, "value": v} for n, v in parse_qsl(query, True)],
        "headersSize": -1,
        "bodySize": exchange.request_size,
    }
    if exchange.request_body or exchange.request_size:
        request["postData"] = _post_data(exchange)
    return request


def _post_data(exchange: Exchange) -> dict[str, Any]:
    body = exchange.request_body
    mime = exchange.request_header("content-type") or "application/octet-stream"
    data: dict[str, Any] = {"mimeType": mime}
    text = _text(body)
    if text is None:
        # HAR 1.2 has no encoding for posted data; the field HAR 1.3 proposes, as a custom one.
        data["text"] = base64.b64encode(body).decode("ascii")
        data["_encoding"] = "base64"
    else:
        data["text"] = text
        pairs = form_pairs(body) if "form-urlencoded" in mime.lower() else None
        if pairs is not None:
            data["params"] = [{"name": n, "value": v} for n, v in pairs]
    if exchange.request_truncated:
        data["comment"] = f"Only the first {len(body)} of {exchange.request_size} bytes were kept."
    return data


def _response(exchange: Exchange) -> dict[str, Any]:
    if exchange.status is None:
        return {
            "status": 0,
            "statusText": "",
            "httpVersion": "",
            "cookies": [],
            "headers": [],
            "content": {"size": 0, "mimeType": "x-unknown"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": -1,
            "_error": exchange.error or "no reply",
        }
    body = exchange.response_body
    content: dict[str, Any] = {
        "size": exchange.response_size,
        "mimeType": exchange.response_header("content-type") or "x-unknown",
    }
    if body:
        text = _text(body)
        if text is None:
            content["text"] = base64.b64encode(body).decode("ascii")
            content["encoding"] = "base64"
        else:
            content["text"] = text
    if exchange.response_truncated:
        content["comment"] = (
            f"Only the first {len(body)} of {exchange.response_size} bytes were kept."
        )
    return {
        "status": exchange.status,
        "statusText": exchange.reason,
        "httpVersion": HTTP_VERSION,
        "cookies": [],  # Set-Cookie is redacted whole
        "headers": _headers(exchange.response_headers),
        "content": content,
        "redirectURL": exchange.response_header("location") or "",
        "headersSize": -1,
        "bodySize": exchange.response_size,
    }


def _headers(headers: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": name, "value": value} for name, value in headers]


def _text(body: bytes) -> str | None:
    """The body as HAR text, or None when it must be base64 (not UTF-8, or binary)."""
    if b"\x00" in body[:4096]:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None
