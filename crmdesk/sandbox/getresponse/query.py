"""Reading a collection request's query string: paging, `sort[...]`, `query[...]`, `fields`.

Paging is lenient as the live API is (GetResponse's own guide notes `perPage=0` and non-numeric
values answered 200): a value that is not a positive integer falls back to the default, and
`perPage` over 1000 is capped. Unknown `query[...]` and `sort[...]` keys are 400s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from crmdesk.sandbox.getresponse.errors import ApiFailure
from crmdesk.sandbox.getresponse.resources import Getter, Resource, ResourceSpec
from crmdesk.sandbox.getresponse.store import Match, Sort

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
_SORT = re.compile(r"sort\[([^\]]*)\]")
_QUERY = re.compile(r"query\[([^\]]*)\](?:\[([^\]]*)\])?")


@dataclass(frozen=True, slots=True)
class Listing:
    page: int
    per_page: int
    sort: Sort
    matches: tuple[Match, ...]
    fields: tuple[str, ...] | None


def _positive(raw: str | None, default: int) -> int:
    if raw is None or not raw.strip().isdigit() or int(raw) < 1:
        return default
    return int(raw)


def _invalid(kind: str, name: str, original: str, why: str) -> ApiFailure:
    return ApiFailure(
        1000,
        "Validation error, see context section for more information",
        {
            "validationType": f"searchFilter[{kind}]",
            "fieldName": name,
            "originalName": original,
            "errorDescription": why,
        },
    )


def _like(get: Getter, wanted: str, exact: bool) -> Match:
    folded = wanted.casefold()
    if exact:
        return lambda r: str(get(r) or "").casefold() == folded
    return lambda r: folded in str(get(r) or "").casefold()


def _equal(get: Getter, wanted: str) -> Match:
    return lambda r: str(get(r)) == wanted


def _range(get: Getter, edge: str, value: str, name: str) -> Match:
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise _invalid("query", name, value, "Invalid date format") from None
    # A bare date compares with the day part only, so "to" a date includes that whole day.
    width = 10 if len(value) <= 10 else None

    def match(resource: Resource) -> bool:
        found = get(resource)
        if found is None:
            return False
        text = str(found)[:width]
        return text >= value if edge == "from" else text <= value

    return match


def read_listing(spec: ResourceSpec, query: Mapping[str, str]) -> Listing:
    sort: list[tuple[str, bool]] = []
    matches: list[Match] = []
    exact = query.get("additionalFlags", "") == "exactMatch"
    for key, value in query.items():
        if found := _SORT.fullmatch(key):
            name = found.group(1)
            if name not in spec.sorts:
                raise _invalid("sort", name, value, "Not allowed sort field")
            order = value.strip().upper()
            if order not in ("ASC", "DESC"):
                raise ApiFailure(
                    1003, f"Invalid sort order '{value}': use ASC or DESC", {key: value}
                )
            sort.append((name, order == "DESC"))
        elif found := _QUERY.fullmatch(key):
            matches.append(_filter(spec, found.group(1), found.group(2), value, exact))
    return Listing(
        page=_positive(query.get("page"), 1),
        per_page=min(MAX_PER_PAGE, _positive(query.get("perPage"), DEFAULT_PER_PAGE)),
        sort=tuple(sort),
        matches=tuple(matches),
        fields=wanted_fields(query),
    )


def wanted_fields(query: Mapping[str, str]) -> tuple[str, ...] | None:
    """The `fields=` projection, or None to return every field."""
    raw = query.get("fields")
    if raw is None:
        return None
    return tuple(dict.fromkeys(f.strip() for f in raw.split(",") if f.strip()))


def _filter(spec: ResourceSpec, name: str, edge: str | None, value: str, exact: bool) -> Match:
    if edge is None and name in spec.filters:
        get = spec.filters[name]
        return _like(get, value, exact) if name in spec.like else _equal(get, value)
    if edge in ("from", "to") and name in spec.ranges:
        return _range(spec.ranges[name], edge, value, name)
    raise _invalid("query", name, value, "Not allowed search field")


def project(resource: Resource, id_field: str, fields: tuple[str, ...] | None) -> Resource:
    """Only the asked-for fields; the id is always returned."""
    if fields is None:
        return resource
    return {k: v for k, v in resource.items() if k == id_field or k in fields}
