"""Dates, and dates and times, as the grid shows them: in the user's locale (QLocale's short
patterns, with a four-digit year) and an aware time in their time zone; ISO where no locale
is chosen (LANG=C).

The patterns are read from QLocale once per page and applied here in Python: QLocale.toString
per cell was measured at 60 µs, the largest single cost of showing a page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QLocale

When = dt.date | dt.datetime
_AM_PM = ("AP", "Ap", "aP", "ap", "A", "a")
# Longest first, so "yyyy" is not read as "yy" twice.
_TOKENS = (
    "yyyy", "yy", "MMMM", "MMM", "MM", "M", "dddd", "ddd", "dd", "d",
    "HH", "H", "hh", "h", "mm", "m", "ss", "s", *_AM_PM, "t",
)  # fmt: skip


class DateText:
    """Formats a page's dates; made once per page (the locale may have changed)."""

    def __init__(self) -> None:
        locale = QLocale()
        if locale.language() == QLocale.Language.C:
            # No locale chosen: ISO dates, which nobody misreads, not Qt's "d MM yyyy".
            date, time = "yyyy-MM-dd", "HH:mm"
        else:
            date = locale.dateFormat(QLocale.FormatType.ShortFormat)
            time = locale.timeFormat(QLocale.FormatType.ShortFormat)
        if "yyyy" not in date:
            # Short formats often have a two-digit year ("3/2/24"); a CRM date wants four.
            date = date.replace("yy", "yyyy")
        self.date_pattern = date
        self.moment_pattern = f"{date} {time}"
        self._date = Pattern(date, locale)
        self._moment = Pattern(self.moment_pattern, locale)

    def __call__(self, when: When) -> str:
        if not isinstance(when, dt.datetime):
            return self._date(when)
        if when.tzinfo is not None:
            when = when.astimezone()
        return self._moment(when)


class Pattern:
    """A QDateTime format pattern applied to Python values as QLocale.toString applies it
    (numbers, month and day names, AM/PM); quoted text is kept as written."""

    def __init__(self, pattern: str, locale: QLocale) -> None:
        twelve = any(token in pattern.replace("'", "") for token in _AM_PM)
        self._parts: list[Callable[[When], str]] = []
        i = 0
        while i < len(pattern):
            if pattern[i] == "'":
                end = pattern.find("'", i + 1)
                end = len(pattern) if end < 0 else end
                self._parts.append(_text(pattern[i + 1 : end] or "'"))
                i = end + 1
                continue
            token = next((t for t in _TOKENS if pattern.startswith(t, i)), None)
            if token is None:
                self._parts.append(_text(pattern[i]))
                i += 1
            else:
                self._parts.append(_field(token, locale, twelve=twelve))
                i += len(token)

    def __call__(self, when: When) -> str:
        return "".join(part(when) for part in self._parts)


def _text(literal: str) -> Callable[[When], str]:
    return lambda _when: literal


def _hour(when: When) -> int:
    return when.hour if isinstance(when, dt.datetime) else 0


def _minute(when: When) -> int:
    return when.minute if isinstance(when, dt.datetime) else 0


def _second(when: When) -> int:
    return when.second if isinstance(when, dt.datetime) else 0


def _field(token: str, locale: QLocale, *, twelve: bool) -> Callable[[When], str]:
    short, long = QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat
    months = {"MMM": short, "MMMM": long}
    days = {"ddd": short, "dddd": long}
    if token in months:
        names = [locale.monthName(m, months[token]) for m in range(1, 13)]
        return lambda when: names[when.month - 1]
    if token in days:
        names = [locale.dayName(d, days[token]) for d in range(1, 8)]
        return lambda when: names[when.isoweekday() - 1]
    if token in _AM_PM:
        am, pm = locale.amText(), locale.pmText()
        case = str.upper if token in ("AP", "A") else str.lower if token in ("ap", "a") else str
        return lambda when: case(am if _hour(when) < 12 else pm)
    number = _numbers(twelve)[token]
    zero = locale.zeroDigit()
    if zero == "0":
        return number
    # Locales with digits of their own (Arabic, Persian…) write dates with them too.
    digits = str.maketrans("0123456789", "".join(chr(ord(zero) + n) for n in range(10)))
    return lambda when: number(when).translate(digits)


def _numbers(twelve: bool) -> dict[str, Callable[[When], str]]:
    return {
        "yyyy": lambda w: f"{w.year:04d}",
        "yy": lambda w: f"{w.year % 100:02d}",
        "MM": lambda w: f"{w.month:02d}",
        "M": lambda w: str(w.month),
        "dd": lambda w: f"{w.day:02d}",
        "d": lambda w: str(w.day),
        "HH": lambda w: f"{_hour(w):02d}",
        "H": lambda w: str(_hour(w)),
        "hh": lambda w: f"{(_hour(w) % 12 or 12) if twelve else _hour(w):02d}",
        "h": lambda w: str((_hour(w) % 12 or 12) if twelve else _hour(w)),
        "mm": lambda w: f"{_minute(w):02d}",
        "m": lambda w: str(_minute(w)),
        "ss": lambda w: f"{_second(w):02d}",
        "s": lambda w: str(_second(w)),
        "t": lambda _w: "",
    }
