"""What a field's raw value is in text, in JSON and in a spreadsheet cell, and the rules the
UI shows values by (which fields are yes/no, which text is a date). No Qt: the window formats
what these find with the user's locale.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from crmdesk.api import FieldSpec, FieldType, Record

_NUMERIC = frozenset({FieldType.NUMBER, FieldType.CURRENCY})
_INTEGER = re.compile(r"-?(0|[1-9]\d{0,14})")
_DECIMAL = re.compile(r"-?(0|[1-9]\d{0,14})\.\d{1,6}")
# Choices that are a yes/no in disguise (aicore's Y/N, GetResponse's "true"/"false").
_YES_NO_PAIRS = (
    frozenset({"y", "n"}),
    frozenset({"yes", "no"}),
    frozenset({"true", "false"}),
    frozenset({"1", "0"}),
)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a view: a field, or (with no `spec`) the record's own id."""

    name: str
    label: str
    spec: FieldSpec | None = None

    def raw(self, record: Record) -> Any:
        return record.id if self.spec is None else record.values.get(self.name)


def is_yes_no(spec: FieldSpec) -> bool:
    """Whether values of `spec` are shown as Yes/No: flags, and choices of a yes and a no."""
    if spec.type is FieldType.BOOLEAN:
        return True
    if spec.type is not FieldType.CHOICE or len(spec.options) != 2:
        return False
    return frozenset(option.strip().casefold() for option in spec.options) in _YES_NO_PAIRS


def cell_text(value: Any) -> str:
    """A raw value as one cell of text: nothing for None, lists joined, objects as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, list | tuple) and not any(
        isinstance(item, Mapping | list | tuple) for item in value
    ):
        return ", ".join(cell_text(item) for item in value)
    return json.dumps(json_value(value), ensure_ascii=False, separators=(", ", ": "))


def json_value(value: Any) -> Any:
    """A raw value as plain JSON data (read-only mappings and tuples made plain)."""
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    return str(value)


def sheet_value(value: Any, spec: FieldSpec | None) -> Any:
    """A raw value as a spreadsheet cell: numbers of number fields as numbers, else text."""
    if isinstance(value, bool) or value is None:
        return cell_text(value) if value is not None else None
    if isinstance(value, int | float):
        return value
    if spec is not None and spec.type in _NUMERIC and isinstance(value, str):
        number = _number(value)
        if number is not None:
            return number
    return cell_text(value)


def _number(text: str) -> int | float | None:
    """Plain decimal notation only: "1,234" or "007" (an id-like text) stay text, so a cell
    never shows a number the API did not write."""
    if _INTEGER.fullmatch(text):
        return int(text)
    if _DECIMAL.fullmatch(text):
        return float(text)
    return None


def parse_when(value: Any, field_type: FieldType) -> dt.date | dt.datetime | None:
    """The date (DATE fields) or date and time (DATETIME) a raw value holds, None if it holds
    none. A date-time with an offset is aware; one without stays naive (its zone is unknown,
    so it is shown as the server wrote it)."""
    if not isinstance(value, str) or field_type not in (FieldType.DATE, FieldType.DATETIME):
        return None
    text = value.strip()
    if len(text) < 10:
        return None
    try:
        if field_type is FieldType.DATE or len(text) == 10:
            return dt.date.fromisoformat(text[:10])
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return None
