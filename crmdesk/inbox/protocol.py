"""The two push protocols the listener speaks, as pure functions: read a request, build the
messages to store, and the answers. No I/O here, so every rule is testable without a socket.

aicore push (seed 004, API-NOTES §5): a JSON object whose `request` is `authenticate` (with a
`key` when the site has key authentication on) or `delivery` (with `messages`, each a `type`
and its `data`). GetResponse webhooks (API-NOTES §4): a JSON object with a `type`, the
`contact` and the `event`, and an `X-Webhook-ID` header that stays the same across retries.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

# Deeper than any real notification, shallow enough that nothing downstream (hashing, the
# store, the UI's tree of a message) recurses anywhere near Python's limit.
MAX_DEPTH = 64
# Messages carry no id: the same type and data again within this many seconds is a repeat.
REPEAT_WINDOW = 24 * 3600.0
SUMMARY_LENGTH = 200
_HEADER_LENGTH = 200
WEBHOOK_HEADERS = ("X-Webhook-ID", "X-Webhook-Type", "X-Request-ID")


class ProtocolError(ValueError):
    """The request is not the protocol; the words go back to the sender in a 400 reply."""


class AnswerMode(StrEnum):
    """How a connection answers the aicore server's `authenticate` (the profile's choice)."""

    KEY = "key"  # MD5 of login id + password + the server's key: the password never travels
    PASSIVE = "passive"  # {"status": "OK"}, then the authenticate_notifications command
    PLAIN = "plain"  # the password itself: only when the user chose it


@dataclass(frozen=True, slots=True)
class RecordLink:
    """The record a message names, for "Open related record": an entity of the connection
    and the record's id there."""

    entity: str
    record_id: str


@dataclass(frozen=True, slots=True)
class NewMessage:
    """One notification as received, ready to store."""

    type: str
    data: Any
    data_json: str
    summary: str
    # Equal keys within `repeat_window` seconds (None: ever, within retention) are one message.
    dedupe_key: str
    repeat_window: float | None
    link: RecordLink | None = None
    meta: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AicoreRequest:
    request: Literal["authenticate", "delivery"]
    key: str | None = None
    messages: tuple[NewMessage, ...] = ()


# -- reading bodies -----------------------------------------------------------------------------


