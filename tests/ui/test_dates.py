"""The grid's dates are what QLocale itself would write, in every locale, only faster."""

from __future__ import annotations

import datetime as dt

import pytest

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from crmdesk.ui.browser.dates import Pattern

MOMENTS = (
    dt.datetime(2024, 3, 2, 0, 5, 9),
    dt.datetime(2024, 11, 23, 12, 0, 0),
    dt.datetime(1999, 12, 31, 23, 59, 58),
    dt.datetime(2030, 1, 7, 9, 41, 3),
)
LOCALES = ("en_US", "en_GB", "de_DE", "fr_FR", "pl_PL", "ja_JP", "ar_EG", "fa_IR", "hi_IN", "ko_KR")


@pytest.mark.parametrize("name", LOCALES)
def test_short_patterns_match_qlocale(name):
    locale = QLocale(name)
    date = locale.dateFormat(QLocale.FormatType.ShortFormat).replace("yyyy", "yy")
    date = date.replace("yy", "yyyy")
    time = locale.timeFormat(QLocale.FormatType.ShortFormat)
    for pattern in (date, f"{date} {time}", "dddd d MMMM yyyy 'at' hh:mm:ss AP", "ddd MMM"):
        ours = Pattern(pattern, locale)
        for when in MOMENTS:
            moment = QDateTime(
                QDate(when.year, when.month, when.day), QTime(when.hour, when.minute, when.second)
            )
            assert ours(when) == locale.toString(moment, pattern), (name, pattern, when)
