"""Tolerant readers for the loosely typed values APIs send (numbers as strings, flags as words).

A value that cannot mean what the API promised becomes a protocol error carrying the reply.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmdesk.api.errors import ApiError, ErrorKind

if TYPE_CHECKING:
    from crmdesk.api.transport import Reply

_TRUE = frozenset({"true", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "no", "n", "off", ""})


def json_object(reply: Reply, what: str) -> dict[str, Any]:
    """The reply's JSON body, which must be an object."""
    data = reply.json()
    if not isinstance(data, dict):
        raise reply.error(
            f"The {what} reply is {type(data).__name__} where an object was expected.",
            kind=ErrorKind.PROTOCOL,
        )
    return data


def vendor_message(reply: Reply, keys: tuple[str, ...], *, unwrap: str | None = None) -> str | None:
    """The first non-empty text under `keys` in a JSON error body, whatever else it holds.

    `unwrap` names a key whose object holds the message instead (`{"error": {...}}`).
    """
    try:
        data = reply.json()
    except ApiError:
        return None
    if not isinstance(data, dict):
        return None
    if unwrap is not None and isinstance(data.get(unwrap), dict):
        data = data[unwrap]
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def count(reply: Reply, value: Any, what: str) -> int | None:
    """A count the API may send as a number or a string of digits; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _bad(reply, what, value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _bad(reply, what, value)


def flag(value: Any) -> bool:
    """A yes/no the API may send as a bool, a number or a word; unknown words count as no."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in _TRUE
    return False


def header_number(reply: Reply, name: str) -> float | None:
    """A numeric header, or None when it is missing or not a number (never an error)."""
    raw = reply.headers.get(name)
    if raw is None:
        return None
    try:
        return float(raw.strip())
    except ValueError:
        return None


def label_from_name(name: str) -> str:
    """`DueDate` -> `Due date`, `account_id` -> `Account id`: a readable column title."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_+", " ", name).strip()
    if not spaced:
        return name
    words = spaced.split()
    rest = [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:], *rest])


def _bad(reply: Reply, what: str, value: Any) -> ApiError:
    shown = repr(value)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return reply.error(f"The reply's {what} is {shown}, not a number.", kind=ErrorKind.PROTOCOL)
