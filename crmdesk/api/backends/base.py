"""The Backend contract: what every kind of API offers the rest of crmdesk.

Public methods are the same for every kind and check what can be checked before the network
(read-only connections, operations an entity does not support); subclasses implement the
underscored methods for their wire format. Nothing outside a backend reaches its transport:
every request goes through a contract method, so the read-only check cannot be skipped.

What an entity can do is said once, in its `EntityInfo` (paging, sorting, filters, writes,
actions); what a kind needs and whether its server pushes notifications, in its `KindInfo`.
"""

from __future__ import annotations

import abc
import base64
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange, ExchangeLog
from crmdesk.api.model import (
    ActionPreview,
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    Page,
    PlannedWrite,
    Query,
    RawRequest,
    Record,
    WireRequest,
)
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.redact import REDACTED

if TYPE_CHECKING:
    # Only for annotations: importing the transport loads httpx, which start-up can do without.
    from crmdesk.api.transport import Reply, Transport

# Reports one record's outcome as soon as it is known (bulk updates).
ResultListener = Callable[[str, "ActionResult | ApiError"], None]
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_FORM = "application/x-www-form-urlencoded"


def path_segment(value: str) -> str:
    """One path segment, so an id can never step into another path."""
    return quote(value, safe="")


class Backend(abc.ABC):
    """One open connection to one API. Use it as `async with`; it closes its client on exit."""

    kind: ClassVar[str]
    # How many records one request of `update_many` carries: 1 where records are saved one
    # by one; a kind with a bulk call says its size, so a caller whose save is cancelled
    # knows which records were on the way together.
    update_batch_size: ClassVar[int] = 1

    def __init__(self, transport: Transport, *, read_only: bool = False) -> None:
        self._transport = transport
        self.read_only = read_only
        self._entities: dict[str, EntityInfo] | None = None
        self._fields: dict[str, tuple[FieldSpec, ...]] = {}

    # -- lifecycle -------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._transport.aclose()

    @property
    def closed(self) -> bool:
        return self._transport.closed

    @property
    def name(self) -> str:
        return self._transport.connection

    @property
    def connection_id(self) -> str:
        return self._transport.connection_id

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def exchange_log(self) -> ExchangeLog:
        return self._transport.log

    @property
    def governor(self) -> RateLimitGovernor:
        return self._transport.governor

    # -- reading ---------------------------------------------------------------------------

    async def test_connection(self) -> str:
        """Make the cheapest call that proves the address and credentials work; say so in words."""
        return await self._test_connection()

    async def entities(self) -> tuple[EntityInfo, ...]:
        if self._entities is None:
            self._entities = {info.name: info for info in await self._list_entities()}
        return tuple(self._entities.values())

    async def entity(self, name: str) -> EntityInfo:
        await self.entities()
        assert self._entities is not None
        try:
            return self._entities[name]
        except KeyError:
            raise ApiError(
                ErrorKind.UNSUPPORTED, f"This connection has no entity called {name!r}."
            ) from None

    async def fields(self, entity: str) -> tuple[FieldSpec, ...]:
        """The fields of an entity (cached for the life of the connection)."""
        await self.entity(entity)
        if entity not in self._fields:
            self._fields[entity] = await self._fields_of(entity)
        return self._fields[entity]

    async def list(self, entity: str, query: Query) -> Page:
        info = await self.entity(entity)
        if query.page_size > info.max_page_size:
            raise ApiError(
                ErrorKind.UNSUPPORTED,
                f"{info.label} can be listed at most {info.max_page_size} records a page.",
            )
        if query.filters and not info.filterable:
            raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be filtered.")
        unknown = sorted(set(query.filters) - set(info.filters)) if info.filters else []
        if unknown:
            raise ApiError(
                ErrorKind.UNSUPPORTED,
                f"{info.label} cannot be filtered by {', '.join(unknown)}; "
                f"it can be by {', '.join(info.filters)}.",
            )
        return await self._list(info, query)

    async def get(self, entity: str, record_id: str) -> Record:
        return await self._get(await self.entity(entity), record_id)

    # -- writing ---------------------------------------------------------------------------

    async def create(self, entity: str, values: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "create", lambda i: i.can_create)
        wire = self._plan_create(info, dict(values))
        return self._created(info, dict(values), await self._send(wire))

    async def update(self, entity: str, record_id: str, changes: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "update", lambda i: i.can_update)
        if not changes:
            return ActionResult("Nothing to save.")
        wire = self._plan_update(info, record_id, dict(changes))
        return self._updated(info, record_id, await self._send(wire))

    async def delete(self, entity: str, record_id: str) -> ActionResult:
        info = await self._writable(entity, "delete", lambda i: i.can_delete)
        wire = self._plan_delete(info, record_id)
        return self._deleted(info, record_id, await self._send(wire))

    async def update_many(
        self,
        entity: str,
        updates: Mapping[str, Mapping[str, Any]],
        *,
        on_result: ResultListener | None = None,
    ) -> dict[str, ActionResult | ApiError]:
        """Save changes to many records; one result per record, in the order given.

        A record's failure is its ApiError and does not stop the others. `on_result` hears of
        each record as soon as its outcome is known, so a cancelled save still knows which
        records were saved. Kinds with a bulk call (aicore's `batch`) send fewer requests.
        """
        info = await self._writable(entity, "update", lambda i: i.can_update)
        results: dict[str, ActionResult | ApiError] = {}

        def report(record_id: str, result: ActionResult | ApiError) -> None:
            results[record_id] = result
            if on_result is not None:
                on_result(record_id, result)

        await self._update_many(info, {k: dict(v) for k, v in updates.items()}, report)
        return {record_id: results[record_id] for record_id in updates if record_id in results}

    async def plan_create(self, entity: str, values: Mapping[str, Any]) -> PlannedWrite:
        """The request a create would send, for review; nothing is sent."""
        info = await self._writable(entity, "create", lambda i: i.can_create)
        return self._transport.preview(self._signed(self._plan_create(info, dict(values))))

    async def plan_update(
        self, entity: str, record_id: str, changes: Mapping[str, Any]
    ) -> PlannedWrite:
        """The request an update would send, for review; nothing is sent. Values the API will
        refuse are refused here already, as they would be by `update`."""
        info = await self._writable(entity, "update", lambda i: i.can_update)
        wire = self._plan_update(info, record_id, dict(changes))
        return self._transport.preview(self._signed(wire))

    async def plan_delete(self, entity: str, record_id: str) -> PlannedWrite:
        info = await self._writable(entity, "delete", lambda i: i.can_delete)
        return self._transport.preview(self._signed(self._plan_delete(info, record_id)))

    # -- actions ---------------------------------------------------------------------------

    async def action_inputs(
        self, entity: str, record_id: str, action: str
    ) -> tuple[FieldSpec, ...]:
        """The values `action` takes, as fields a form can be built from (with their choices)."""
        info = await self.entity(entity)
        spec = _action(info, action)
        if spec.inputs:
            return await self._action_inputs(info, record_id, spec, spec.inputs)
        if spec.takes_values and spec.creates is not None:
            created = await self.fields(spec.creates)
            return tuple(f for f in created if not f.read_only)
        return ()

    async def preview_action(
        self,
        entity: str,
        record_id: str,
        action: str,
        args: Mapping[str, Any] | None = None,
    ) -> ActionPreview:
        """What `action` will do and cost, without doing it (it may read from the server)."""
        info = await self.entity(entity)
        spec = _action(info, action)
        return await self._preview_action(info, record_id, spec, dict(args or {}))

    async def run_action(
        self,
        entity: str,
        record_id: str,
        action: str,
        args: Mapping[str, Any] | None = None,
    ) -> ActionResult:
        info = await self.entity(entity)
        spec = _action(info, action)
        self._check_writes_allowed(spec.label)
        return await self._run_action(info, record_id, action, dict(args or {}))

    # -- notifications and replay ----------------------------------------------------------

    async def confirm_notifications(self) -> str:
        """Open notification traffic after the listener answered the server's `authenticate`
        passively. Allowed on read-only connections: it changes no record."""
        raise ApiError(ErrorKind.UNSUPPORTED, "This API sends no notifications to confirm.")

    async def replay(self, request: RawRequest) -> Exchange:
        """Send a recorded (or imported) request again, signed with this connection's current
        authentication, and only to this connection's own server.

        Read-only connections refuse what would write. The reply, whatever its status, is the
        returned Exchange; an ApiError means no reply arrived (it carries its exchange).
        """
        self._check_own_server(request.url)
        if self.writes(request):
            self._check_writes_allowed("the replayed request")
        signed = await self._authorize(request)
        where = next(
            (f"header {name}" for name, value in signed.headers if REDACTED in value),
            "the URL"
            if REDACTED in signed.url
            else "the body"
            if REDACTED.encode() in signed.body
            else None,
        )
        if where is not None:
            raise ApiError(
                ErrorKind.INVALID,
                f"The request still holds a redacted value in {where} that this connection "
                "does not supply; edit it before sending. Nothing was sent.",
            )
        reply = await self._transport.send_raw(signed, note="replay")
        return reply.exchange

    def writes(self, request: RawRequest) -> bool:
        """Whether sending `request` could change data on this kind's server (so a production
        connection asks first and a read-only one refuses): by method, or by the command a
        form names for the kinds whose every call is a POST."""
        return self._is_write(request)

    # -- checks before the network ---------------------------------------------------------

    def _check_writes_allowed(self, what: str) -> None:
        if self.read_only:
            raise ApiError(
                ErrorKind.READ_ONLY,
                f"This connection is read-only; {what} was not sent.",
            )

    async def _writable(
        self, entity: str, verb: str, allowed: Callable[[EntityInfo], bool]
    ) -> EntityInfo:
        info = await self.entity(entity)
        self._check_writes_allowed(f"the {verb}")
        if not allowed(info):
            raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} records cannot be {verb}d here.")
        return info

    def _check_own_server(self, url: str) -> None:
        own, asked = urlsplit(self.base_url), urlsplit(url)
        if (asked.scheme, asked.netloc.lower()) != (own.scheme, own.netloc.lower()):
            raise ApiError(
                ErrorKind.INVALID,
                f"{url} is not on this connection's server ({own.scheme}://{own.netloc}); "
                "crmdesk sends a connection's credentials only to its own server. Nothing was "
                "sent.",
            )

    # -- shared by the kinds -----------------------------------------------------------------

    async def _after_quota_wait(
        self,
        refused: Reply,
        retry_at: float | None,
        send: Callable[[Exchange], Awaitable[Reply]],
        error: Callable[[Reply], ApiError],
    ) -> Reply:
        """A 429: the server did not act on the call, so it may go once more, after the
        governor has waited for the quota to reset. If the governor will not wait that long,
        the 429 itself is the error (with its exchange and when to retry)."""
        self.governor.exhausted(retry_at)
        try:
            return await send(refused.exchange)
        except ApiError as waited:
            if waited.kind is ErrorKind.RATE_LIMITED and waited.exchange is None:
                raise error(refused) from None
            raise

    # -- what each kind implements ---------------------------------------------------------

    @abc.abstractmethod
    async def _test_connection(self) -> str: ...

    @abc.abstractmethod
    async def _list_entities(self) -> tuple[EntityInfo, ...]: ...

    @abc.abstractmethod
    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]: ...

    @abc.abstractmethod
    async def _list(self, info: EntityInfo, query: Query) -> Page: ...

    @abc.abstractmethod
    async def _get(self, info: EntityInfo, record_id: str) -> Record: ...

    @abc.abstractmethod
    async def _send(self, wire: WireRequest) -> Reply:
        """Send a planned write with this kind's authentication and error reading; a reply
        that is not a success is raised as its ApiError."""

    @abc.abstractmethod
    async def _authorize(self, request: RawRequest) -> RawRequest:
        """`request` with this kind's current authentication in place of what was recorded."""

    def _signed(self, wire: WireRequest) -> WireRequest:
        """`wire` with the credentials the kind carries in the request itself (form fields)."""
        return wire

    def _is_write(self, request: RawRequest) -> bool:
        return request.method.upper() not in _SAFE_METHODS

    def _plan_create(self, info: EntityInfo, values: dict[str, Any]) -> WireRequest:
        raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be created over this API.")

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be changed over this API.")

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be deleted over this API.")

    def _created(self, info: EntityInfo, values: dict[str, Any], reply: Reply) -> ActionResult:
        return ActionResult(f"Created a {info.label.lower()} record.")

    def _updated(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        return ActionResult(f"Saved {record_id}.")

    def _deleted(self, info: EntityInfo, record_id: str, reply: Reply) -> ActionResult:
        return ActionResult(f"Deleted {record_id}.")

    async def _update_many(
        self,
        info: EntityInfo,
        updates: dict[str, dict[str, Any]],
        report: ResultListener,
    ) -> None:
        """One update after another; a kind with a bulk call overrides this."""
        for record_id, changes in updates.items():
            try:
                result: ActionResult | ApiError = await self.update(info.name, record_id, changes)
            except ApiError as error:
                result = error
            report(record_id, result)

    async def _action_inputs(
        self,
        info: EntityInfo,
        record_id: str,
        spec: ActionSpec,
        inputs: tuple[FieldSpec, ...],
    ) -> tuple[FieldSpec, ...]:
        """The declared inputs, with choices only the server knows filled in by kinds that can."""
        return inputs

    async def _preview_action(
        self, info: EntityInfo, record_id: str, spec: ActionSpec, args: dict[str, Any]
    ) -> ActionPreview:
        summary = spec.description or f"{spec.label} on {record_id}."
        facts = tuple((label, str(args[name])) for name, label in _labelled(spec) if args.get(name))
        return ActionPreview(spec, summary, facts)

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} has no action {action!r}.")


