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
- A 429 (the docs name no limit; a proxy may set one) is reported with when to retry.
- A create whose outcome is unknown is looked for by its values (any field filters a list).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from crmdesk.api.backends import mothernode_fields as fields
from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.local import FetchedLists, page_locally
from crmdesk.api.backends.mothernode_replies import (
    Resource,
    error_of,
    is_opportunity,
    read_items,
    read_record,
    read_root,
    read_written,
    wire_values,
)
from crmdesk.api.backends.outcome import matching
from crmdesk.api.backends.wire import basic_authorization, path_segment, with_header
from crmdesk.api.errors import ErrorKind
from crmdesk.api.model import (
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    Outcome,
    OutcomeCheck,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
)
from crmdesk.api.transport import Reply, Transport
from crmdesk.api.words import yes_no

_MAX_PAGE_SIZE = 1000

MAKE_OPPORTUNITY = ActionSpec(
    "make_opportunity",
    "Make opportunity",
    "Flag this lead as an opportunity; it moves to the Opportunities list.",
    creates="opportunities",
)


_RESOURCES = {
    "customers": Resource("customers", "customer", "customer_id", "Customers", fields.CUSTOMERS),
    "contacts": Resource("contacts", "contact", "contact_id", "Contacts", fields.CONTACTS),
    "leads": Resource("leads", "lead", "lead_id", "Leads", fields.LEADS, opportunity=False),
    "opportunities": Resource(
        "leads", "lead", "lead_id", "Opportunities", fields.LEADS, opportunity=True
    ),
    "notes": Resource("notes", "note", "note_id", "Notes and events", fields.NOTES),
    # An invoice's id is its number (the list is an object keyed by it), which the records
    # also carry as `invoice_number`: that field is the id's column, not a second one.
    "invoices": Resource(
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
        reply = await self._request(method, path, params, json_body)
        if method != "GET":
            # Whatever the answer, the server may have changed: the next list asks again.
            self._lists.forget()
        if reply.ok:
            return reply
        raise error_of(reply)

    async def _request(
        self, method: str, path: str, params: Mapping[str, str] | None, json_body: Any
    ) -> Reply:
        return await self._transport.request(
            method, path, params=params, json_body=json_body, headers=self._headers
        )

    async def _send(self, wire: WireRequest) -> Reply:
        return await self._call(
            wire.method, wire.path, params=wire.params or None, json_body=wire.json_body
        )

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return with_header(request, "Authorization", self._headers["Authorization"])

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        await self._call("GET", "/")
        # The access key is a credential: it is not shown, not even here.
        host = urlsplit(self.base_url).hostname or self.base_url
        return f"Connected to Mothernode at {host}: the access key and API password work."

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

    async def _fetch(self, res: Resource, params: Mapping[str, str]) -> tuple[Record, ...]:
        reply = await self._call("GET", res.path, params=params)
        items = read_items(reply, read_root(reply, res, plural=True), res)
        records = tuple(read_record(reply, res, key, item) for key, item in items)
        if res.opportunity is None:
            return records
        # A server that ignored the filter must not mix leads and opportunities.
        return tuple(r for r in records if is_opportunity(r) == res.opportunity)

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        res = _RESOURCES[info.name]
        reply = await self._call("GET", f"{res.path}/{path_segment(record_id)}")
        items = read_items(reply, read_root(reply, res, plural=False), res)
        records = [read_record(reply, res, key, item) for key, item in items]
        record = next((r for r in records if r.id == record_id), records[0] if records else None)
        if record is None:
            raise reply.error(f"{info.label}: {record_id} was not found.", kind=ErrorKind.NOT_FOUND)
        if res.opportunity is not None and is_opportunity(record) != res.opportunity:
            what = "an opportunity" if res.opportunity else "a lead (it is an opportunity)"
            raise reply.error(f"Lead {record_id} is not {what}.", kind=ErrorKind.NOT_FOUND)
        return record

    # Writes carry the record under its singular name: {"contact": {...}}.
    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        res = _RESOURCES[info.name]
        body = wire_values(values)
        if res.opportunity is not None:
            body["is_opportunity"] = "1" if res.opportunity else "0"
        return WireRequest("POST", res.path, json_body={res.singular: body})

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        res = _RESOURCES[info.name]
        body = {res.singular: wire_values(changes)}
        return WireRequest("PUT", f"{res.path}/{path_segment(record_id)}", json_body=body)

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        res = _RESOURCES[info.name]
        return WireRequest("DELETE", f"{res.path}/{path_segment(record_id)}")

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        res = _RESOURCES[info.name]
        created = read_written(reply, res)
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
        read_written(reply, res)
        return ActionResult(f"Saved {res.singular} {record_id}.")

    def _deleted(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        res = _RESOURCES[info.name]
        # 204 is the documented answer; a 200 must at least hold the record it deleted.
        if reply.status != 204:
            read_written(reply, res)
        return ActionResult(f"Deleted {res.singular} {record_id}.")

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        if action == MAKE_OPPORTUNITY.name:
            body = {"lead": {"is_opportunity": "1"}}
            reply = await self._call("PUT", f"leads/{path_segment(record_id)}", json_body=body)
            read_written(reply, _RESOURCES["leads"])
            return ActionResult(
                f"Lead {record_id} is now an opportunity.",
                opens=("opportunities", record_id),
            )
        return await super()._run_action(info, record_id, action, args)

    async def _check_create(self, info: EntityInfo, values: dict[str, Any]) -> OutcomeCheck:
        """Any field filters a list: look for a record holding every value written."""
        res = _RESOURCES[info.name]
        wanted = wire_values(values)
        filters = {k: v for k, v in wanted.items() if v}
        params = dict(filters)
        if res.opportunity is not None:
            params["is_opportunity"] = "1" if res.opportunity else "0"
        self._lists.forget()
        found = matching(await self._fetch(res, params), wanted)
        if len(found) == 1:
            return OutcomeCheck(
                Outcome.APPLIED, f"The {res.singular} was created: {found[0].id}.", found[0]
            )
        if found:
            return OutcomeCheck(
                Outcome.UNKNOWN,
                f"{len(found)} {res.path} hold these values, so crmdesk cannot tell whether "
                "one of them is the new one; look before creating it again.",
            )
        return OutcomeCheck(
            Outcome.NOT_APPLIED,
            f"No {res.singular} holds these values: it was not created. Creating it again is safe.",
            safe_to_retry=True,
        )

    async def _check_action(
        self, info: EntityInfo, record_id: str, action: str, args: Mapping[str, Any]
    ) -> OutcomeCheck:
        if action != MAKE_OPPORTUNITY.name:
            return await super()._check_action(info, record_id, action, args)
        return await self._check_update(
            await self.entity("leads"), record_id, {"is_opportunity": "1"}
        )

    async def _check_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> OutcomeCheck:
        # A lead made an opportunity is read from the opportunities' list.
        if info.name == "leads" and yes_no(changes.get("is_opportunity")):
            info = await self.entity("opportunities")
        return await super()._check_update(info, record_id, changes)

    def _as_read(self, info: EntityInfo, changes: dict[str, Any]) -> dict[str, Any]:
        return dict(wire_values(changes))
