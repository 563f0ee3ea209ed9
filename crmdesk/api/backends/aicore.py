"""The `/service` command API of the dealer-site platform (kind "aicore"): one form-POST URL.

Wire facts: API-NOTES.md section 5; decisions: DESIGN.md. Decisions taken here where both are
silent: a lead is read with `leads_get` narrowed by `search_params=lead_id=…` (the docs do not
list that filter, so a reply holding other leads means it was not applied, and the leads are
paged through instead), an event with
`events_get` narrowed by `event_id`; users and events are fetched whole and paged locally;
leads are filtered through `search_params` (and `user_id`), events by lead, user or event id;
`leads_get` is asked for at most 500 leads a page; bulk updates go out in `batch` calls of at
most 100 commands; the login id is not a secret (support needs to see which login was used).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from crmdesk.api.backends.aicore_replies import decode, http_error, item_error, status_error
from crmdesk.api.backends.aicore_schema import (
    ENTITIES,
    FIELDS,
    ID_FIELDS,
    MAX_LEADS_PAGE,
    SET_STATUS,
    command_form,
    creatable,
    form_value,
    update_command,
)
from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.hooks import ResultListener
from crmdesk.api.backends.local import page_locally
from crmdesk.api.backends.wire import form_field, with_form_fields
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import (
    ActionResult,
    EntityInfo,
    FieldSpec,
    OutcomeCheck,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
    pages_for,
)
from crmdesk.api.numbers import read_count
from crmdesk.api.transport import Reply, Transport

BATCH_SIZE = 100
# Looking for one lead page by page stops here (100,000 leads) whatever the totals say.
_MAX_LEAD_PAGES = 200
# Commands that only read: replaying them is allowed on a read-only connection.
_READS = frozenset({"ping", "leads_get", "events_get", "query_users", "user_get"})


class AiCore(Backend):
    """One dealer site's `/service` API. Every call carries the login; there is no session."""

    kind = "aicore"
    update_batch_size = BATCH_SIZE

    def __init__(
        self,
        transport: Transport,
        *,
        credentials: Mapping[str, str],
        read_only: bool = False,
    ) -> None:
        super().__init__(transport, read_only=read_only)
        self._login = {
            "ai_login_id": credentials["login_id"],
            "ai_login_password": credentials["login_password"],
        }
        # httpx gives the base URL a trailing slash; the API is the URL itself.
        self._url = transport.base_url.rstrip("/")

    # -- one command -----------------------------------------------------------------------

    async def _run(self, command: str, params: Mapping[str, Any]) -> tuple[Reply, Any]:
        """Run a command; the reply and its decoded body, whatever the body's status.

        Commands that only read are sent again by the transport after a dropped connection
        or a gateway error; a 429 is reported with when to retry (the docs name no limit).
        """
        signed = self._signed(WireRequest("POST", self._url, form=command_form(command, params)))
        form = signed.form
        assert form is not None
        reads = command in _READS
        reply = await self._transport.request("POST", self._url, form=form, repeatable=reads)
        if not reply.ok:
            raise http_error(reply, time.time())
        return reply, decode(reply)

    async def _command(
        self, command: str, params: Mapping[str, Any] | None = None
    ) -> tuple[Reply, dict[str, Any]]:
        """Run a command that must succeed: its reply and result (a status "0" mapping)."""
        reply, data = await self._run(command, params or {})
        error = status_error(reply, data)
        if error is not None:
            raise error
        return reply, data

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        await self._command("ping")
        host = urlsplit(self._url).hostname or self._url
        return (
            f"Connected to {host} as {self._login['ai_login_id']}: the login was accepted "
            "and the server answered ping."
        )

    async def _confirm_notifications(self) -> str:
        """`authenticate_notifications`: opens notification traffic after the listener answered
        the server's `authenticate` passively (seed 004)."""
        _, data = await self._command("authenticate_notifications")
        return _message(data, "Notifications authenticated.")

    async def _send(self, wire: WireRequest) -> Reply:
        form = dict(wire.form or {})
        reply, _ = await self._command(str(form.pop("ai_command", "")), form)
        return reply

    def _signed(self, wire: WireRequest) -> WireRequest:
        # The login first, as every example in the docs has it.
        return WireRequest(
            wire.method, wire.path, wire.params, form={**self._login, **(wire.form or {})}
        )

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return with_form_fields(request, self._login)

    def _is_write(self, request: RawRequest) -> bool:
        return form_field(request, "ai_command") not in _READS

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        return ENTITIES

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        return FIELDS[entity]

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        if info.name == "leads":
            return await self._list_leads(query)
        records = await self._fetch_all(info, query.filters)
        return page_locally(records, query, fields=_by_name(info.name))

    async def _list_leads(self, query: Query) -> Page:
        params: dict[str, Any] = {"page_number": query.page, "page_size": query.page_size}
        if query.fields:
            params["limit_fields"] = ",".join(query.fields)
        filters = dict(query.filters)
        if "user_id" in filters:
            params["user_id"] = filters.pop("user_id")
        if filters:
            params["search_params"] = urlencode(filters)
        reply, data = await self._command("leads_get", params)
        records = _records(reply, data, "leads", "lead_id")
        total = read_count(data.get("total_results"))
        # The server pages; a sort asked for is applied to this page only, and says so.
        page = page_locally(records, query, fields=_by_name("leads"), paged_by_server=True)
        if total is None:
            return page
        return replace(page, total_records=total, total_pages=pages_for(total, query.page_size))

    async def _fetch_all(self, info: EntityInfo, filters: Mapping[str, str]) -> list[Record]:
        if info.name == "users":
            reply, data = await self._command("query_users")
            return _records(reply, data, "users", "user_id")
        reply, data = await self._command("events_get", filters)
        return _records(reply, data, "events", "event_id")

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        if info.name == "users":
            reply, data = await self._command("user_get", {"user_id": record_id})
            values = {k: v for k, v in data.items() if k not in ("status", "status_message")}
            return _record(reply, values, "user_id")
        if info.name == "leads":
            params = {"search_params": urlencode({"lead_id": record_id}), "page_size": 1}
            reply, data = await self._command("leads_get", params)
            found = _records(reply, data, "leads", "lead_id")
            if found and all(record.id != record_id for record in found):
                # Other leads came back: the server did not narrow by lead_id.
                return await self._lead_by_paging(info, record_id)
        else:
            reply, data = await self._command("events_get", {"event_id": record_id})
            found = _records(reply, data, "events", "event_id")
        for record in found:
            if record.id == record_id:
                return record
        raise reply.error(f"There is no {_singular(info)} {record_id}.", kind=ErrorKind.NOT_FOUND)

    async def _lead_by_paging(self, info: EntityInfo, record_id: str) -> Record:
        seen: set[str] = set()
        reply: Reply | None = None
        for page in range(1, _MAX_LEAD_PAGES + 1):
            params = {"page_number": page, "page_size": MAX_LEADS_PAGE}
            reply, data = await self._command("leads_get", params)
            leads = _records(reply, data, "leads", "lead_id")
            for lead in leads:
                if lead.id == record_id:
                    return lead
            before = len(seen)
            seen.update(lead.id for lead in leads)
            total = read_count(data.get("total_results"))
            if len(leads) < MAX_LEADS_PAGE or len(seen) == before:
                break
            if total is not None and len(seen) >= total:
                break
        assert reply is not None
        raise reply.error(
            f"There is no lead {record_id} among the site's {len(seen):,} leads.",
            kind=ErrorKind.NOT_FOUND,
        )

    async def _check_action(
        self, info: EntityInfo, record_id: str, action: str, args: Mapping[str, Any]
    ) -> OutcomeCheck:
        if info.name == "leads" and action == SET_STATUS.name:
            changes = {k: args[k] for k in ("status", "custom_status") if args.get(k)}
            return await self._check_update(info, record_id, changes)
        return await super()._check_action(info, record_id, action, args)

    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        if info.name == "leads":
            return self._plan("create_lead", creatable(values, "leads"))
        return self._plan("event_set", {"mode": "insert", **creatable(values, "events")})

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        return self._plan(*update_command(info.name, record_id, changes))

    def _plan(self, command: str, params: Mapping[str, Any]) -> WireRequest:
        return WireRequest("POST", self._url, form=command_form(command, params))

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        data = decode(reply)
        id_field = ID_FIELDS[info.name]
        new_id = _new_id(reply, data.get(id_field) if isinstance(data, dict) else None, id_field)
        return ActionResult(
            f"Created {_singular(info)} {new_id}.", created_id=new_id, opens=(info.name, new_id)
        )

    def _updated(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        data = decode(reply)
        fallback = f"Saved {_singular(info)} {record_id}."
        if not isinstance(data, dict):
            return ActionResult(fallback)
        # A reply naming a record must name this one; otherwise the save is unconfirmed.
        named = data.get(ID_FIELDS[info.name])
        if named is not None and str(named).strip() != record_id:
            raise reply.unexpected(f"the saved {_singular(info)}'s id", repr(named)[:60])
        return ActionResult(_message(data, fallback))

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        if info.name == "leads" and action == SET_STATUS.name:
            changes = {
                k: args[k] for k in ("status", "custom_status") if args.get(k) not in (None, "")
            }
            if "status" not in changes:
                raise ApiError(ErrorKind.INVALID, "Give the lead's new status; nothing was sent.")
            result = await self.update("leads", record_id, changes)
            return ActionResult(result.message, opens=("leads", record_id))
        return await super()._run_action(info, record_id, action, args)

    # -- bulk ------------------------------------------------------------------------------

    async def _update_many(
        self,
        info: EntityInfo,
        updates: dict[str, dict[str, Any]],
        report: ResultListener,
    ) -> None:
        """Save changes to many records through `batch`, at most BATCH_SIZE a call.

        A record's failure is its ApiError (the API reports some as bare strings); it does not
        stop the others. If the first batch call fails as a whole, that error is raised, since
        nothing was saved; if a later one does, its records get that error.
        """
        pending: list[tuple[str, dict[str, Any]]] = []
        for record_id, changes in updates.items():
            if not changes:
                report(record_id, ActionResult("Nothing to save."))
                continue
            try:
                command, params = update_command(info.name, record_id, changes)
            except ApiError as refused:
                # A value the API will not take is refused for its record alone.
                report(record_id, refused)
                continue
            pending.append((record_id, {"ai_command": command, **params}))
        sent_any = False
        for start in range(0, len(pending), BATCH_SIZE):
            chunk = pending[start : start + BATCH_SIZE]
            try:
                reply, items = await self._batch([item for _, item in chunk])
            except ApiError as error:
                if not sent_any:
                    raise
                for record_id, _ in chunk:
                    report(record_id, error)
                continue
            sent_any = True
            for index, (record_id, _) in enumerate(chunk):
                report(record_id, _batch_result(reply, items, index, info, record_id))

    async def _batch(self, calls: list[dict[str, Any]]) -> tuple[Reply, list[Any]]:
        text = json.dumps([{k: form_value(k, v) for k, v in c.items()} for c in calls])
        reply, data = await self._run("batch", {"json": text})
        if isinstance(data, list):
            return reply, data
        # A whole-call failure (a bad login) comes back as an ordinary status reply.
        error = status_error(reply, data)
        raise error or reply.unexpected("a list of results, one a command")


def _batch_result(
    reply: Reply, items: list[Any], index: int, info: EntityInfo, record_id: str
) -> ActionResult | ApiError:
    if index >= len(items):
        return reply.unexpected("a result for this record")
    error = item_error(reply, items[index])
    if error is not None:
        return error
    return ActionResult(_message(items[index], f"Saved {_singular(info)} {record_id}."))


def _records(reply: Reply, data: dict[str, Any], key: str, id_field: str) -> list[Record]:
    # PHP drops an empty array from URL-encoded pairs altogether: absent means none.
    items = data.get(key, [])
    if not isinstance(items, list):
        raise reply.unexpected(f"the list of {key}", type(items).__name__)
    return [_record(reply, item, id_field) for item in items]


def _record(reply: Reply, item: Any, id_field: str) -> Record:
    if not isinstance(item, dict):
        raise reply.error("A record in the reply is not an object.", kind=ErrorKind.PROTOCOL)
    record_id = item.get(id_field)
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or record_id == "":
        raise reply.error(f"A record in the reply has no {id_field}.", kind=ErrorKind.PROTOCOL)
    return Record(str(record_id), item)


def _new_id(reply: Reply, value: Any, id_field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise reply.error(
            f"The reply has no {id_field} of the new record.", kind=ErrorKind.PROTOCOL
        )
    return str(value)


def _message(data: Mapping[str, Any], fallback: str) -> str:
    """The server's own words for a success ("Lead Updated"), or ours when it sent none."""
    raw = data.get("status_message")
    if isinstance(raw, list):
        raw = "; ".join(str(m).strip() for m in raw if str(m).strip())
    if not isinstance(raw, str) or not raw.strip():
        return fallback
    text = raw.strip()
    return text if text.endswith(".") else text + "."


def _singular(info: EntityInfo) -> str:
    return info.name.removesuffix("s")


def _by_name(entity: str) -> dict[str, FieldSpec]:
    return {spec.name: spec for spec in FIELDS[entity]}
