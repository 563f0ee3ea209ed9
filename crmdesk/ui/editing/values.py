"""Reading what a person typed into a field, for the editors: the one door to
`crmdesk.editing.parse_value`, with its refusal turned into words an editor shows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from crmdesk.api import FieldSpec
from crmdesk.editing import missing_required, parse_value


@dataclass(frozen=True, slots=True)
class Checked:
    """A raw value read for a field: `value` when taken, else `problem` says why not."""

    value: Any = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check(spec: FieldSpec, raw: Any) -> Checked:
    try:
        return Checked(parse_value(spec, raw))
    except ValueError as refused:
        return Checked(problem=str(refused) or f"{spec.label} cannot take this value.")


def check_all(fields: Sequence[FieldSpec], raws: Mapping[str, Any]) -> dict[str, Checked]:
    """Every field's raw value read, and the required ones that are empty refused too."""
    checked = {spec.name: check(spec, raws.get(spec.name)) for spec in fields}
    values = {name: c.value for name, c in checked.items() if c.ok}
    for spec in missing_required(fields, values):
        if checked[spec.name].ok:
            checked[spec.name] = Checked(problem=f"{spec.label} is required.")
    return checked
