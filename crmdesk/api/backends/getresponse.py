"""GetResponse APIv3: `X-Auth-Token: api-key …`, paging headers, POST to update, 202 creates.

Wire facts and the decisions where the docs are silent: API-NOTES.md section 4 and DESIGN.md.
Decisions taken here: a contact create is queued (202, no id) and reported so; campaigns cannot
be deleted; sorting on a field the API does not sort by is refused before the network rather
than done locally over one page, which would mislead.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.getresponse_fields import (
    ADD_TAGS,
    FIELDS,
    FILTERS,
    ID_FIELDS,
    entities,
    flatten,
    wire_changes,
)
from crmdesk.api.backends.parse import header_number, json_object
from crmdesk.api.backends.registry import (
    CredentialField,
    KindInfo,
    NotificationProtocol,
    OptionField,
)
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import (
    ActionResult,
    Capabilities,
    EntityInfo,
    FieldSpec,
    Page,
    Query,
    Record,
    pages_for,
)
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.transport import Reply, Transport

_SECONDS = re.compile(r"\s*(\d+(?:\.\d+)?)")
_AUTH_CODE = 1014
_THROTTLED_CODE = 1015


class GetResponse(Backend):
    """A GetResponse account (or a MAX account with `domain`)."""

    kind = "getresponse"
    capabilities = Capabilities(
        server_paging=True,
        server_sorting=True,
        filters=True,
        field_metadata=False,
        named_actions=True,
        notifications=True,  # webhooks, taken by the app's listener
    )

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
        reply = await self._send(method, path, params, json_body)
        if reply.status == 429:
            # Throttled calls are not processed, so even a POST may be sent again after the wait.
            self.governor.exhausted(self._retry_at(reply))
            reply = await self._send(method, path, params, json_body)
        if reply.ok:
            return reply
        raise self._error(reply)

    async def _send(
        self, method: str, path: str, params: Mapping[str, Any] | None, json_body: Any
    ) -> Reply:
        reply = await self.transport.request(
            method, path, params=params, json_body=json_body, headers=self._headers
        )
        self._observe(reply)
        return reply

    def _observe(self, reply: Reply) -> None:
        limit = header_number(reply, "x-ratelimit-limit")
        remaining = header_number(reply, "x-ratelimit-remaining")
        if limit is not None or remaining is not None:
            self.governor.observe(
                limit=int(limit) if limit is not None else None,
                remaining=int(remaining) if remaining is not None else None,
                reset_at=self._in_seconds(reply.headers.get("x-ratelimit-reset")),
            )

    def _in_seconds(self, value: Any) -> float | None:
        """ "432 seconds" (or a bare number) from now, as Unix time."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return self._clock() + float(value)
        found = _SECONDS.match(value) if isinstance(value, str) else None
        return self._clock() + float(found.group(1)) if found else None

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
        total = header_number(reply, "TotalCount")
        found = f"; the account has {int(total):,} lists" if total is not None else ""
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
            if name not in FILTERS[info.name]:
                raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be filtered by {name}.")
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
        reply = await self._call("GET", f"{info.name}/{_seg(record_id)}")
        return _record(reply, json_object(reply, "record"), ID_FIELDS[info.name])

    async def _create(self, info: EntityInfo, values: dict[str, Any]) -> ActionResult:
        reply = await self._call("POST", info.name, json_body=wire_changes(info.name, values))
        if reply.status == 202 or not reply.body.strip():
            # Queued: the server sends no id, and the record may appear later or not at all.
            what = values.get("email") or values.get("name") or "the new record"
            return ActionResult(
                f"{_singular(info).capitalize()} {what} was queued; GetResponse adds it shortly "
                "(contacts needing confirmation appear once they confirm).",
                queued=True,
            )
        created = _record(reply, json_object(reply, "create"), ID_FIELDS[info.name])
        return ActionResult(f"Created {_singular(info)} {created.id}.", created_id=created.id)

    async def _update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> ActionResult:
        path = f"{info.name}/{_seg(record_id)}"
        reply = await self._call("POST", path, json_body=wire_changes(info.name, changes))
        if reply.body.strip():
            _record(reply, json_object(reply, "update"), ID_FIELDS[info.name])
        return ActionResult(f"Saved {_singular(info)} {record_id}.")

    async def _delete(self, info: EntityInfo, record_id: str) -> ActionResult:
        await self._call("DELETE", f"{info.name}/{_seg(record_id)}")
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
            reply = await self._call("POST", f"contacts/{_seg(record_id)}/tags", json_body=body)
            now = reply.json()
            if not isinstance(now, list):
                raise reply.error("The tags reply is not a list.", kind=ErrorKind.PROTOCOL)
            return ActionResult(f"Contact {record_id} now has {len(now)} tags.")
        return await super()._run_action(info, record_id, action, args)


def _seg(value: str) -> str:
    """One path segment, so an id can never step into another path."""
    return quote(value, safe="")


def _singular(info: EntityInfo) -> str:
    return {"campaigns": "list", "custom-fields": "custom field"}.get(info.name, info.name[:-1])


def _wire_fields(fields: tuple[str, ...]) -> list[str]:
    wire = {"campaignId": "campaign", "campaignName": "campaign"}
    stats = {"uploadedContacts", "addedContacts", "updatedContacts", "invalidContacts"}
    return list(dict.fromkeys("statistics" if f in stats else wire.get(f, f) for f in fields))


def _items(reply: Reply) -> list[Any]:
    data = reply.json()
    if not isinstance(data, list):
        raise reply.error(
            f"The list reply is {type(data).__name__} where an array was expected.",
            kind=ErrorKind.PROTOCOL,
        )
    return data


def _record(reply: Reply, item: Any, id_field: str) -> Record:
    if not isinstance(item, dict):
        raise reply.error("A record in the reply is not an object.", kind=ErrorKind.PROTOCOL)
    record_id = item.get(id_field)
    if not isinstance(record_id, str) or not record_id:
        raise reply.error(f"A record in the reply has no {id_field}.", kind=ErrorKind.PROTOCOL)
    return Record(record_id, flatten(item))


def _header_count(reply: Reply, name: str) -> int | None:
    raw = reply.headers.get(name)
    if raw is None:
        return None
    if not raw.strip().isdigit():
        raise reply.error(f"The {name} header is {raw!r}, not a number.", kind=ErrorKind.PROTOCOL)
    return int(raw.strip())


def _error_body(reply: Reply) -> dict[str, Any]:
    """The ErrorResponse, or {} when the body is something else (an HTML page, nothing)."""
    try:
        data = reply.json()
    except ApiError:
        return {}
    return data if isinstance(data, dict) else {}


KIND = KindInfo(
    kind="getresponse",
    label="GetResponse",
    credentials=(CredentialField("api_key", "API key"),),
    options=(
        OptionField(
            "domain",
            "Domain (MAX accounts)",
            "",
            "GetResponse MAX only: your domain without https://, sent as X-Domain.",
        ),
        OptionField(
            "time_zone",
            "Time zone",
            "",
            "A tz database name such as Europe/Warsaw for the dates in replies (default UTC).",
        ),
    ),
    default_base_url="https://api.getresponse.com/v3",
    base_url_help="https://api.getresponse.com/v3, or api3.getresponse360.com/v3 (.pl) for MAX",
    backend=GetResponse,
    governor=lambda: RateLimitGovernor(max_in_flight=10, per_second=80),
    notifications=NotificationProtocol.GETRESPONSE_WEBHOOK,
)
