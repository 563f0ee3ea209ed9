"""The words APIs write values in: yes and no, and the dates that mean "no date".

One list of each, so a value is read the same way wherever it is shown, sorted, compared or
sent: a BOOLEAN "Y" displays as yes and sorts as yes.
"""

from __future__ import annotations

from typing import Any

YES_WORDS = frozenset({"true", "1", "yes", "y", "on"})
NO_WORDS = frozenset({"false", "0", "no", "n", "off"})
# Dates some APIs (Mothernode) send to mean "no date".
EMPTY_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00", "0000-00-00T00:00:00"})


def yes_no(value: Any) -> bool | None:
    """True for a yes, False for a no, None for anything that is neither (empty included).

    Takes booleans, the numbers 1 and 0, and the words of YES_WORDS / NO_WORDS in any case
    and spacing. Never guesses: "maybe", 2 or 0.5 is None, for the caller to show as it is or
    refuse.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value == 1 if value in (0, 1) else None
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
    return None


def is_empty_date(value: Any) -> bool:
    """Whether `value` is one of the dates that mean "no date"."""
    return isinstance(value, str) and value.strip() in EMPTY_DATES
