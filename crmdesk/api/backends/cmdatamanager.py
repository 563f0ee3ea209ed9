"""CMDataManager (Campaign Master): token auth, server paging and sorting, string totals.

Wire facts and the decisions where the docs are silent: API-NOTES.md section 2 and DESIGN.md.
Reads are nested (`{"ExternalID", "Properties"}`), writes are flat maps.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.cmdatamanager_entities import (
    ADD_OPPORTUNITY,
    ADD_TASK,
    CLOSE_TASK,
    CONVERT_LEAD,
    NO_FIELD_METADATA,
    STANDARD,
    entity_info,
)
from crmdesk.api.backends.cmdatamanager_records import (
    RELATED,
    confirmation,
    read_external_id,
    read_field_spec,
    read_record,
)
from crmdesk.api.backends.parse import json_object, label_from_name, vendor_message
from crmdesk.api.backends.wire import path_segment, with_header
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange
from crmdesk.api.model import (
    ActionResult,
    EntityInfo,
    FieldSpec,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
    pages_for,
)
from crmdesk.api.numbers import header_number, read_count
from crmdesk.api.ratelimit import QuotaHeaders
from crmdesk.api.transport import Reply, Transport

_FIELDS_PAGE_SIZE = 200
# No entity has anywhere near 10,000 fields; a "Total Page" past this is not obeyed.
_MAX_FIELD_PAGES = 50
_QUOTA = QuotaHeaders("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset")
# Unix times: a token reset or quota reset later than this is no time at all.
_LATEST_TIME = 1e11

# The error body is undocumented: where servers of this kind put their words.
_ERROR_KEYS = ("Message", "message", "error_description", "error", "Error")


class CmDataManager(Backend):
    """A CMDataManager tenant. Logs in lazily, and again once on 401 or when the token resets."""

    kind = "cmdatamanager"

    def __init__(
        self,
        transport: Transport,
        *,
        credentials: Mapping[str, str],
        read_only: bool = False,
        custom_entities: tuple[str, ...] | list[str] = (),
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(transport, read_only=read_only)
        self._credentials = dict(credentials)
        self._custom = tuple(name.strip().lower() for name in custom_entities if name.strip())
        self._clock = clock
        self._token: str | None = None
        self._token_reset_at: float | None = None
        self._login_lock = asyncio.Lock()

    # -- authentication --------------------------------------------------------------------

    async def _valid_token(self) -> str:
        token = self._token
        if token is not None and not self._token_has_reset():
            return token
        return await self._login(stale=token)

    def _token_has_reset(self) -> bool:
        return self._token_reset_at is not None and self._clock() >= self._token_reset_at

    async def _login(self, stale: str | None) -> str:
        """Log in unless another call already replaced `stale`; one login in flight at a time."""
        async with self._login_lock:
            if self._token is not None and self._token != stale and not self._token_has_reset():
                return self._token
            reply = await self._transport.request(
                "POST",
                "authenticate",
                headers=self._login_headers(),
                governed=False,
                # Logging in changes nothing on the server: it may be sent again.
                repeatable=True,
                auth=True,
                note="token renewal" if stale is not None else "",
            )
            if reply.status in (401, 403):
                raise self._error(reply, ErrorKind.AUTH)
            if not reply.ok:
                raise self._error(reply)
            token = json_object(reply, "a login token").get("token")
            if not isinstance(token, str) or not token:
                raise reply.error("The login reply has no token.", kind=ErrorKind.PROTOCOL)
            if not (token.isascii() and token.isprintable()) or " " in token:
                # It could not be sent back in a Bearer header; refuse it now, not on every call.
                raise reply.error(
                    "The login reply's token holds characters an HTTP header cannot carry.",
                    kind=ErrorKind.PROTOCOL,
                )
            self._transport.redactor.add_secret(token)
            self._token = token
            self._token_reset_at = header_number(
                reply.headers, "x-token-reset", maximum=_LATEST_TIME
            )
            return token

    # -- one call, with re-login and one wait for the quota --------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        not_found_ok: bool = False,
    ) -> Reply:
        token = await self._valid_token()
        reply = await self._send_with(method, path, token, params, json_body)
        if reply.status == 401:
            # The token was not accepted, so the call did nothing: log in and send it again.
            token = await self._login(stale=token)
            reply = await self._send_with(
                method, path, token, params, json_body, reply.exchange, "after a new login"
            )
        if reply.status == 429:
            final_token = token
            reply = await self._after_quota_wait(
                reply,
                self._reset_at(reply),
                lambda before: self._send_with(
                    method, path, final_token, params, json_body, before, "after the quota reset"
                ),
                self._error,
            )
        if reply.ok or (not_found_ok and reply.status == 404):
            return reply
        raise self._error(reply)

    async def _send_with(
        self,
        method: str,
        path: str,
        token: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        retry_of: Exchange | None = None,
        note: str = "",
    ) -> Reply:
        reply = await self._transport.request(
            method,
            path,
            params=params,
            json_body=json_body,
            headers={"Authorization": f"Bearer {token}"},
            retry_of=retry_of,
            note=note,
        )
        self._observe(reply)
        return reply

    def _login_headers(self) -> dict[str, str]:
        names = ("client_id", "client_secret", "username", "password")
        return {name: self._credentials[name] for name in names}

    async def _send(self, wire: WireRequest) -> Reply:
        return await self._call(
            wire.method, wire.path, params=wire.params or None, json_body=wire.json_body
        )

    async def _authorize(self, request: RawRequest) -> RawRequest:
        if urlsplit(request.url).path.rstrip("/").endswith("/authenticate"):
            for name, value in self._login_headers().items():
                request = with_header(request, name, value)
            return request
        return with_header(request, "Authorization", f"Bearer {await self._valid_token()}")

    def _observe(self, reply: Reply) -> None:
        limit, remaining, reset_at = _QUOTA.read(reply.headers, self._clock())
        if limit is not None or remaining is not None:
            self.governor.observe(
                limit=limit, remaining=remaining, reset_at=reset_at, source=reply.exchange
            )
        token_reset = header_number(reply.headers, "x-token-reset", maximum=_LATEST_TIME)
        if token_reset is not None:
            self._token_reset_at = token_reset

    @staticmethod
    def _reset_at(reply: Reply) -> float | None:
        return header_number(reply.headers, "x-rate-limit-reset", maximum=_LATEST_TIME)

    def _error(self, reply: Reply, kind: ErrorKind | None = None) -> ApiError:
        message = vendor_message(reply, _ERROR_KEYS)
        retry_at = None
        if reply.status == 429:
            kind = ErrorKind.RATE_LIMITED
            retry_at = self._reset_at(reply)
        return reply.error(message, kind=kind, retry_at=retry_at)

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        await self._login(stale=self._token)
        reply = await self._call("GET", "account", params={"page": 1, "per_page": 1})
        total = read_count(json_object(reply, "the account list").get("Total Records"))
        user = self._credentials["username"]
        found = f"; {total:,} accounts" if total is not None else ""
        return f"Signed in as {user}{found}."

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        standard = [entity_info(name, label) for name, label in STANDARD]
        custom = [entity_info(name, name.replace("_", " ").capitalize()) for name in self._custom]
        return (*standard, *custom)

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        if entity in NO_FIELD_METADATA:
            return await self._fields_from_sample(entity)
        specs: dict[str, FieldSpec] = {}
        for page in range(1, _MAX_FIELD_PAGES + 1):
            reply = await self._call(
                "GET",
                f"{_path(entity)}/fields",
                params={"page": page, "per_page": _FIELDS_PAGE_SIZE},
            )
            body = json_object(reply, "the field list")
            items = body.get("Field")
            if not isinstance(items, list):
                raise reply.unexpected("the field list", "no 'Field' array")
            known = len(specs)
            for item in items:
                spec = read_field_spec(reply, item)
                specs.setdefault(spec.name, spec)
            total_pages = read_count(body.get("Total Page", body.get("Total Pages")))
            # A page that adds no field means the server is not paging as it says it is.
            if len(specs) == known or total_pages is None or page >= total_pages:
                break
        return tuple(specs.values())

    async def _fields_from_sample(self, entity: str) -> tuple[FieldSpec, ...]:
        """No metadata endpoint: name the fields the first records carry, edited as text."""
        page = await self._list(await self.entity(entity), Query(page=1, page_size=50))
        names: dict[str, None] = {}
        for record in page.records:
            names.update(dict.fromkeys(record.values))
        return tuple(
            FieldSpec(
                name, label_from_name(name), extra={"inferred": True}, relates_to=RELATED.get(name)
            )
            for name in names
        )

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        params: dict[str, Any] = {"page": query.page, "per_page": query.page_size}
        if query.sort is not None:
            params["sort_by"] = query.sort.field
            params["sort_order"] = "desc" if query.sort.descending else "asc"
        if query.fields:
            params["fields"] = ",".join(query.fields)
        reply = await self._call("GET", _path(info.name), params=params)
        body = json_object(reply, "the list of records")
        items = body.get("Entity")
        if not isinstance(items, list):
            raise reply.unexpected("the list of records", "no 'Entity' array")
        # An odd total (not a count) leaves the total unknown, never the page unread.
        total = read_count(body.get("Total Records"))
        pages = read_count(body.get("Total Pages"))
        if pages is None and total is not None:
            pages = pages_for(total, query.page_size)
        return Page(
            records=tuple(read_record(reply, item) for item in items),
            page=query.page,
            page_size=query.page_size,
            total_records=total,
            total_pages=pages,
            sort=query.sort,
        )

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        reply = await self._call("GET", _path(info.name, record_id))
        return read_record(reply, json_object(reply, "the record"))

    # Writes are flat maps of the fields to set, as the docs' samples send them.
    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        return WireRequest("POST", _path(info.name), json_body=values)

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        return WireRequest("PUT", _path(info.name, record_id), json_body=changes)

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        return WireRequest("DELETE", _path(info.name, record_id))

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        new_id = read_external_id(reply, "ExternalID")
        return ActionResult(
            f"Created {_singular(info)} {new_id}.", created_id=new_id, opens=(info.name, new_id)
        )

    def _updated(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        return ActionResult(confirmation(reply))

    def _deleted(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        return ActionResult(confirmation(reply))

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        rid = path_segment(record_id)
        if action == CONVERT_LEAD.name:
            reply = await self._call("PUT", f"lead/convert/{rid}", json_body=args)
            account = read_external_id(reply, "Account ExternalID")
            return ActionResult(
                f"Lead {record_id} converted; it is now account {account}.",
                created_id=account,
                opens=("account", account),
            )
        if action == CLOSE_TASK.name:
            # The docs spell this path two ways; the samples' lowercase form first.
            reply = await self._call("PUT", f"task/close/{rid}", json_body={}, not_found_ok=True)
            if reply.status == 404:
                reply = await self._call("PUT", f"Task/Close/{rid}", json_body={})
            return ActionResult(confirmation(reply))
        if action in (ADD_TASK.name, ADD_OPPORTUNITY.name):
            child = "task" if action == ADD_TASK.name else "opportunity"
            reply = await self._call("POST", f"{_path(info.name)}/{rid}/{child}", json_body=args)
            new_id = read_external_id(reply, "ExternalID")
            return ActionResult(
                f"Created {child} {new_id} for {_singular(info)} {record_id}.",
                created_id=new_id,
                opens=(child, new_id),
            )
        return await super()._run_action(info, record_id, action, args)


def _path(entity: str, record_id: str | None = None) -> str:
    if record_id is None:
        return path_segment(entity)
    return f"{path_segment(entity)}/{path_segment(record_id)}"


def _singular(info: EntityInfo) -> str:
    return info.name.replace("_", " ")
