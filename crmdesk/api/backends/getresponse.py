"""GetResponse APIv3: `X-Auth-Token: api-key …`, paging headers, POST to update, 202 creates.

Wire facts and the decisions where the docs are silent: API-NOTES.md section 4 and DESIGN.md.
Decisions taken here: a contact create is queued (202, no id) and reported so; campaigns cannot
be deleted; sorting on a field the API does not sort by is refused before the network rather
than done locally over one page, which would mislead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.getresponse_fields import (
    ADD_TAGS,
    FIELDS,
    ID_FIELDS,
    entities,
    flatten,
    wire_changes,
)
from crmdesk.api.backends.outcome import matching
from crmdesk.api.backends.parse import json_object
from crmdesk.api.backends.wire import path_segment, with_header
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange
from crmdesk.api.model import (
    ActionResult,
    EntityInfo,
    FieldSpec,
    Outcome,
    OutcomeCheck,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
    pages_for,
)
from crmdesk.api.numbers import read_count, read_number
from crmdesk.api.ratelimit import RESET_HORIZON, QuotaHeaders
from crmdesk.api.transport import Reply, Transport

# X-RateLimit-Reset is seconds left, written like "432 seconds".
_QUOTA = QuotaHeaders(
    "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", reset_in_seconds=True
)
_AUTH_CODE = 1014
_THROTTLED_CODE = 1015


class GetResponse(Backend):
    """A GetResponse account (or a MAX account with `domain`)."""

    kind = "getresponse"

    def __init__(
        self,
        transport: Transport,
        *,
        credentials: Mapping[str, str],
        read_only: bool = False,
        domain: str = "",
        time_zone: str = "",
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(transport, read_only=read_only)
        self._headers = {"X-Auth-Token": f"api-key {credentials['api_key']}"}
        if domain.strip():
            self._headers["X-Domain"] = domain.strip()
        if time_zone.strip():
            self._headers["X-Time-Zone"] = time_zone.strip()
        self._clock = clock

    # -- one call, with one wait for the quota ----------------------------------------------

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
    ) -> Reply:
        reply = await self._request(method, path, params, json_body)
        if reply.status == 429:
            # Throttled calls are not processed, so even a POST may be sent again after the wait.
            reply = await self._after_quota_wait(
                reply,
                self._retry_at(reply),
                lambda before: self._request(method, path, params, json_body, before),
                self._error,
            )
        if reply.ok:
            return reply
        raise self._error(reply)

    async def _request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        json_body: Any,
        retry_of: Exchange | None = None,
    ) -> Reply:
        reply = await self._transport.request(
            method,
            path,
            params=params,
            json_body=json_body,
            headers=self._headers,
            retry_of=retry_of,
            note="after the quota reset" if retry_of is not None else "",
        )
        self._observe(reply)
        return reply

    async def _send(self, wire: WireRequest) -> Reply:
        return await self._call(
            wire.method, wire.path, params=wire.params or None, json_body=wire.json_body
        )

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return with_header(request, "X-Auth-Token", self._headers["X-Auth-Token"])

    def _observe(self, reply: Reply) -> None:
        limit, remaining, reset_at = _QUOTA.read(reply.headers, self._clock())
        if limit is not None or remaining is not None:
            self.governor.observe(
                limit=limit, remaining=remaining, reset_at=reset_at, source=reply.exchange
            )

    def _in_seconds(self, value: Any) -> float | None:
        """ "432 seconds" (or a bare number) from now, as Unix time."""
        seconds = read_number(value, maximum=RESET_HORIZON, leading=True)
        return None if seconds is None else self._clock() + seconds

    def _retry_at(self, reply: Reply) -> float | None:
        context = _error_body(reply).get("context")
        if isinstance(context, Mapping):
            at = self._in_seconds(context.get("timeToReset"))
            if at is not None:
                return at
        return self._in_seconds(reply.headers.get("x-ratelimit-reset"))

    def _error(self, reply: Reply) -> ApiError:
        body = _error_body(reply)
        code = body.get("code")
        message = body.get("message")
        kind: ErrorKind | None = None
        retry_at = None
        if code == _AUTH_CODE and reply.status in (401, 403):
            kind = ErrorKind.AUTH
        if reply.status == 429 or code == _THROTTLED_CODE:
            kind = ErrorKind.RATE_LIMITED
            retry_at = self._retry_at(reply)
        if not isinstance(message, str) or not message.strip():
            message = reply.plain_message()
        more_info = body.get("moreInfo")
        return reply.error(
            message,
            kind=kind,
            vendor_code=str(code) if isinstance(code, int) and not isinstance(code, bool) else None,
            context=body.get("context"),
            more_info=more_info if isinstance(more_info, str) else None,
            retry_at=retry_at,
        )

    # -- the contract ----------------------------------------------------------------------

    async def _test_connection(self) -> str:
        # The smallest authenticated read: one list, one field.
        reply = await self._call("GET", "campaigns", params={"perPage": 1, "fields": "name"})
        _items(reply)
        total = _header_count(reply, "TotalCount")
        found = f"; the account has {total:,} lists" if total is not None else ""
        return f"Connected with the API key{found}."

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        return entities()

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        return FIELDS[entity]

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        params: dict[str, Any] = {"page": query.page, "perPage": query.page_size}
        if query.sort is not None:
            spec = next((f for f in FIELDS[info.name] if f.name == query.sort.field), None)
            if spec is None or not spec.sortable:
                raise ApiError(
                    ErrorKind.UNSUPPORTED, f"{info.label} cannot be sorted by {query.sort.field}."
                )
            params[f"sort[{query.sort.field}]"] = "DESC" if query.sort.descending else "ASC"
        for name, value in query.filters.items():
            field, _, edge = name.partition(".")
            params[f"query[{field}][{edge}]" if edge else f"query[{field}]"] = value
        if query.fields:
            params["fields"] = ",".join(_wire_fields(query.fields))
        reply = await self._call("GET", info.name, params=params)
        records = tuple(_record(reply, item, ID_FIELDS[info.name]) for item in _items(reply))
        total = _header_count(reply, "TotalCount")
        pages = _header_count(reply, "TotalPages")
        if pages is None and total is not None:
            pages = pages_for(total, query.page_size)
        return Page(
            records=records,
            page=query.page,
            page_size=query.page_size,
            total_records=total,
            total_pages=pages,
            sort=query.sort,
        )

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        reply = await self._call("GET", f"{info.name}/{path_segment(record_id)}")
        return _record(reply, json_object(reply, "the record"), ID_FIELDS[info.name])

    # Updates POST only what changed; arrays (tags, custom field values) go whole.
    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        return WireRequest("POST", info.name, json_body=wire_changes(info.name, values))

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        path = f"{info.name}/{path_segment(record_id)}"
        return WireRequest("POST", path, json_body=wire_changes(info.name, changes))

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        return WireRequest("DELETE", f"{info.name}/{path_segment(record_id)}")

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        if reply.status == 202:
            # Queued: the server sends no id, and the record may appear later or not at all.
            what = values.get("email") or values.get("name") or "the new record"
            return ActionResult(
                f"{_singular(info).capitalize()} {what} was queued; it will appear when "
                "GetResponse has processed it (contacts needing confirmation appear once they "
                "confirm).",
                queued=True,
            )
        created = _record(reply, json_object(reply, "the new record"), ID_FIELDS[info.name])
        return ActionResult(
            f"Created {_singular(info)} {created.id}.",
            created_id=created.id,
            opens=(info.name, created.id),
        )

    def _updated(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        # The API answers an update with the record; without it the save is unconfirmed.
        _record(reply, json_object(reply, "the saved record"), ID_FIELDS[info.name])
        return ActionResult(f"Saved {_singular(info)} {record_id}.")

    def _deleted(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        # The API answers a delete 204; any other success says something else happened.
        if reply.status != 204:
            raise reply.unexpected("the confirmation of a delete (204 No Content)")
        return ActionResult(f"Deleted {_singular(info)} {record_id}.")

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        if action == ADD_TAGS.name:
            tags = args.get("tags")
            if isinstance(tags, str):
                tags = [t.strip() for t in tags.split(",") if t.strip()]
            if not isinstance(tags, list | tuple) or not tags:
                raise ApiError(ErrorKind.INVALID, "Give the ids of the tags to add.")
            body = wire_changes("contacts", {"tags": list(tags)})
            reply = await self._call(
                "POST", f"contacts/{path_segment(record_id)}/tags", json_body=body
            )
            now = reply.json()
            if not isinstance(now, list) or not all(
                isinstance(tag, dict) and tag.get("tagId") for tag in now
            ):
                raise reply.unexpected("the contact's tags")
            return ActionResult(f"Contact {record_id} now has {len(now)} tags.")
        return await super()._run_action(info, record_id, action, args)

    async def _check_create(self, info: EntityInfo, values: dict[str, Any]) -> OutcomeCheck:
        """A contact is looked for by its email (in its list); other creates cannot be."""
        email = values.get("email")
        if info.name != "contacts" or not isinstance(email, str) or not email.strip():
            return await super()._check_create(info, values)
        filters = {"email": email.strip()}
        if values.get("campaignId"):
            filters["campaignId"] = str(values["campaignId"])
        page = await self.list("contacts", Query(page_size=100, filters=filters))
        found = matching(page.records, filters)
        if found:
            return OutcomeCheck(
                Outcome.APPLIED, f"Contact {email} exists: it was created.", found[0]
            )
        return OutcomeCheck(
            Outcome.UNKNOWN,
            f"No contact {email} is in the list yet. GetResponse creates contacts from a queue, "
            "so it may still appear (a contact awaiting confirmation appears once confirmed); "
            "sending it again is safe, as a list refuses a second contact with one email.",
            safe_to_retry=True,
        )


def _singular(info: EntityInfo) -> str:
    return {"campaigns": "list", "custom-fields": "custom field"}.get(info.name, info.name[:-1])


def _wire_fields(fields: tuple[str, ...]) -> list[str]:
    wire = {"campaignId": "campaign", "campaignName": "campaign"}
    stats = {"uploadedContacts", "addedContacts", "updatedContacts", "invalidContacts"}
    return list(dict.fromkeys("statistics" if f in stats else wire.get(f, f) for f in fields))


def _items(reply: Reply) -> list[Any]:
    data = reply.json()
    if not isinstance(data, list):
        raise reply.unexpected("the list of records", f"not an array: {type(data).__name__}")
    return data


def _record(reply: Reply, item: Any, id_field: str) -> Record:
    if not isinstance(item, dict):
        raise reply.error("A record in the reply is not an object.", kind=ErrorKind.PROTOCOL)
    record_id = item.get(id_field)
    if not isinstance(record_id, str) or not record_id:
        raise reply.error(f"A record in the reply has no {id_field}.", kind=ErrorKind.PROTOCOL)
    return Record(record_id, flatten(item))


def _header_count(reply: Reply, name: str) -> int | None:
    """A paging header (int32 in the OpenAPI); None when it is missing or not such a count,
    which leaves the total unknown and the page's records as good as they are."""
    return read_count(reply.headers.get(name))


def _error_body(reply: Reply) -> dict[str, Any]:
    """The ErrorResponse, or {} when the body is something else (an HTML page, nothing)."""
    try:
        data = reply.json()
    except ApiError:
        return {}
    return data if isinstance(data, dict) else {}
