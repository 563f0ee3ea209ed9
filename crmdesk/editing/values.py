"""One reader of what a person typed for a field.

`parse_value` turns text from an editor (or a checkbox's bool, a picker's date) into the value
a backend should get, or refuses it with a reason in words: a value the API would refuse is
refused here, before the network, and nothing is ever mapped to something else ("maybe" is not
"no"). The values it returns are the plain ones every backend's wire conversion takes (str,
int, float, bool, None): no Decimal or date objects, which JSON and form encoders refuse.

Whether two values mean the same is crmdesk.api's `same_value` (the editing core names it for
the UI): one comparer for "is this an edit" and "did the server keep what was sent".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crmdesk.api import FieldSpec, FieldType, read_moment, yes_no

_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date-time as people and the five APIs write it: a space or T, seconds optional, then an
# optional fraction and zone (GetResponse sends 2024-01-02T10:00:00+0000).
_DATETIME = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})(?P<sep>[ T])(?P<hm>\d{2}:\d{2})(?P<sec>:\d{2}(\.\d{1,6})?)?"
    r"(?P<zone>Z|[+-]\d{2}:?\d{2})?"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"(?i)[0-9+\-().#*/\s]*(?:(?:ext\.?|x)\s*\d+)?")
_TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})


def parse_value(spec: FieldSpec, raw: Any, *, like: Any = None) -> Any:
    """The value to send for `spec` when a person entered `raw`; ValueError says why not.

    `like` is the value as loaded from the server, when there is one: a number or date-time
    is returned in its spelling (a number as text where the server sent text, a date-time
    with "T" where the server wrote "T"), so it goes back the way the server writes it.
    Empty input is "" for text fields and None (no value) for the others.
    """
    if spec.read_only:
        raise ValueError(f"{spec.label} is read-only.")
    if _is_empty(raw):
        if spec.required:
            raise ValueError(f"{spec.label} is required.")
        return raw if isinstance(raw, str) and spec.type in _TEXT_TYPES else None
    reader = _READERS.get(spec.type, _text)
    return reader(spec, raw, like)


def missing_required(
    fields: Sequence[FieldSpec], values: Mapping[str, Any], *, changes_only: bool = False
) -> list[FieldSpec]:
    """The required fields `values` leaves empty, in field order.

    For a new record every required field must be given; with `changes_only` (an update)
    only the fields being changed are looked at, since the others keep their values.
    Read-only fields are the server's to fill and never count as missing.
    """
    missing = []
    for spec in fields:
        if not spec.required or spec.read_only:
            continue
        if changes_only and spec.name not in values:
            continue
        if _is_empty(values.get(spec.name)):
            missing.append(spec)
    return missing


# -- readers, one per type -----------------------------------------------------------------


def _text(spec: FieldSpec, raw: Any, like: Any) -> str:
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal):
        raise ValueError(f"{spec.label} takes text, not {type(raw).__name__}.")
    return str(raw)


def _typed_text(spec: FieldSpec, raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"{spec.label} takes text, not {type(raw).__name__}.")
    return raw.strip()


def _email(spec: FieldSpec, raw: Any, like: Any) -> str:
    text = _typed_text(spec, raw)
    if not _EMAIL.fullmatch(text):
        raise ValueError(f"{spec.label}: {text!r} is not an email address (name@example.com).")
    return text


def _phone(spec: FieldSpec, raw: Any, like: Any) -> str:
    text = _typed_text(spec, raw) if not isinstance(raw, int) else str(raw)
    if not _PHONE.fullmatch(text) or not any(c.isdigit() for c in text):
        raise ValueError(f"{spec.label}: {text!r} is not a phone number.")
    return text


def _url(spec: FieldSpec, raw: Any, like: Any) -> str:
    text = _typed_text(spec, raw)
    if any(c.isspace() for c in text) or not ("." in text or "://" in text):
        raise ValueError(f"{spec.label}: {text!r} is not a web address (www.example.com).")
    return text


def _choice(spec: FieldSpec, raw: Any, like: Any) -> str:
    text = _text(spec, raw, like).strip()
    if not spec.options:
        return text
    for option in spec.options:
        # The option's own spelling: "open" picked from Open, Closed is "Open".
        if option.casefold() == text.casefold():
            return option
    raise ValueError(f"{spec.label}: {text!r} is not one of {', '.join(spec.options)}.")


def _number(spec: FieldSpec, raw: Any, like: Any) -> int | float | str:
    number, text = _read_number(spec, raw)
    if isinstance(like, str):
        return text  # the server writes this number as text: send text
    if number == number.to_integral_value() and "." not in text:
        return int(number)
    return float(number) if _is_number(like) else text


def _currency(spec: FieldSpec, raw: Any, like: Any) -> float | str:
    number, text = _read_number(spec, raw)
    return float(number) if _is_number(like) else text


def _read_number(spec: FieldSpec, raw: Any) -> tuple[Decimal, str]:
    """A finite number and the text it is sent as; the text is what was typed."""
    if isinstance(raw, bool):
        raise ValueError(f"{spec.label} takes a number, not yes/no.")
    if isinstance(raw, float) and not math.isfinite(raw):
        raise ValueError(f"{spec.label} takes a number, not {raw}.")
    if isinstance(raw, int | float | Decimal):
        number = Decimal(str(raw))
        if not number.is_finite():
            raise ValueError(f"{spec.label} takes a number, not {raw}.")
        return number, format(number, "f")
    text = _typed_text(spec, raw)
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(
            f"{spec.label}: {text!r} is not a number (digits, with a dot before any decimals "
            "and no thousands separators, e.g. 1234.50)."
        )
    return Decimal(text), text


def _date(spec: FieldSpec, raw: Any, like: Any) -> str:
    if isinstance(raw, datetime):
        raise ValueError(f"{spec.label} takes a date without a time.")
    if isinstance(raw, date):
        return raw.isoformat()
    text = _typed_text(spec, raw)
    if not _DATE.fullmatch(text) or _calendar_date(text) is None:
        raise ValueError(f"{spec.label}: {text!r} is not a date (YYYY-MM-DD).")
    return text


def _datetime(spec: FieldSpec, raw: Any, like: Any) -> str:
    separator = _separator(like)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=separator or " ", timespec="seconds")
    if isinstance(raw, date):
        raise ValueError(f"{spec.label} takes a date and a time (YYYY-MM-DD HH:MM:SS).")
    text = _typed_text(spec, raw)
    found = _DATETIME.fullmatch(text)
    if found is None or read_moment(text) is None:
        raise ValueError(f"{spec.label}: {text!r} is not a date and time (YYYY-MM-DD HH:MM:SS).")
    # Only the spelling changes: the server's separator, and the seconds it requires.
    seconds = found["sec"] or ":00"
    zone = found["zone"] or ""
    return f"{found['date']}{separator or found['sep']}{found['hm']}{seconds}{zone}"


def _boolean(spec: FieldSpec, raw: Any, like: Any) -> bool:
    flag = yes_no(raw)
    if flag is None:
        raise ValueError(f"{spec.label}: {raw!r} is neither yes nor no (yes/no, true/false, 1/0).")
    return flag


_READERS = {
    FieldType.TEXT: _text,
    FieldType.LONG_TEXT: _text,
    FieldType.EMAIL: _email,
    FieldType.PHONE: _phone,
    FieldType.URL: _url,
    FieldType.CHOICE: _choice,
    FieldType.NUMBER: _number,
    FieldType.CURRENCY: _currency,
    FieldType.DATE: _date,
    FieldType.DATETIME: _datetime,
    FieldType.BOOLEAN: _boolean,
}


# -- helpers ---------------------------------------------------------------------------------


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _calendar_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _separator(like: Any) -> str | None:
    """The date-time separator the server writes, from a value it sent."""
    if isinstance(like, str):
        found = _DATETIME.fullmatch(like.strip())
        if found is not None:
            return found["sep"]
    return None