def decode_text(body: bytes, charset: str | None = None) -> str:
    """The body as text: UTF-8 (JSON's own encoding), else the charset the sender declared."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    raise ProtocolError("the body is not UTF-8 text")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


# Made once: json.loads and json.dumps build a new decoder or encoder for every call that
# passes options, which costs as much as the work itself on a small message.
_DECODER = json.JSONDecoder(parse_constant=_no_constants)
_STORED = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_ESCAPED = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
_CANONICAL = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), sort_keys=True)


def read_json_object(body: bytes, charset: str | None = None) -> dict[str, Any]:
    """A JSON object of limited depth, or ProtocolError in words."""
    text = decode_text(body, charset)
    try:
        document = _DECODER.decode(text)
    except RecursionError:
        raise ProtocolError(f"the JSON is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:
        raise ProtocolError(f"the body is not JSON ({_short(str(exc), 80)})") from None
    if not isinstance(document, dict):
        raise ProtocolError("the body is not a JSON object")
    # Nesting needs brackets: a body with few of them cannot be too deep (the common case,
    # and counting is much cheaper than walking).
    if text.count("[") + text.count("{") > MAX_DEPTH:
        _check_depth(document)
    return document


def _check_depth(value: Any) -> None:
    # Iterative: the point is to refuse what recursion would choke on.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ProtocolError(f"the JSON is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)


# -- aicore push --------------------------------------------------------------------------------


def read_aicore(body: bytes, charset: str | None = None) -> AicoreRequest:
    document = read_json_object(body, charset)
    request = document.get("request")
    if request == "authenticate":
        key = document.get("key")
        if isinstance(key, int) and not isinstance(key, bool):
            key = str(key)
        if key is not None and not isinstance(key, str):
            raise ProtocolError("key must be a string")
        return AicoreRequest("authenticate", key=key or None)
    if request == "delivery":
        # Absent when the site sends no messages (seed 004: "only when enabled").
        raw = document.get("messages", [])
        if not isinstance(raw, list):
            raise ProtocolError("messages must be an array")
        messages = tuple(_aicore_message(item, number) for number, item in enumerate(raw))
        return AicoreRequest("delivery", messages=messages)
    if request is None:
        raise ProtocolError("the request has no 'request' field")
    raise ProtocolError(
        f"unknown request {_short(json.dumps(request), 40)}; "
        "this listener takes 'authenticate' and 'delivery'"
    )


def _aicore_message(item: Any, number: int) -> NewMessage:
    if not isinstance(item, dict):
        raise ProtocolError(f"message {number} is not an object")
    kind = item.get("type")
    if not isinstance(kind, str) or not kind.strip():
        raise ProtocolError(f"message {number} has no type")
    if "data" not in item:
        raise ProtocolError(f"message {number} has no data")
    kind = kind.strip()
    data = item["data"]
    return NewMessage(
        type=kind,
        data=data,
        data_json=to_json(data),
        summary=_short(_aicore_summary(kind, data), SUMMARY_LENGTH),
        dedupe_key=message_hash(kind, data),
        repeat_window=REPEAT_WINDOW,
        link=aicore_link(kind, data),
    )


def message_hash(kind: str, data: Any) -> str:
    """sha256 of the canonical JSON of (type, data): the identity of a message without an id."""
    return hashlib.sha256(_CANONICAL.encode([kind, data]).encode("ascii")).hexdigest()


def aicore_link(kind: str, data: Any) -> RecordLink | None:
    # new_user and membership both name the user (aicore entity `users`, key `user_id`).
    if kind in ("new_user", "membership") and isinstance(data, dict):
        user_id = _scalar_text(data.get("user_id"))
        if user_id:
            return RecordLink("users", user_id)
    return None


def _aicore_summary(kind: str, data: Any) -> str:
    if isinstance(data, str):
        text = " ".join(data.split())
        return text if kind == "generic" else f"{kind}: {text}"
    if not isinstance(data, dict):
        return f"{kind}: {to_json(data)}"
    get = data.get
    if kind == "new_user":
        name = " ".join(
            t for t in (_scalar_text(get("first_name")), _scalar_text(get("last_name"))) if t
        )
        details = ", ".join(
            t for t in (_scalar_text(get("username")), _scalar_text(get("account_type"))) if t
        )
        parts = ["New user", name or "(no name)"]
        if details:
            parts.append(f"({details})")
        if _scalar_text(get("user_id")):
            parts.append(f"#{_scalar_text(get('user_id'))}")
        return " ".join(parts)
    if kind == "membership":
        status = _scalar_text(get("status")) or "changed"
        text = f"Membership {status} for user #{_scalar_text(get('user_id')) or '?'}"
        account = _scalar_text(get("account_type"))
        if account:
            text += f" ({account})"
        if _scalar_text(get("expires")) == "Y" and _scalar_text(get("exp_date")):
            text += f", expires {_scalar_text(get('exp_date'))}"
        return text
    return f"{kind}: {to_json(data)}"


def md5_answer(login_id: str, password: str, key: str) -> str:
    """seed 004: MD5 of the plain concatenation login id + password + key, as UTF-8 bytes and
    lower-case hex (API-NOTES §5, ambiguity 5)."""
    return hashlib.md5((login_id + password + key).encode("utf-8")).hexdigest()


def authenticate_answer(
    mode: AnswerMode, login_id: str, password: str, key: str | None
) -> tuple[dict[str, str], AnswerMode]:
    """The reply to `authenticate` and the way it was answered.

    A key is always answered with the MD5, even in plain mode: the site has key
    authentication on, and the hash is what it checks. In key mode a request without a key is
    refused in words rather than answered with the plain password.
    """
    if mode is AnswerMode.PASSIVE:
        return {"status": "OK"}, AnswerMode.PASSIVE
    if key is not None:
        return {
            "ai_login_id": login_id,
            "ai_login_password": md5_answer(login_id, password, key),
        }, (AnswerMode.KEY)
    if mode is AnswerMode.KEY:
        raise ProtocolError(
            "the authenticate request carries no key, and this connection answers with key "
            "authentication: turn key authentication on in the site's settings, or choose "
            "passive for this connection"
        )
    return {"ai_login_id": login_id, "ai_login_password": password}, AnswerMode.PLAIN


# -- GetResponse webhooks ------------------------------------------------------------------------


def read_webhook(body: bytes, headers: Mapping[str, str], charset: str | None = None) -> NewMessage:
    payload = read_json_object(body, charset)
    kind = payload.get("type")
    if kind is None:
        kind = clean_header(headers.get("X-Webhook-Type", ""))
    if not isinstance(kind, str) or not kind.strip():
        raise ProtocolError("the webhook has no type")
    kind = kind.strip()
    meta = {
        name: clean_header(headers[name])
        for name in WEBHOOK_HEADERS
        if headers.get(name, "").strip()
    }
    webhook_id = meta.get("X-Webhook-ID")
    return NewMessage(
        type=kind,
        data=payload,
        data_json=to_json(payload),
        summary=_short(_webhook_summary(kind, payload), SUMMARY_LENGTH),
        # GetResponse keeps X-Webhook-ID across retries; without one, fall back to the content.
        dedupe_key=f"webhook-id:{webhook_id}" if webhook_id else message_hash(kind, payload),
        repeat_window=None if webhook_id else REPEAT_WINDOW,
        link=webhook_link(payload),
        meta=meta,
    )


def webhook_link(payload: Mapping[str, Any]) -> RecordLink | None:
    contact = payload.get("contact")
    if isinstance(contact, dict):
        contact_id = _scalar_text(contact.get("contactId"))
        if contact_id:
            return RecordLink("contacts", contact_id)
    return None


def _webhook_summary(kind: str, payload: Mapping[str, Any]) -> str:
    contact = payload.get("contact")
    if not isinstance(contact, dict):
        return kind
    name = _scalar_text(contact.get("name"))
    email = _scalar_text(contact.get("email"))
    who = f"{name} <{email}>" if name and email else name or email
    return f"{kind}: {who}" if who else kind


# -- small helpers -----------------------------------------------------------------------------


def to_json(value: Any) -> str:
    """Compact JSON for storage; escaped where the text holds lone surrogates (JSON allows
    them, UTF-8 does not, and SQLite stores UTF-8)."""
    text: str = _STORED.encode(value)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = _ESCAPED.encode(value)
    return text


def clean_header(value: str) -> str:
    # aiohttp hands undecodable header bytes over as surrogates; keep them printable.
    return value.encode("utf-8", "replace").decode("utf-8").strip()[:_HEADER_LENGTH]


def _scalar_text(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()[:_HEADER_LENGTH] if value.isascii() else clean_header(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _short(text: str, limit: int) -> str:
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"
