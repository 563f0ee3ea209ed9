"""The data every backend speaks in: records, pages, queries, fields, entities and what each
entity can do (its capabilities), actions and their previews, and planned writes.

These types are what the UI sees. No backend leaks its wire format past them; a planned write
is the one place the wire shows, on purpose, so a user can review what will be sent.
"""

from __future__ import annotations

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
    """Pages of `page_size` that `total_records` fill (at least one), in whole numbers: a
    total of any size cannot overflow."""
    if page_size < 1 or total_records < 1:
        return 1
    return -(-total_records // page_size)


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
    """One field of an entity. `extra` keeps what the API said that we do not model.

    `relates_to` names the entity whose record id the field holds (a contact's account), so
    the UI can link to it; "@other_field" when the entity differs per record and that other
    field names it (a task's RelatedTo, whose entity is in RelatedType).
    """

    name: str
    label: str = ""
    type: FieldType = FieldType.TEXT
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    sortable: bool = True
    extra: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    relates_to: str | None = None

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)
        object.__setattr__(self, "extra", frozen_mapping(self.extra))

    def related_entity(self, values: Mapping[str, Any]) -> str | None:
        """The entity of the record this field points at, in a record holding `values`."""
        if self.relates_to is None or not self.relates_to.startswith("@"):
            return self.relates_to
        named = values.get(self.relates_to[1:])
        return str(named) if isinstance(named, str | int) and named != "" else None


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """A named operation on one record beyond create/update/delete (convert a lead, close a task).

    `inputs` are the values the action takes (a form the UI builds from them); with none given,
    an action that `takes_values` and `creates` a record takes that entity's fields. `confirm`
    and `costs_money` tell the UI to ask first. `creates` names the entity of a record the
    action makes, so the UI can offer to open it. `undoable` is False for actions no API call
    can take back (a convert, an order).
    """

    name: str
    label: str
    description: str = ""
    confirm: bool = False
    costs_money: bool = False
    takes_values: bool = False
    creates: str | None = None
    inputs: tuple[FieldSpec, ...] = ()
    undoable: bool = False


@dataclass(frozen=True, slots=True)
class ActionPreview:
    """What an action will do before it is done: in words, the facts to confirm, its cost.

    `facts` are (label, value) pairs a confirmation shows (product, IP, billing cycle, price);
    `cost` is the money it costs as the server states it, None when it costs nothing;
    `api_calls` how many calls it spends against the connection's quota.
    """

    action: ActionSpec
    summary: str
    facts: tuple[tuple[str, str], ...] = ()
    cost: str | None = None
    api_calls: int = 1


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """One entity (a list of records) and what can be done with it: the single source of what
    the UI offers for it.

    `id_field` names the field that holds the record id, when the records carry it among their
    values; otherwise the id travels beside the values and the UI shows it as `id_label`.
    `server_paging`/`server_sorting` say whether the API pages and sorts this entity (else
    crmdesk does, over what it fetched, and the `Page` says so); `filterable` whether `Query`
    filters are taken (`filters` names them where the API has a fixed set; empty means any
    field); `has_field_metadata` whether `fields()` comes from the API rather than from
    crmdesk's reading of the documents or a sample of records.
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
    filters: tuple[str, ...] = ()
    max_page_size: int = 1000
    actions: tuple[ActionSpec, ...] = ()

    def action(self, name: str) -> ActionSpec:
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(f"{self.label} has no action {name!r}")


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


@dataclass(frozen=True, slots=True)
class WireRequest:
    """A write as the kind will send it, built before the network, path relative to the base.

    A backend builds its writes as WireRequests and sends exactly those, so the preview a user
    reviews (`Backend.plan_update` and friends) cannot differ from what goes on the wire.
    Credentials are not in it: the backend adds them when it sends.
    """

    method: str
    path: str
    params: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    json_body: Any = None
    form: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class PlannedWrite:
    """A write for a person to review: method, full URL and body, secrets redacted."""

    method: str
    url: str
    body: str
    content_type: str = ""

    @property
    def text(self) -> str:
        head = f"{self.method} {self.url}"
        return f"{head}\n\n{self.body}" if self.body else head


@dataclass(frozen=True, slots=True)
class WriteAttempt:
    """A write as the caller asked for it, kept on the ApiError of a failed one so that
    `Backend.find_outcome` can look for its effect.

    `verb` is "create", "update", "delete" or "action"; `values` the values created, the
    changes made or the action's arguments; `record_id` the record written (None for a create).
    """

    verb: str
    entity: str
    record_id: str | None = None
    values: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    action: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", frozen_mapping(self.values))


class Outcome(Enum):
    """What became of a write whose outcome was unknown, as far as re-reading tells."""

    APPLIED = "applied"
    NOT_APPLIED = "not applied"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OutcomeCheck:
    """What `Backend.find_outcome` found, in words.

    `record` is the record as it is now where one was read (the created one, when found);
    `safe_to_retry` says whether sending the write again cannot apply it twice (it was not
    applied, or the server refuses a duplicate).
    """

    outcome: Outcome
    message: str
    record: Record | None = None
    safe_to_retry: bool = False
