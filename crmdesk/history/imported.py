"""Requests and replies brought in from outside (a HAR file, a pasted curl command), made safe.

What comes from outside may hold real secrets: a browser's HAR has the session cookie, a
pasted command the API key. Before anything is shown or stored, the values of every
secret-named header, query parameter, form field and JSON key are collected (by the
Redactor's own name rules) and then removed by value as well as by name, so a token that
also appears in a URL or an echoed body goes too. Then it is an ImportedEntry: an Exchange
for the inspector and the RawRequest that replay sends (signed again by its connection).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from crmdesk.api import (
    REDACTED,
    Exchange,
    RawRequest,
    Redactor,
    form_pairs,
    json_value,
    new_exchange_id,
)

_NAMES = Redactor()  # only its name rules are used
_MAX_DEPTH = 64


@dataclass(frozen=True, slots=True)
class ImportedEntry:
    """One imported request (and its reply, when the file had one), secrets removed.

    `exchange` is what the inspector shows, headers and all; `request` is what replay sends,
    without the headers its sender sets itself (Host, Content-Length, hop-by-hop ones).
    `source` says where it came from in words ("HAR from Firefox 126.0", "a curl command").
    """

    exchange: Exchange
    request: RawRequest
    source: str

    @classmethod
    def from_request(cls, request: RawRequest, source: str) -> ImportedEntry:
        """An entry for a request that has not been sent (from a curl command)."""
        exchange = Exchange(
            id=new_exchange_id(),
            connection_id="",
            connection=f"Imported: {source}",
            method=request.method,
            url=request.url,
            request_headers=request.headers,
            request_body=request.body,
            request_size=len(request.body),
            started_at=0.0,
            elapsed_ms=None,
            status=None,
            reason="",
            response_headers=(),
            response_body=b"",
            response_size=0,
            error=f"Not sent: imported from {source}.",
            note=f"imported from {source}",
        )
        return cls(exchange, request, source)


class ImportRedactor:
    """Collects the secrets of everything imported together, then removes them everywhere."""

    def __init__(self) -> None:
        self._found: set[str] = set()
        self._redactor: Redactor | None = None

    def learn(
        self, url: str = "", headers: Iterable[tuple[str, str]] = (), body: bytes = b""
    ) -> None:
        self._redactor = None
        self._found.update(v for v in _secret_values(url, headers, body) if v != REDACTED)

    @property
    def redactor(self) -> Redactor:
        if self._redactor is None:
            self._redactor = Redactor(secrets=sorted(self._found))
        return self._redactor

    def request(self, request: RawRequest) -> RawRequest:
        redact = self.redactor
        return RawRequest(
            request.method,
            redact.url(request.url),
            redact.headers(request.headers),
            redact.body(request.body),
        )

    def exchange(self, exchange: Exchange) -> Exchange:
        redact = self.redactor
        return replace(
            exchange,
            url=redact.url(exchange.url),
            request_headers=redact.headers(exchange.request_headers),
            request_body=redact.body(exchange.request_body),
            response_headers=redact.headers(exchange.response_headers),
            response_body=redact.body(exchange.response_body),
            reason=redact.text(exchange.reason),
            error=redact.text(exchange.error) if exchange.error else exchange.error,
            note=redact.text(exchange.note),
            connection=redact.text(exchange.connection),
        )


def _secret_values(url: str, headers: Iterable[tuple[str, str]], body: bytes) -> Iterator[str]:
    for name, value in headers:
        if _NAMES.is_secret_name(name):
            yield from _header_secrets(name, value)
    for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if _NAMES.is_secret_name(name) and value:
            yield value
    if not body:
        return
    pairs = form_pairs(body)
    if pairs is not None:
        yield from (value for name, value in pairs if value and _NAMES.is_secret_name(name))
        return
    is_json, data = json_value(body)
    if is_json:
        yield from _json_secrets(data)


def _header_secrets(name: str, value: str) -> Iterator[str]:
    value = value.strip()
    if not value:
        return
    yield value
    lowered = name.lower().replace("_", "-")
    if lowered in ("cookie", "set-cookie"):
        cookies = value.split(";") if lowered == "cookie" else value.split(";")[:1]
        for cookie in cookies:
            _, sep, cookie_value = cookie.strip().partition("=")
            if sep and cookie_value:
                yield cookie_value
        return
    scheme, sep, credentials = value.partition(" ")
    if not sep:
        return
    credentials = credentials.strip()
    yield credentials
    if scheme.lower() == "basic":
        try:
            pair = base64.b64decode(credentials, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return
        yield pair
        _, colon, password = pair.partition(":")
        if colon and password:
            yield password


def _json_secrets(data: object) -> Iterator[str]:
    # A walk with its own stack: an imported body can nest deeper than Python recurses.
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(node, dict):
            for key, value in node.items():
                if _NAMES.is_secret_name(str(key)) and isinstance(value, str | int | float):
                    if not isinstance(value, bool) and str(value):
                        yield str(value) if isinstance(value, str) else json.dumps(value)
                else:
                    stack.append((value, depth + 1))
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
