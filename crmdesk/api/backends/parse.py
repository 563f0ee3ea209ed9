"""Readers of JSON replies every kind shares: the object a reply must be, a vendor's error
words, and readable labels from field names. Numbers are read by crmdesk.api.numbers, yes/no
by crmdesk.api.words.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from crmdesk.api.errors import ApiError

if TYPE_CHECKING:
    from crmdesk.api.transport import Reply


def json_object(reply: Reply, what: str) -> dict[str, Any]:
    """The reply's JSON body, which must be an object."""
    data = reply.json()
    if not isinstance(data, dict):
        raise reply.unexpected(what, f"an object was expected, not {type(data).__name__}")
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


def label_from_name(name: str) -> str:
    """`DueDate` -> `Due date`, `account_id` -> `Account id`: a readable column title."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|_+", " ", name).strip()
    if not spaced:
        return name
    words = spaced.split()
    rest = [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join([words[0][:1].upper() + words[0][1:], *rest])
