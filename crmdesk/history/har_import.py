"""Reading a HAR file (Chrome, Firefox, Insomnia, crmdesk) into entries to look at and replay.

Forgiving: missing or odd optional fields get defaults, HTTP/2 pseudo-headers (":authority")
are dropped, posted parameters without text become a form body. What cannot be read at all
is a ValueError that says why in words, never another exception. Every secret the file
holds is removed before an entry is returned (see `imported`). crmdesk's own custom fields
are read only from files crmdesk wrote: the spec says other tools' custom fields are theirs.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from crmdesk.api import BODY_KEEP_BYTES, Exchange, RawRequest, new_exchange_id
from crmdesk.history.imported import ImportedEntry, ImportRedactor
from crmdesk.history.share import shared_headers

Headers = tuple[tuple[str, str], ...]


def read_har(data: bytes | str) -> list[ImportedEntry]:
    """The entries of a HAR document, oldest first, secrets removed."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
        document = json.loads(text)
    except UnicodeDecodeError:
        raise ValueError("This is not a HAR file: HAR files are UTF-8 text.") from None
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"This is not a HAR file: it is not valid JSON ({exc}).") from None
    log = document.get("log") if isinstance(document, dict) else None
    if not isinstance(log, dict):
        raise ValueError("This is not a HAR file: it has no 'log' object.")
    entries = log.get("entries")
    if not isinstance(entries, list):
        raise ValueError("This HAR file has no list of entries (log.entries).")
    creator = _dict(log.get("creator"))
    name = _text(creator.get("name")).strip() or "an unnamed tool"
    source = f"HAR from {name} {_text(creator.get('version'))}".strip()
    ours = name == "crmdesk"
    exchanges = []
    for number, entry in enumerate(entries, start=1):
        try:
            exchanges.append(_exchange(entry, number, ours, source))
        except ValueError:
            raise
        except Exception as exc:  # a shape nobody foresaw still gets a message in words
            raise ValueError(f"Entry {number} of this HAR file cannot be read ({exc}).") from None
    redactor = ImportRedactor()
    for exchange in exchanges:
        redactor.learn(exchange.url, exchange.request_headers, exchange.request_body)
        redactor.learn("", exchange.response_headers, exchange.response_body)
    imported = []
    for exchange in sorted(exchanges, key=lambda e: e.started_at):
        safe = redactor.exchange(exchange)
        headers = tuple(shared_headers(safe.request_headers))  # the sender sets the others
        request = RawRequest(safe.method, safe.url, headers, safe.request_body)
        imported.append(ImportedEntry(safe, request, source))
    return imported


def _exchange(entry: object, number: int, ours: bool, source: str) -> Exchange:
    if not isinstance(entry, dict):
        raise ValueError(f"Entry {number} of this HAR file is not an object.")
    request = entry.get("request")
    response = _dict(entry.get("response"))
    if not isinstance(request, dict):
        raise ValueError(f"Entry {number} of this HAR file has no request.")
    method = _text(request.get("method")).strip().upper()
    url = _text(request.get("url")).strip()
    if not method or not url:
        raise ValueError(f"Entry {number} of this HAR file has no request method or URL.")
    request_body = _posted(request.get("postData"))
    response_body = _content(response.get("content"))
    status = _number(response.get("status"))
    custom: dict[str, Any] = entry if ours else {}
    exchange_id = _text(custom.get("_id")) or new_exchange_id()
    error = _text(response.get("_error") or entry.get("_error")) or None
    elapsed = _number(entry.get("time"))
    return Exchange(
        id=exchange_id,
        connection_id=_text(custom.get("_connectionId")),
        connection=_text(custom.get("_connection")) or f"Imported: {source}",
        method=method,
        url=url,
        request_headers=_headers(request.get("headers")),
        request_body=request_body[:BODY_KEEP_BYTES],
        request_size=_size(request.get("bodySize"), request_body),
        started_at=_number(custom.get("_startedAt")) or _time(entry.get("startedDateTime")),
        elapsed_ms=None if custom.get("_timed") is False or elapsed is None else max(0.0, elapsed),
        status=int(status) if status else None,
        reason=_text(response.get("statusText")),
        response_headers=_headers(response.get("headers")),
        response_body=response_body[:BODY_KEEP_BYTES],
        response_size=_size(_dict(response.get("content")).get("size"), response_body),
        error=(error or "no reply") if not status else None,
        attempt=int(_number(custom.get("_attempt")) or 1),
        call_id=_text(custom.get("_callId")),
        auth=custom.get("_auth") is True,
        note=_text(custom.get("_note")) or ("" if ours else f"imported from {source}"),
    )


def _posted(post_data: object) -> bytes:
    data = _dict(post_data)
    text = data.get("text")
    if isinstance(text, str):
        if data.get("encoding") == "base64" or data.get("_encoding") == "base64":
            return _base64(text)
        return text.encode("utf-8")
    params = data.get("params")
    if isinstance(params, list):
        pairs = [
            (_text(p.get("name")), _text(p.get("value"))) for p in params if isinstance(p, dict)
        ]
        return urlencode(pairs).encode("ascii")
    return b""


def _content(content: object) -> bytes:
    data = _dict(content)
    text = data.get("text")
    if not isinstance(text, str):
        return b""
    return _base64(text) if data.get("encoding") == "base64" else text.encode("utf-8")


def _base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        # Not base64 after all: the text is better than nothing.
        return text.encode("utf-8")


def _headers(headers: object) -> Headers:
    if not isinstance(headers, list):
        return ()
    return tuple(
        (_text(h.get("name")), _text(h.get("value")))
        for h in headers
        if isinstance(h, dict) and _text(h.get("name")) and not _text(h.get("name")).startswith(":")
    )


def _size(declared: object, body: bytes) -> int:
    size = _number(declared)
    return int(size) if size is not None and size >= len(body) else len(body)


def _time(value: object) -> float:
    text = _text(value).strip()
    if not text:
        return 0.0
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


def _text(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
