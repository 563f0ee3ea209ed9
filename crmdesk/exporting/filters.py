"""What a filter bar offers for an entity, and how what the user typed becomes a query.

The API filters where it can (GetResponse's `query[...]` with its named fields and date ranges,
Mothernode's `?field=value` on any field, aicore's `search_params`); anything else is filtered
by crmdesk over the fetched records ("filtered locally"). A value the API would refuse (a date
range edge that is not a date) is refused here, in words, before the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from crmdesk.api import EntityInfo, FieldSpec
from crmdesk.exporting.paging import Condition, LocalFilter

ANY_FIELD = ""
_EDGE_WORDS = {"from": "from", "to": "until"}


@dataclass(frozen=True, slots=True)
class FilterField:
    """One thing a filter can be on. `key` is the Query filter name the API takes (the field,
    or "createdOn.from" for a range edge) when `server`; otherwise the field crmdesk matches
    itself, or ANY_FIELD for every column."""

    key: str
    label: str
    server: bool
    hint: str = ""

    @property
    def is_date_edge(self) -> bool:
        return self.server and self.key.rpartition(".")[2] in _EDGE_WORDS


@dataclass(frozen=True, slots=True)
class Criterion:
    """One condition as the user set it: a field and the value typed."""

    field: FilterField
    value: str

    @property
    def words(self) -> str:
        """How the bar says it: Status = Open, Created from 2024-01-01, Email contains “acme”."""
        value = self.value.strip()
        if not self.field.key:
            return f"any field contains “{value}”"
        if not self.field.server:
            return f"{self.field.label} contains “{value}”"
        if self.field.is_date_edge:
            return f"{self.field.label} {value}"
        return f"{self.field.label} = {value}"


def filter_fields(entity: EntityInfo, fields: Sequence[FieldSpec]) -> tuple[FilterField, ...]:
    """What the filter bar offers, server filters first, then the fields crmdesk filters."""
    usable = [spec for spec in fields if not spec.extra.get("embedded")]
    by_name = {spec.name: spec for spec in usable}
    server: list[FilterField] = []
    if entity.filterable and entity.filters:
        for name in entity.filters:
            base, _, edge = name.partition(".")
            spec = by_name.get(base)
            label = spec.label if spec is not None else base
            if edge in _EDGE_WORDS:
                server.append(FilterField(name, f"{label} {_EDGE_WORDS[edge]}", True, "YYYY-MM-DD"))
            else:
                server.append(FilterField(name, label, True))
    elif entity.filterable:
        server = [FilterField(spec.name, spec.label, True) for spec in usable]
    taken = {f.key.partition(".")[0] for f in server}
    local = [FilterField(s.name, s.label, False) for s in usable if s.name not in taken]
    return (*server, *local, FilterField(ANY_FIELD, "Any field", False))


@dataclass(frozen=True, slots=True)
class SplitFilter:
    """Criteria split into what the API is asked for and what crmdesk filters itself."""

    server: dict[str, str]
    local: LocalFilter


def split(criteria: Sequence[Criterion]) -> SplitFilter:
    """The query filters and the local filter for `criteria`; ValueError, in words, for a value
    the API would refuse. Two criteria on one server field: the last one counts."""
    server: dict[str, str] = {}
    local: list[Condition] = []
    for criterion in criteria:
        value = criterion.value.strip()
        if criterion.field.server:
            if criterion.field.is_date_edge:
                _check_date(criterion.field, value)
            server[criterion.field.key] = value
        else:
            local.append(Condition(criterion.field.key or None, value))
    return SplitFilter(server, LocalFilter(tuple(local)))


def _check_date(field: FilterField, value: str) -> None:
    try:
        if len(value) == 10:
            dt.date.fromisoformat(value)
        else:
            dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"{field.label} takes a date such as 2024-03-31 (or a date and time such as "
            f"2024-03-31T17:00:00), not “{value}”."
        ) from None
