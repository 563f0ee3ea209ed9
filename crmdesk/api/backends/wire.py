"""Building blocks of requests the kinds share: safe path segments, and putting a connection's
own authentication into a recorded request (replay)."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, urlencode

from crmdesk.api.model import RawRequest

_FORM = "application/x-www-form-urlencoded"


def path_segment(value: str) -> str:
    """One path segment, so an id can never step into another path."""
    return quote(value, safe="")


def with_header(request: RawRequest, name: str, value: str | None) -> RawRequest:
    """`request` with header `name` set to `value` (removed when None), case-insensitively."""
    kept = tuple((k, v) for k, v in request.headers if k.lower() != name.lower())
    headers = (*kept, (name, value)) if value is not None else kept
    return RawRequest(request.method, request.url, headers, request.body)


def with_form_fields(request: RawRequest, fields: Mapping[str, str]) -> RawRequest:
    """A form body with `fields` set (added when missing), the other pairs kept in order."""
    pairs = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    replaced = [(k, fields.get(k, v)) for k, v in pairs]
    replaced += [(k, v) for k, v in fields.items() if k not in dict(pairs)]
    body = urlencode(replaced).encode()
    request = with_header(request, "Content-Type", _FORM)
    return RawRequest(request.method, request.url, request.headers, body)


def form_field(request: RawRequest, name: str) -> str | None:
    pairs = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return next((v for k, v in pairs if k == name), None)


def basic_authorization(user: str, password: str) -> str:
    pair = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")