def _action(info: EntityInfo, action: str) -> ActionSpec:
    try:
        return info.action(action)
    except KeyError as exc:
        raise ApiError(ErrorKind.UNSUPPORTED, str(exc.args[0])) from None


def _labelled(spec: ActionSpec) -> list[tuple[str, str]]:
    return [(f.name, f.label) for f in spec.inputs]


# -- replacing recorded authentication (replay) ------------------------------------------------


def with_header(request: RawRequest, name: str, value: str | None) -> RawRequest:
    """`request` with header `name` set to `value` (removed when None), case-insensitively."""
    kept = tuple((k, v) for k, v in request.headers if k.lower() != name.lower())
    headers = (*kept, (name, value)) if value is not None else kept
    return RawRequest(request.method, request.url, headers, request.body)


def with_form_fields(request: RawRequest, fields: Mapping[str, str]) -> RawRequest:
    """A form body with `fields` set (added when missing), the other pairs kept in order."""
    pairs = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    replaced = [(k, fields.get(k, v)) for k, v in pairs]
    replaced += [(k, v) for k, v in fields.items() if k not in dict(pairs)]
    body = urlencode(replaced).encode()
    request = with_header(request, "Content-Type", _FORM)
    return RawRequest(request.method, request.url, request.headers, body)


def form_field(request: RawRequest, name: str) -> str | None:
    pairs = parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
    return next((v for k, v in pairs if k == name), None)


def basic_authorization(user: str, password: str) -> str:
    pair = f"{user}:{password}".encode()
    return "Basic " + base64.b64encode(pair).decode("ascii")
