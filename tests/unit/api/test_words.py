"""One yes/no word list, read the same way for display, local sorting and comparison; and
one depth bound on JSON, for the exchange views as for the readers."""

from __future__ import annotations

import pytest

from crmdesk.api import (
    FieldSpec,
    FieldType,
    Query,
    Record,
    SortKey,
    json_value,
    pretty_json,
    yes_no,
)
from crmdesk.api.backends.local import page_locally, sort_value
from crmdesk.api.nesting import MAX_JSON_DEPTH


@pytest.mark.parametrize("value", [True, 1, 1.0, "1", "Y", "y", " yes ", "TRUE", "on"])
def test_yes(value: object) -> None:
    assert yes_no(value) is True


@pytest.mark.parametrize("value", [False, 0, 0.0, "0", "N", "no", "False", "OFF"])
def test_no(value: object) -> None:
    assert yes_no(value) is False


@pytest.mark.parametrize("value", ["maybe", "", None, float("nan"), "2", 2, 2.5, [], "yess"])
def test_neither(value: object) -> None:
    assert yes_no(value) is None


def test_a_boolean_y_sorts_as_yes() -> None:
    # It used to display "Yes" but sort as "no", beside the "N" records.
    assert sort_value("Y", FieldType.BOOLEAN) == sort_value("yes", FieldType.BOOLEAN)
    assert sort_value("Y", FieldType.BOOLEAN) > sort_value("N", FieldType.BOOLEAN)
    records = [Record(str(i), {"flag": v}) for i, v in enumerate(["Y", "N", "y", "n"])]
    query = Query(sort=SortKey("flag", descending=True))
    page = page_locally(records, query, fields={"flag": FieldSpec("flag", type=FieldType.BOOLEAN)})
    assert [r.values["flag"] for r in page.records] == ["y", "Y", "n", "N"]


def test_exchange_text_shows_json_too_deep_to_walk_as_text() -> None:
    deep = b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1)
    assert json_value(deep) == (False, None)
    assert pretty_json(deep) is None
    assert json_value(b"[[1]]") == (True, [[1]])
