"""One way to tell whether two values of a field mean the same to a server.

Used wherever crmdesk compares what it sent with what a server gives back, or what a person
typed with what was loaded: a write whose reply was lost is read again and compared
(`Backend.find_outcome`), and an edit back to the loaded value is no edit (crmdesk.editing).
Tolerant only where spellings cannot mean different things ("1" and True for a flag, 5 and
"5"); with the field's type, amounts and dates compare by value ("12.5" and "12.50", a space
or a "T" in a date-time). Text is compared as written: "smith" is not "Smith", and "01234" is
not "1234" (a ZIP code keeps its zero).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from crmdesk.api.model import FieldType
from crmdesk.api.words import yes_no

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date-time as people and the five APIs write it: a space or T, seconds optional, then an
# optional fraction and zone (GetResponse sends 2024-01-02T10:00:00+0000).
DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>[ T])(?P<hm>\d{2}:\d{2})(?P<sec>:\d{2}(\.\d{1,6})?)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)


def same_value(a: Any, b: Any, kind: FieldType | None = None) -> bool:
    """Whether two values of one field mean the same, as far as a server is concerned.

    Without `kind` only spellings that cannot mean different things are equal (empty and
    None, a flag and its "1"/"0", a number and its text); with it, amounts and dates compare
    by value ("12.5" and "12.50", a space or a T in a date-time). An array sent as ids matches
    one read back as the items holding them, in order.
    """
    if a == b and type(a) is type(b):
        return True
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    if isinstance(a, bool) or isinstance(b, bool) or kind is FieldType.BOOLEAN:
        flag_a, flag_b = yes_no(a), yes_no(b)
        return flag_a is not None and flag_a == flag_b
    if kind in (FieldType.NUMBER, FieldType.CURRENCY) or _is_number(a) or _is_number(b):
        number_a, number_b = _decimal(a), _decimal(b)
        if number_a is not None and number_b is not None:
            return number_a == number_b
    if kind in (FieldType.DATE, FieldType.DATETIME):
        moment_a, moment_b = read_moment(a), read_moment(b)
        if moment_a is not None and moment_b is not None:
            return moment_a == moment_b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same_item(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, list | tuple | Mapping) or isinstance(b, list | tuple | Mapping):
        return bool(a == b)
    return str(a) == str(b)


def is_empty(value: Any) -> bool:
    """No value: None, or text that is only blanks."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_moment(value: Any) -> datetime | None:
    """A date or date-time as a naive datetime (zones dropped: servers echo their own), or
    None when `value` is neither."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = value.strip()
    if DATE.fullmatch(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
        return datetime(day.year, day.month, day.day)
    found = DATETIME.fullmatch(text)
    if found is None:
        return None
    try:
        return datetime.fromisoformat(f"{found['date']}T{found['hm']}{found['sec'] or ':00'}")
    except ValueError:
        return None


def _same_item(a: Any, b: Any) -> bool:
    """One item of an array field, as sent and as read back: servers send more about each
    item than they take (a tag goes as its id and comes back with its name), so an id
    matches an item holding it, and two items match on the keys both have."""
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        shared = set(a) & set(b)
        return bool(shared) and all(same_value(a[k], b[k]) for k in shared)
    if isinstance(a, Mapping) or isinstance(b, Mapping):
        item, scalar = (a, b) if isinstance(a, Mapping) else (b, a)
        ids = [v for k, v in item.items() if str(k).endswith("Id") or k == "id"]
        return any(same_value(v, scalar) for v in ids)
    return same_value(a, b)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
