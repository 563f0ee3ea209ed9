"""The data every backend speaks in: records, pages, queries, fields, entities and capabilities.

These types are what the UI sees. No backend leaks its wire format past them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def frozen_mapping(values: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    """A read-only copy, so a record handed to the UI cannot be changed behind its back."""
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class SortKey:
    """Sort by one field, ascending unless `descending`."""

    field: str
    descending: bool = False

    @property
    def arrow(self) -> str:
        return "▼" if self.descending else "▲"


@dataclass(frozen=True, slots=True)
class Query:
    """What to list: one page of an entity, optionally sorted, filtered and narrowed to fields."""

    page: int = 1
    page_size: int = 25
    sort: SortKey | None = None
    filters: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.page < 1:
            raise ValueError(f"page must be 1 or more, not {self.page}")
        if self.page_size < 1:
            raise ValueError(f"page size must be 1 or more, not {self.page_size}")
        object.__setattr__(self, "filters", frozen_mapping(self.filters))


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its id and its field values as the API gave them."""

    id: str
    values: Mapping[str, Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", frozen_mapping(self.values))


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list, and who did the paging and sorting."""

    records: tuple[Record, ...]
    page: int
    page_size: int
    total_records: int | None
    total_pages: int | None
    sort: SortKey | None = None
    paged_by_server: bool = True
    sorted_by_server: bool = True

    @property
    def is_last(self) -> bool:
        if self.total_pages is not None:
            return self.page >= self.total_pages
        return len(self.records) < self.page_size


def pages_for(total_records: int, page_size: int) -> int:
    return max(1, math.ceil(total_records / page_size)) if page_size else 1


class FieldType(Enum):
    """What kind of value a field holds, as far as editing and sorting care."""

    TEXT = "text"
    LONG_TEXT = "long text"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    CHOICE = "choice"
    NUMBER = "number"
    CURRENCY = "currency"
    DATE = "date"
    DATETIME = "date and time"
    BOOLEAN = "yes/no"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of an entity. `extra` keeps what the API said that we do not model."""

    name: str
    label: str = ""
    type: FieldType = FieldType.TEXT
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    sortable: bool = True
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)
        object.__setattr__(self, "extra", frozen_mapping(self.extra))


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """A named operation on one record beyond create/update/delete (convert a lead, close a task).

    `fields` names the values the action takes; `costs_money` and `confirm` tell the UI to ask.
    `creates` names the entity of a record the action makes, so the UI can offer to open it.
    """

    name: str
    label: str
    description: str = ""
    confirm: bool = False
    costs_money: bool = False
    takes_values: bool = False
    creates: str | None = None


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """One entity (a list of records) and what can be done with it.

    `id_field` names the field that holds the record id, when the records carry it among their
    values; otherwise the id travels beside the values and the UI shows it as `id_label`.
    """

    name: str
    label: str
    id_field: str | None = None
    id_label: str = "ID"
    can_create: bool = True
    can_update: bool = True
    can_delete: bool = True
    has_field_metadata: bool = True
    server_paging: bool = True
    server_sorting: bool = True
    filterable: bool = False
    max_page_size: int = 1000
    actions: tuple[ActionSpec, ...] = ()

    def action(self, name: str) -> ActionSpec:
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(f"{self.label} has no action {name!r}")


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a kind of backend can do at all; per-entity detail lives in `EntityInfo`."""

    server_paging: bool
    server_sorting: bool
    filters: bool
    field_metadata: bool
    named_actions: bool
    notifications: bool = False


@dataclass(frozen=True, slots=True)
class ActionResult:
    """What an action or a create did, in words, and where to go next.

    `opens` is an (entity, id) the user may want to open, such as the account a lead became.
    `queued` means the server accepted the work but has not done it yet (no id exists yet).
    """

    message: str
    created_id: str | None = None
    opens: tuple[str, str] | None = None
    queued: bool = False


@dataclass(frozen=True, slots=True)
class RawRequest:
    """A request as it goes on the wire, for replay: from a recorded exchange, HAR or curl.

    Secrets in it are `[REDACTED]`; a connection's `Backend.replay` signs it again with its own
    current authentication before sending it, and only to that connection's own server.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)
