"""How `find_outcome` compares a record read again with what an update wrote: by the one
comparer (`crmdesk.api.same_value`), with the fields' types, and never loosely on text, so an
edit that only fixed a letter's case or a leading zero is not taken for saved."""

from __future__ import annotations

from crmdesk.api import FieldType, Outcome, Record
from crmdesk.api.backends.outcome import compare_update, matching

RECORD = Record(
    "7",
    {"name": "smith", "zip": "1234", "due": "2024-05-01 10:00:00", "amount": "12.50"},
)
TYPES = {"due": FieldType.DATETIME, "amount": FieldType.CURRENCY}


def test_text_is_compared_as_written() -> None:
    assert compare_update(RECORD, {"name": "Smith"}, "Lead 7").outcome is Outcome.NOT_APPLIED
    assert compare_update(RECORD, {"zip": "01234"}, "Lead 7").outcome is Outcome.NOT_APPLIED
    assert compare_update(RECORD, {"name": "smith"}, "Lead 7").outcome is Outcome.APPLIED


def test_dates_and_amounts_compare_by_value_when_their_types_are_known() -> None:
    written = {"due": "2024-05-01T10:00:00", "amount": "12.5"}
    assert compare_update(RECORD, written, "Lead 7", TYPES).outcome is Outcome.APPLIED
    # Without the types, a different spelling of a date is not taken for the same date.
    assert compare_update(RECORD, written, "Lead 7").outcome is Outcome.NOT_APPLIED


def test_a_field_the_record_does_not_show_leaves_the_outcome_unknown() -> None:
    check = compare_update(RECORD, {"title": "Boss"}, "Lead 7")
    assert check.outcome is Outcome.UNKNOWN
    assert not check.safe_to_retry


def test_looking_for_a_created_record_ignores_the_case_servers_store_text_in() -> None:
    found = Record("9", {"email": "ann@example.com"})
    assert matching((RECORD, found), {"email": "Ann@Example.com"}) == [found]
