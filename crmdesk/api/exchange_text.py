"""An Exchange in words: its request and reply as raw text, its facts, and readable body views.

Qt-free so the inspector, the history, HAR and curl export and error details all show an
exchange the same way. Everything here works on what the Exchange holds, which is already
redacted; nothing here can raise on a malformed body.
"""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from urllib.parse import parse_qsl

from crmdesk.api.exchange import Exchange, Headers
from crmdesk.api.nesting import MAX_JSON_DEPTH, deeper_than

_BINARY_PROBE = 4096


def text_of(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def title_of(exchange: Exchange) -> str:
    return f"{exchange.method} {exchange.url} → {exchange.outcome}"


def request_text(exchange: Exchange) -> str:
    lines = [f"{exchange.method} {exchange.url}"]
    lines += [f"{name}: {value}" for name, value in exchange.request_headers]
    lines.append("")
    if exchange.request_truncated:
        lines.append(_kept_note(len(exchange.request_body), exchange.request_size))
    lines.append(text_of(exchange.request_body) if exchange.request_body else "(no body)")
    return "\n".join(lines)


def response_text(exchange: Exchange) -> str:
    if exchange.status is None:
        return f"No reply: {exchange.error or 'the request did not complete.'}"
    lines = [f"HTTP {exchange.status} {exchange.reason}".rstrip()]
    lines += [f"{name}: {value}" for name, value in exchange.response_headers]
    lines.append("")
    if exchange.error:
        # The headers came, the body did not (cut off, or past the attempt's deadline).
        lines.append(f"(the reply did not arrive whole: {exchange.error})")
    if exchange.response_truncated:
        lines.append(_kept_note(len(exchange.response_body), exchange.response_size))
    lines.append(text_of(exchange.response_body) if exchange.response_body else "(empty body)")
    return "\n".join(lines)


def full_text(exchange: Exchange) -> str:
    """Title, request and reply: what "Copy all" puts on the clipboard."""
    return "\n\n".join((title_of(exchange), request_text(exchange), response_text(exchange)))


def facts_of(exchange: Exchange) -> str:
    when = dt.datetime.fromtimestamp(exchange.started_at).strftime("%Y-%m-%d %H:%M:%S")
    took = f"{exchange.elapsed_ms:,.0f} ms" if exchange.elapsed_ms is not None else "—"
    facts = [f"Connection: {exchange.connection}", f"Sent {when}", f"took {took}"]
    if exchange.auth:
        facts.append("authentication")
    if exchange.attempt > 1:
        facts.append(f"attempt {exchange.attempt}")
    if exchange.note:
        facts.append(exchange.note)
    facts.append(f"sent {size_text(exchange.request_size)}")
    if exchange.status is not None:
        facts.append(f"received {size_text(exchange.response_size)}")
    facts.append("secrets redacted")
    return " · ".join(facts)


def size_text(count: int) -> str:
    if count < 1024:
        return f"{count} bytes" if count != 1 else "1 byte"
    if count < 1024 * 1024:
        return f"{count / 1024:,.0f} KiB"
    return f"{count / (1024 * 1024):,.1f} MiB"


def _kept_note(kept: int, size: int) -> str:
    kept_text, size_whole = size_text(kept), size_text(size)
    return f"[Only the first {kept_text} of {size_whole} are kept; the rest is not shown.]"


# -- readable views of a body -----------------------------------------------------------


class BodyKind(Enum):
    EMPTY = "empty"
    JSON = "JSON"
    FORM = "URL-encoded pairs"
    HTML = "HTML"
    XML = "XML"
    TEXT = "text"
    BINARY = "binary"


def content_type(headers: Headers) -> str:
    for name, value in headers:
        if name.lower() == "content-type":
            return value.split(";")[0].strip().lower()
    return ""


def body_kind(body: bytes, headers: Headers = ()) -> BodyKind:
    """What a body is, by its content type where that is believable, else by its bytes."""
    if not body.strip():
        return BodyKind.EMPTY
    if _looks_binary(body):
        return BodyKind.BINARY
    declared = content_type(headers)
    head = body.lstrip()[:1]
    if (declared.endswith("json") or head in (b"{", b"[")) and pretty_json(body) is not None:
        return BodyKind.JSON
    if head == b"<":
        return BodyKind.XML if b"<?xml" in body[:64] or declared.endswith("xml") else BodyKind.HTML
    form_types = ("", "application/x-www-form-urlencoded", "text/plain", "text/html")
    if declared in form_types and form_pairs(body) is not None:
        return BodyKind.FORM
    return BodyKind.TEXT


def pretty_json(body: bytes) -> str | None:
    """The body as indented JSON, or None when it is not JSON (or nests absurdly deep)."""
    data = parse_json(body)
    if data is _NOT_JSON:
        return None
    try:
        return json.dumps(data, indent=2, ensure_ascii=False)
    except (RecursionError, ValueError):
        return None


class _NotJson:
    pass


_NOT_JSON = _NotJson()


def parse_json(body: bytes) -> object:
    """The body's JSON value, or a private marker when it is none (see `pretty_json`)."""
    text = text_of(body)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return _NOT_JSON
    # A tree view walks what it is given: no deeper than any reply crmdesk reads.
    return _NOT_JSON if deeper_than(data, MAX_JSON_DEPTH, text) else data


def json_value(body: bytes) -> tuple[bool, object]:
    """(True, value) when the body is JSON, else (False, None): for tree views."""
    data = parse_json(body)
    return (False, None) if data is _NOT_JSON else (True, data)


def form_pairs(body: bytes) -> list[tuple[str, str]] | None:
    """The body as name/value pairs (aicore and NDCHost forms and replies), or None."""
    text = text_of(body).strip()
    if "=" not in text or "\n" in text or " " in text.split("=", 1)[0]:
        return None
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None


def hex_dump(body: bytes, limit: int = 64 * 1024) -> str:
    """Offset, hex and printable characters, 16 bytes a line, for binary bodies."""
    lines = []
    for offset in range(0, min(len(body), limit), 16):
        chunk = body[offset : offset + 16]
        hexes = " ".join(f"{b:02x}" for b in chunk)
        chars = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {hexes:<47}  {chars}")
    if len(body) > limit:
        lines.append(f"[{size_text(len(body) - limit)} more not shown]")
    return "\n".join(lines)


def _looks_binary(body: bytes) -> bool:
    probe = body[:_BINARY_PROBE]
    if b"\x00" in probe:
        return True
    try:
        probe.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the probe's end is still text.
        return exc.start < len(probe) - 4
    return False
