"""parse_value, missing_required and same_value: what a person typed, per field type."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from crmdesk.api import FieldSpec, FieldType
from crmdesk.editing import missing_required, parse_value, same_value

T = FieldType


def spec(kind: FieldType = T.TEXT, **more: object) -> FieldSpec:
    return FieldSpec("f", "Field", kind, **more)  # type: ignore[arg-type]


def refused(kind: FieldType, raw: object, words: str, **more: object) -> None:
    with pytest.raises(ValueError, match=words):
        parse_value(spec(kind, **more), raw)


# -- text-like ------------------------------------------------------------------------------


def test_text_is_kept_exactly_as_typed() -> None:
    assert parse_value(spec(), "  two  spaces ") == "  two  spaces "
    assert parse_value(spec(T.LONG_TEXT), "line 1\nline 2\n") == "line 1\nline 2\n"
    assert parse_value(spec(), 42) == "42"
    assert parse_value(spec(), "") == ""


def test_a_required_field_cannot_be_emptied() -> None:
    refused(T.TEXT, "", "Field is required", required=True)
    refused(T.TEXT, "   ", "Field is required", required=True)
    refused(T.NUMBER, None, "Field is required", required=True)


def test_read_only_fields_refuse_any_value() -> None:
    refused(T.TEXT, "x", "Field is read-only", read_only=True)
    refused(T.TEXT, "", "Field is read-only", read_only=True)


def test_empty_is_no_value_for_typed_fields() -> None:
    for kind in (T.NUMBER, T.CURRENCY, T.DATE, T.DATETIME, T.BOOLEAN, T.EMAIL, T.CHOICE):
        assert parse_value(spec(kind), "  ") is None
        assert parse_value(spec(kind), None) is None


def test_email_gets_a_light_check() -> None:
    assert parse_value(spec(T.EMAIL), " ann@example.com ") == "ann@example.com"
    assert parse_value(spec(T.EMAIL), "ann@localhost") == "ann@localhost"
    for bad in ("ann", "ann@", "@example.com", "ann bee@example.com", "a@b@c"):
        refused(T.EMAIL, bad, "not an email address")


def test_phone_numbers_take_the_usual_punctuation_but_no_words() -> None:
    for good in ("+44 (0)20 7946-0958", "555.1234", "555-1234 ext 12", "555 1234 x9"):
        assert parse_value(spec(T.PHONE), good) == good
    for bad in ("call me", "---", "555-CALL"):
        refused(T.PHONE, bad, "not a phone number")


def test_urls_need_a_host_and_no_spaces() -> None:
    assert parse_value(spec(T.URL), "www.example.com") == "www.example.com"
    assert parse_value(spec(T.URL), "https://example.com/a?b=1") == "https://example.com/a?b=1"
    refused(T.URL, "not a url", "not a web address")
    refused(T.URL, "example", "not a web address")


def test_choices_must_be_one_of_the_options_in_their_own_spelling() -> None:
    choice = spec(T.CHOICE, options=("Open", "Closed"))
    assert parse_value(choice, "open") == "Open"
    assert parse_value(choice, " Closed ") == "Closed"
    with pytest.raises(ValueError, match="'Maybe' is not one of Open, Closed"):
        parse_value(choice, "Maybe")
    # Without options any text goes (the server knows its own list).
    assert parse_value(spec(T.CHOICE), "Call") == "Call"


def test_aicore_yes_no_choice_is_y_or_n_and_nothing_else() -> None:
    ok_to_text = spec(T.CHOICE, options=("Y", "N"))
    assert parse_value(ok_to_text, "y") == "Y"
    refused(T.CHOICE, "maybe", "not one of Y, N", options=("Y", "N"))


# -- numbers --------------------------------------------------------------------------------


def test_whole_numbers_are_ints_and_decimals_keep_their_text() -> None:
    assert parse_value(spec(T.NUMBER), "42") == 42
    assert parse_value(spec(T.NUMBER), "-7") == -7
    assert parse_value(spec(T.NUMBER), "3.50") == "3.50"
    assert parse_value(spec(T.NUMBER), 12) == 12
    assert parse_value(spec(T.NUMBER), Decimal("2.5")) == "2.5"


def test_numbers_follow_the_servers_spelling() -> None:
    # GetResponse's dayOfCycle comes (and must go) as text; scoring as a number.
    assert parse_value(spec(T.NUMBER), "7", like="5") == "7"
    assert parse_value(spec(T.NUMBER), "7", like=5) == 7
    assert parse_value(spec(T.NUMBER), "1.5", like=5) == 1.5


def test_numbers_are_locale_neutral_and_finite() -> None:
    for bad in ("1,5", "1 000", "1,000.00", "12abc", "1e5", ".5", "+-1", "0x10"):
        refused(T.NUMBER, bad, "not a number")
    for bad in ("NaN", "inf", "-Infinity"):
        refused(T.NUMBER, bad, "not a number")
    refused(T.NUMBER, float("nan"), "takes a number")
    refused(T.NUMBER, float("inf"), "takes a number")
    refused(T.NUMBER, Decimal("NaN"), "takes a number")
    refused(T.NUMBER, True, "not yes/no")


def test_currency_is_the_amount_as_text_so_every_backend_can_send_it() -> None:
    assert parse_value(spec(T.CURRENCY), "12.5") == "12.5"
    assert parse_value(spec(T.CURRENCY), "1250") == "1250"
    assert parse_value(spec(T.CURRENCY), Decimal("99.90")) == "99.90"
    assert parse_value(spec(T.CURRENCY), "12.5", like=10.0) == 12.5
    refused(T.CURRENCY, "€12", "not a number")
    refused(T.CURRENCY, "12,50", "not a number")


# -- dates ----------------------------------------------------------------------------------


def test_dates_are_iso_and_real() -> None:
    assert parse_value(spec(T.DATE), " 2024-02-29 ") == "2024-02-29"
    assert parse_value(spec(T.DATE), date(2024, 5, 1)) == "2024-05-01"
    for bad in ("2023-02-29", "2024-13-01", "01/05/2024", "20240501", "2024-5-1", "tomorrow"):
        refused(T.DATE, bad, r"not a date \(YYYY-MM-DD\)")
    refused(T.DATE, datetime(2024, 5, 1, 10), "without a time")


def test_date_times_take_a_space_or_t_and_zones_as_getresponse_sends() -> None:
    field = spec(T.DATETIME)
    assert parse_value(field, "2024-05-01 10:30:00") == "2024-05-01 10:30:00"
    assert parse_value(field, "2024-05-01 10:30") == "2024-05-01 10:30:00"
    assert parse_value(field, "2024-05-01T10:30:00+0000") == "2024-05-01T10:30:00+0000"
    assert parse_value(field, "2024-05-01T10:30:00Z") == "2024-05-01T10:30:00Z"
    assert parse_value(field, datetime(2024, 5, 1, 10, 30)) == "2024-05-01 10:30:00"
    for bad in ("2024-05-01", "2024-05-01 25:00:00", "2024-02-30 10:00", "10:30", "now"):
        refused(T.DATETIME, bad, "not a date and time")


def test_date_times_follow_the_separator_the_server_writes() -> None:
    field = spec(T.DATETIME)
    assert parse_value(field, "2024-05-01 10:30", like="2023-01-01T00:00:00") == (
        "2024-05-01T10:30:00"
    )
    assert parse_value(field, "2024-05-01T10:30:00", like="2023-01-01 00:00:00") == (
        "2024-05-01 10:30:00"
    )


# -- yes/no ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "flag"),
    [
        *[("yes", True), ("Y", True), ("true", True), ("1", True), (True, True), (1, True)],
        *[("no", False), ("n", False), ("FALSE", False), ("0", False), (False, False)],
    ],
)
def test_yes_and_no_in_their_usual_words(raw: object, flag: bool) -> None:
    assert parse_value(spec(T.BOOLEAN), raw) is flag


@pytest.mark.parametrize("raw", ["maybe", "2", "on?", "nope", 2, 0.5])
def test_anything_else_is_refused_never_mapped_to_no(raw: object) -> None:
    refused(T.BOOLEAN, raw, "neither yes nor no")


# -- required fields and comparing values ---------------------------------------------------


def test_missing_required_names_the_empty_required_fields_in_order() -> None:
    fields = (
        FieldSpec("a", "A", required=True),
        FieldSpec("b", "B"),
        FieldSpec("c", "C", required=True),
        FieldSpec("id", "Id", required=True, read_only=True),
    )
    assert [f.name for f in missing_required(fields, {"a": " "})] == ["a", "c"]
    assert missing_required(fields, {"a": "x", "c": 0}) == []
    # An update looks only at what it changes.
    assert missing_required(fields, {"b": "x"}, changes_only=True) == []
    assert [f.name for f in missing_required(fields, {"c": ""}, changes_only=True)] == ["c"]


def test_same_value_is_tolerant_only_where_spellings_cannot_differ_in_meaning() -> None:
    assert same_value("1", True)
    assert same_value("0", False)
    assert not same_value("2", True)
    assert same_value(None, "")
    assert same_value(5, "5")
    assert same_value(Decimal("12.50"), "12.5")
    assert same_value("12.50", "12.5", T.CURRENCY)
    assert not same_value("12.50", "12.5")  # text: "12.50" and "12.5" differ
    assert not same_value("01234", "1234")  # a ZIP code keeps its zero
    assert same_value("2024-05-01T10:00:00", "2024-05-01 10:00:00", T.DATETIME)
    assert not same_value("2024-05-01T10:00:00", "2024-05-01 10:00:01", T.DATETIME)
    assert same_value("True", "1", T.BOOLEAN)
    assert not same_value("x", None)
    assert same_value(["a"], ["a"])
