"""Mothernode CRM: HTTP Basic, JSON REST, no paging or sorting on the server.

Wire facts: API-NOTES.md section 1; decisions: DESIGN.md 'API decisions'. Decisions taken here
where both are silent:
- `test_connection` calls the bare root with the key pair, as the docs' auth example does.
- Opportunities are leads with `is_opportunity` "1"; the `leads` entity shows the other leads
  (`?is_opportunity=0`), so a lead made an opportunity moves from one list to the other. Both
  lists also check the flag locally in case a server ignores the filter.
- An invoice's id is its invoice number, the key the invoice list is an object of.
- Lists are fetched whole and paged and sorted here; page 1 always asks the server, and later
  pages of the same list (same entity and filters) reuse that fetch for `list_cache_seconds`,
  so paging through a large list costs one fetch, not one per page. Writes drop the cache.
- `0000-00-00` dates (with or without a time) are read as empty (None).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from crmdesk.api.backends import mothernode_fields as fields
from crmdesk.api.backends.base import Backend, basic_authorization, path_segment, with_header
from crmdesk.api.backends.local import FetchedLists, page_locally
from crmdesk.api.backends.parse import flag, header_number, json_object, vendor_message
from crmdesk.api.backends.registry import CredentialField, KindInfo, OptionField
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import (
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
)
from crmdesk.api.transport import Reply, Transport

_MAX_PAGE_SIZE = 1000
_EMPTY_DATES = frozenset({"0000-00-00", "0000-00-00 00:00:00", "0000-00-00T00:00:00"})

MAKE_OPPORTUNITY = ActionSpec(
    "make_opportunity",
    "Make opportunity",
    "Flag this lead as an opportunity; it moves to the Opportunities list.",
    creates="opportunities",
)


@dataclass(frozen=True, slots=True)
class _Resource:
    """How one entity sits on the wire."""

    path: str
    singular: str
    id_field: str
    label: str
    fields: tuple[FieldSpec, ...]
    # None: not a lead; True/False: the is_opportunity value the entity's records carry.
    opportunity: bool | None = None
    writable: bool = True


_RESOURCES = {
    "customers": _Resource("customers", "customer", "customer_id", "Customers", fields.CUSTOMERS),
    "contacts": _Resource("contacts", "contact", "contact_id", "Contacts", fields.CONTACTS),
    "leads": _Resource("leads", "lead", "lead_id", "Leads", fields.LEADS, opportunity=False),
    "opportunities": _Resource(
        "leads", "lead", "lead_id", "Opportunities", fields.LEADS, opportunity=True
    ),
    "notes": _Resource("notes", "note", "note_id", "Notes and events", fields.NOTES),
    # An invoice's id is its number (the list is an object keyed by it), which the records
    # also carry as `invoice_number`: that field is the id's column, not a second one.
    "invoices": _Resource(
        "invoices", "invoice", "invoice_number", "Invoices", fields.INVOICES, writable=False
    ),
}


class Mothernode(Backend):
    """A Mothernode account, reached with an access key and API password (HTTP Basic)."""

    kind = "mothernode"

    def __init__(
        self,
        transport: Transport,
        *,
        credentials: Mapping[str, str],
        read_only: bool = False,
        list_cache_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(transport, read_only=read_only)
        self._access_key = credentials["access_key"]
        self._headers = {
            "Authorization": basic_authorization(
                credentials["access_key"], credentials["api_password"]
            ),
            "Accept": "application/json",
        }
        self._lists = FetchedLists(float(list_cache_seconds), clock)

    # -- one call --------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Any = None,
    ) -> Reply:
        reply = await self._transport.request(
            method, path, params=params, json_body=json_body, headers=self._headers
        )
        if method != "GET":
            # Whatever the answer, the server may have changed: the next list asks again.
            self._lists.forget()
        if reply.ok:
            return reply
        raise _error(reply)

    async def _send(self, wire: WireRequest) -> Reply:
        return await self._call(
            wire.method, wire.path, params=wire.params or None, json_body=wire.json_body
        )

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return with_header(request, "Authorization", self._headers["Authorization"])

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        await self._call("GET", "/")
        return f"Connected to Mothernode with access key {self._access_key}."

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        return tuple(
            EntityInfo(
                name=name,
                label=res.label,
                id_field=res.id_field,
                can_create=res.writable,
                can_update=res.writable,
                can_delete=res.writable,
                has_field_metadata=False,
                server_paging=False,
                server_sorting=False,
                filterable=True,
                max_page_size=_MAX_PAGE_SIZE,
                actions=(MAKE_OPPORTUNITY,) if res.opportunity is False else (),
            )
            for name, res in _RESOURCES.items()
        )

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        return _RESOURCES[entity].fields

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        res = _RESOURCES[info.name]
        params = dict(query.filters)
        if res.opportunity is not None:
            params["is_opportunity"] = "1" if res.opportunity else "0"
        key = (info.name, tuple(sorted(params.items())))
        records = await self._lists.get(key, query.page, lambda: self._fetch(res, params))
        by_name = {spec.name: spec for spec in res.fields}
        return page_locally(records, query, fields=by_name)

    async def _fetch(self, res: _Resource, params: Mapping[str, str]) -> tuple[Record, ...]:
        reply = await self._call("GET", res.path, params=params)
        items = _items(reply, _root(reply, res, plural=True), res)
        records = tuple(_record(reply, res, key, item) for key, item in items)
        if res.opportunity is None:
            return records
        # A server that ignored the filter must not mix leads and opportunities.
        return tuple(r for r in records if flag(r.values.get("is_opportunity")) == res.opportunity)

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        res = _RESOURCES[info.name]
        reply = await self._call("GET", f"{res.path}/{path_segment(record_id)}")
        items = _items(reply, _root(reply, res, plural=False), res)
        records = [_record(reply, res, key, item) for key, item in items]
        record = next((r for r in records if r.id == record_id), records[0] if records else None)
        if record is None:
            raise reply.error(f"{info.label}: {record_id} was not found.", kind=ErrorKind.NOT_FOUND)
        if res.opportunity is not None and flag(record.values.get("is_opportunity")) != (
            res.opportunity
        ):
            what = "an opportunity" if res.opportunity else "a lead (it is an opportunity)"
            raise reply.error(f"Lead {record_id} is not {what}.", kind=ErrorKind.NOT_FOUND)
        return record

    # Writes carry the record under its singular name: {"contact": {...}}.
    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        res = _RESOURCES[info.name]
        body = _wire_values(values)
        if res.opportunity is not None:
            body["is_opportunity"] = "1" if res.opportunity else "0"
        return WireRequest("POST", res.path, json_body={res.singular: body})

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        res = _RESOURCES[info.name]
        body = {res.singular: _wire_values(changes)}
        return WireRequest("PUT", f"{res.path}/{path_segment(record_id)}", json_body=body)

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        res = _RESOURCES[info.name]
        return WireRequest("DELETE", f"{res.path}/{path_segment(record_id)}")

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        res = _RESOURCES[info.name]
        created = _written(reply, res)
        if created is None:
            raise reply.error(
                f"The {res.singular} was created but the reply does not say its id.",
                kind=ErrorKind.PROTOCOL,
            )
        return ActionResult(
            f"Created {res.singular} {created.id}.",
            created_id=created.id,
            opens=(info.name, created.id),
        )

    def _updated(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        res = _RESOURCES[info.name]
        _written(reply, res)
        return ActionResult(f"Saved {res.singular} {record_id}.")

    def _deleted(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        return ActionResult(f"Deleted {_RESOURCES[info.name].singular} {record_id}.")

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        if action == MAKE_OPPORTUNITY.name:
            body = {"lead": {"is_opportunity": "1"}}
            reply = await self._call("PUT", f"leads/{path_segment(record_id)}", json_body=body)
            _written(reply, _RESOURCES["leads"])
            return ActionResult(
                f"Lead {record_id} is now an opportunity.",
                opens=("opportunities", record_id),
            )
        return await super()._run_action(info, record_id, action, args)


# -- reading replies -------------------------------------------------------------------------


def _root(reply: Reply, res: _Resource, *, plural: bool) -> tuple[bool, Any]:
    """(whether it is one record, the value) under the root key. The API uses the plural for
    lists and the singular for one record; either is accepted wherever it turns up."""
    body = json_object(reply, res.path if plural else res.singular)
    keys = (res.path, res.singular) if plural else (res.singular, res.path)
    for key in keys:
        if key in body:
            return key == res.singular, body[key]
    raise reply.error(
        f"The reply has neither a '{keys[0]}' nor a '{keys[1]}' key.", kind=ErrorKind.PROTOCOL
    )


def _items(
    reply: Reply, root: tuple[bool, Any], res: _Resource
) -> list[tuple[str | None, dict[str, Any]]]:
    """(key, object) pairs from a list, an object keyed by id (as invoices come), or the one
    record a singular root key holds."""
    single, value = root
    if isinstance(value, list):
        pairs: list[tuple[str | None, Any]] = [(None, item) for item in value]
    elif isinstance(value, dict) and single:
        pairs = [(None, value)]
    elif isinstance(value, dict):
        pairs = [(str(key), item) for key, item in value.items()]
    else:
        raise reply.error(
            f"The {res.path} in the reply are {type(value).__name__}, not a list or an object.",
            kind=ErrorKind.PROTOCOL,
        )
    for _, item in pairs:
        if not isinstance(item, dict):
            raise reply.error(
                f"A {res.singular} in the reply is {type(item).__name__}, not an object.",
                kind=ErrorKind.PROTOCOL,
            )
    return pairs


def _record(reply: Reply, res: _Resource, key: str | None, item: dict[str, Any]) -> Record:
    if res.path == "invoices":
        return _invoice(reply, key, item)
    record_id = item.get(res.id_field)
    if not isinstance(record_id, str | int) or isinstance(record_id, bool) or record_id == "":
        raise reply.error(
            f"A {res.singular} in the reply has no {res.id_field}.", kind=ErrorKind.PROTOCOL
        )
    return Record(str(record_id), _cleaned(item))


def _invoice(reply: Reply, key: str | None, item: dict[str, Any]) -> Record:
    header = item.get("header", item)
    detail = item.get("detail", [])
    if not isinstance(header, dict) or not isinstance(detail, list):
        raise reply.error(
            "An invoice in the reply has no header object or no detail list.",
            kind=ErrorKind.PROTOCOL,
        )
    number = key or header.get("invoice_number") or header.get("invoice_id")
    if not isinstance(number, str | int) or isinstance(number, bool) or number == "":
        raise reply.error("An invoice in the reply has no invoice number.", kind=ErrorKind.PROTOCOL)
    values = {name: v for name, v in header.items() if name != "detail"}
    values.setdefault("invoice_number", str(number))
    return Record(str(number), {**_cleaned(values), "detail": detail})


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    """The API writes "no date" as 0000-00-00; crmdesk shows it as empty."""
    return {
        name: None if isinstance(v, str) and v.strip() in _EMPTY_DATES else v
        for name, v in values.items()
    }


def _written(reply: Reply, res: _Resource) -> Record | None:
    """The record a create or update answered with; None for a 204, which has no body."""
    if reply.status == 204:
        return None
    items = _items(reply, _root(reply, res, plural=False), res)
    return _record(reply, res, *items[0]) if items else None


def _wire_values(values: Mapping[str, Any]) -> dict[str, str]:
    """Values as the API writes them: strings, flags as "0"/"1", no value as ""."""
    wire: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            wire[name] = ""
        elif isinstance(value, bool):
            wire[name] = "1" if value else "0"
        elif isinstance(value, int | float | str):
            wire[name] = str(value)
        else:
            raise ApiError(
                ErrorKind.INVALID,
                f"{name} holds {type(value).__name__}; Mothernode takes only text and numbers.",
            )
    return wire


_DEFAULT_MESSAGES = {
    401: "The access key or API password was not accepted.",
    403: "This access key may not do that (a read-only key, or one without API access).",
    404: "Mothernode has no such record.",
}


# Where the (undocumented) error bodies put their words, most likely first.
_ERROR_KEYS = ("message", "Message", "error_description", "error")


def _error(reply: Reply) -> ApiError:
    message = (
        vendor_message(reply, _ERROR_KEYS, unwrap="error")
        or reply.body_message()
        or _DEFAULT_MESSAGES.get(reply.status)
    )
    if reply.status == 429:
        wait = header_number(reply, "retry-after")
        retry_at = time.time() + wait if wait is not None else None
        return reply.error(message, kind=ErrorKind.RATE_LIMITED, retry_at=retry_at)
    return reply.error(message)


KIND = KindInfo(
    kind="mothernode",
    label="Mothernode",
    credentials=(
        CredentialField("access_key", "Access key"),
        CredentialField("api_password", "API password"),
    ),
    options=(
        OptionField(
            "list_cache_seconds",
            "Reuse a fetched list for (seconds)",
            30.0,
            "Mothernode sends whole lists; later pages reuse the fetch page 1 made.",
        ),
    ),
    default_base_url="https://api.mothernode.com",
    base_url_help="The API's address; https://api.mothernode.com unless told otherwise.",
    backend=Mothernode,
)
