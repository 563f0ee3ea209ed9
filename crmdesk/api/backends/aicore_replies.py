"""Reading the `/service` API's replies: URL-encoded pairs or JSON, and what `status` says.

Pairs may nest PHP-style (`users[0][user_id]=7`, brackets percent-encoded or not); several
messages arrive as `status_message[n]`. The API has no error-code table, so the kind of a
failure is read from its message (a bad login, an unknown command, a missing record).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.ratelimit import retry_after_at
from crmdesk.api.transport import Reply

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_PART = re.compile(r"\[([^\[\]]*)\]")
_MESSAGE = re.compile(r"status_message(?:\[\d*\])?")
_JSON_TYPES = frozenset({"application/json", "text/json"})
# No reply of this API nests its names deeper (`users[0][billing_address][city]`).
_MAX_NAME_DEPTH = 16


def decode(reply: Reply) -> Any:
    """The body as data: JSON if the Content-Type says so, else by its first byte."""
    head = reply.body.lstrip()[:1]
    if not head:
        raise reply.error("The server sent an empty reply.", kind=ErrorKind.PROTOCOL)
    content_type = reply.content_type
    if content_type in _JSON_TYPES or content_type.endswith("+json") or head in (b"{", b"["):
        return reply.json()
    if head == b"<":
        raise reply.error(
            "The server sent an HTML page where the API's reply was expected.",
            kind=ErrorKind.PROTOCOL,
        )
    return pairs(reply)


def pairs(reply: Reply) -> dict[str, Any]:
    """URL-encoded pairs, nested by their bracketed names; messages gathered in order."""
    text = reply.text().strip()
    try:
        items = parse_qsl(text, keep_blank_values=True, strict_parsing=True)
    except ValueError as exc:
        raise reply.error(
            "The server's reply is neither URL-encoded pairs nor JSON.",
            kind=ErrorKind.PROTOCOL,
            detail=str(exc)[:300],
        ) from None
    root: dict[str, Any] = {}
    messages: list[str] = []
    for name, value in items:
        if _MESSAGE.fullmatch(name):
            messages.append(value)
            continue
        if name.count("[") > _MAX_NAME_DEPTH:
            raise reply.error(
                f"The reply nests its names more than {_MAX_NAME_DEPTH} levels deep; crmdesk "
                "does not read it.",
                kind=ErrorKind.PROTOCOL,
            )
        _put(root, name, value)
    if messages:
        root["status_message"] = messages
    nested: dict[str, Any] = _lists(root)
    return nested


def _put(root: dict[str, Any], name: str, value: str) -> None:
    match = _NAME.fullmatch(name)
    path = [match.group(1), *_PART.findall(match.group(2))] if match else [name]
    node = root
    for key in path[:-1]:
        key = key or str(len(node))
        child = node.get(key)
        if not isinstance(child, dict):
            # A name used both plain and with brackets: the nested values win.
            child = node[key] = {}
        node = child
    last = path[-1] or str(len(node))
    if not isinstance(node.get(last), dict):
        node[last] = value


def _lists(node: Any) -> Any:
    """Maps keyed 0, 1, 2... become lists, as PHP meant them."""
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    keys = list(converted)
    if keys and all(k.isdigit() for k in keys):
        return [converted[k] for k in sorted(keys, key=int)]
    return converted


def messages_of(data: dict[str, Any]) -> list[str]:
    raw = data.get("status_message")
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(m).strip() for m in raw if str(m).strip()]
    if isinstance(raw, dict):
        return [str(m).strip() for m in raw.values() if str(m).strip()]
    text = str(raw).strip()
    return [text] if text else []


def kind_for_message(text: str) -> ErrorKind:
    """What a failure is, as far as its words tell (there is no error-code table)."""
    words = text.casefold()
    if "command" in words and any(
        w in words for w in ("invalid", "unknown", "not found", "not available", "not supported")
    ):
        return ErrorKind.UNSUPPORTED
    if any(w in words for w in ("login", "password", "authenticat", "credential")):
        return ErrorKind.AUTH
    if any(w in words for w in ("not found", "does not exist", "no such")):
        return ErrorKind.NOT_FOUND
    if any(w in words for w in ("permission", "not allowed", "access denied")):
        return ErrorKind.FORBIDDEN
    return ErrorKind.INVALID


def status_error(reply: Reply, data: Any) -> ApiError | None:
    """The error a command's result stands for, or None when its `status` is "0"."""
    if not isinstance(data, dict):
        return reply.unexpected("a result with a status", type(data).__name__)
    if "status" not in data:
        return reply.error(
            "The reply has no status, so whether the command worked is unknown.",
            kind=ErrorKind.PROTOCOL,
        )
    raw = data["status"]
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return reply.error(f"The reply's status is {raw!r}, not a number.", kind=ErrorKind.PROTOCOL)
    code = str(raw).strip()
    if code == "0":
        return None
    text = "; ".join(messages_of(data)) or f"The server answered status {code} and no message."
    return reply.error(text, kind=kind_for_message(text), vendor_code=code)


def http_error(reply: Reply, now: float) -> ApiError:
    """The error for a reply whose HTTP status is not a success."""
    message = None
    if reply.body.lstrip()[:1] == b"<":
        message = reply.plain_message()
    else:
        try:
            data = decode(reply)
        except ApiError:
            data = None
        # A status "0" is the API's success: its words are no explanation of a failure.
        if isinstance(data, dict) and str(data.get("status", "")).strip() != "0":
            message = "; ".join(messages_of(data)) or None
    if reply.status == 429:
        retry_at = retry_after_at(reply.headers.get("retry-after"), now)
        return reply.error(message, kind=ErrorKind.RATE_LIMITED, retry_at=retry_at)
    return reply.error(message)


def item_error(reply: Reply, item: Any) -> ApiError | None:
    """The error one `batch` result stands for: a bare string, a non-zero status, or junk."""
    if isinstance(item, str):
        text = item.strip() or "The command failed without a message."
        return reply.error(text, kind=kind_for_message(text))
    return status_error(reply, item)
