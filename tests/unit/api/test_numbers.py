"""The one tolerant reader of numbers: a value that is not a finite number in range is unknown."""

from __future__ import annotations

import pytest

from crmdesk.api import read_count, read_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12.0),
        (" 12 ", 12.0),
        ("1.5e3", 1500.0),
        ("+5", 5.0),
        (7, 7.0),
        (2.5, 2.5),
        ("inf", None),
        ("-inf", None),
        ("nan", None),
        ("1e999", None),
        (float("nan"), None),
        (float("inf"), None),
        ("²", None),
        ("٣", None),
        ("３", None),
        ("9" * 5000, None),
        (10**400, None),
        ("-1", None),
        ("0x1F", None),
        ("1_000", None),
        ("12 seconds", None),
        (True, None),
        (None, None),
        ([1], None),
    ],
)
def test_read_number(value: object, expected: float | None) -> None:
    assert read_number(value) == expected


def test_read_number_takes_a_leading_number_only_when_asked() -> None:
    assert read_number("432 seconds", leading=True) == 432.0
    assert read_number("432seconds", leading=True) is None
    assert read_number("nan seconds", leading=True) is None


def test_read_number_keeps_to_its_range() -> None:
    assert read_number("-3", minimum=-5) == -3.0
    assert read_number("11", maximum=10) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [("30", 30), (30, 30), ("1.5", None), ("2147483647", 2147483647), ("2147483648", None)],
)
def test_read_count_is_a_whole_int32_by_default(value: object, expected: int | None) -> None:
    assert read_count(value) == expected
