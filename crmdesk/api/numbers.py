"""The one tolerant reader of numbers a server sends: in headers, in bodies, as text or not.

Rate limits, retry times, totals, token resets and prices all pass through here. A value that
is not a plain finite number within its range (`inf`, `nan`, `1e999`, a superscript `²`, a
5,000-digit string, a negative count) is *unknown* (None), never an exception: the caller
goes on without it, and the odd value stays visible in the exchange it came in.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

# ASCII digits only: `str.isdigit()` and `float()` accept "²" and "٣", which no API means.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?", re.ASCII)
# Longer text is no number any API sends, and is never parsed (int() of 5,000 digits raises).
_MAX_TEXT = 40
INT32_MAX = 2**31 - 1


def read_number(
    value: object,
    *,
    minimum: float = 0.0,
    maximum: float = 1e15,
    leading: bool = False,
) -> float | None:
    """`value` as a finite number within [minimum, maximum], or None when it is not one.

    Takes numbers (not booleans) and text such as " 12 " or "1.5e3". `leading=True` also takes
    text that goes on, after a space, past the number ("432 seconds").
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        # Compared as an int: float() of a 400-digit int raises OverflowError.
        return float(value) if minimum <= value <= maximum else None
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > _MAX_TEXT and not leading:
            return None
        found = _NUMBER.match(text[:_MAX_TEXT])
        end = found.end() if found is not None else 0
        # Leading: a number, then a space and words ("432 seconds"); not "0x1F" or "1_000".
        if found is None or (end != len(text) and not (leading and text[end].isspace())):
            return None
        number = float(found.group())
    else:
        return None
    if not math.isfinite(number) or not minimum <= number <= maximum:
        return None
    return number


def read_count(value: object, *, maximum: int = INT32_MAX) -> int | None:
    """A count (0 to `maximum`, a whole number) sent as a number or as digits; else None."""
    number = read_number(value, minimum=0, maximum=maximum)
    if number is None or not number.is_integer():
        return None
    return int(number)


def header_number(
    headers: Mapping[str, str],
    name: str,
    *,
    minimum: float = 0.0,
    maximum: float = 1e15,
    leading: bool = False,
) -> float | None:
    """A header read with `read_number`; None when it is missing or no usable number."""
    return read_number(headers.get(name), minimum=minimum, maximum=maximum, leading=leading)
