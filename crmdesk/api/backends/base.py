"""The Backend contract: what every kind of API offers the rest of crmdesk.

Public methods are the same for every kind and check what can be checked before the network
(read-only connections, operations an entity does not support); subclasses implement the
underscored methods for their wire format. Nothing outside a backend reaches its transport:
every request goes through a contract method, so the read-only check cannot be skipped.

What an entity can do is said once, in its `EntityInfo` (paging, sorting, filters, writes,
actions); what a kind needs and whether its server pushes notifications, in its `KindInfo`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

from crmdesk.api.backends.hooks import KindHooks, ResultListener
from crmdesk.api.backends.outcome import failed_write
from crmdesk.api.boundary import call_boundary, last_exchange, unreadable
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange, ExchangeLog
from crmdesk.api.model import (
    ActionPreview,
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    OutcomeCheck,
    Page,
    PlannedWrite,
    Query,
    RawRequest,
    Record,
    WriteAttempt,
)
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.redact import REDACTED

if TYPE_CHECKING:
    # Only for annotations: importing the transport loads httpx, which start-up can do without.
    from crmdesk.api.transport import Transport

# Reports one record's outcome as soon as it is known (bulk updates).
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Backend(KindHooks):
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

    @call_boundary
    async def test_connection(self) -> str:
        """Make the cheapest call that proves the address and credentials work; say so in words.

        It never waits for a spent quota: it says so at once (a RATE_LIMITED error)."""
        with self.governor.not_waiting():
            return await self._test_connection()

    @call_boundary
    async def entities(self) -> tuple[EntityInfo, ...]:
        if self._entities is None:
            self._entities = {info.name: info for info in await self._list_entities()}
        return tuple(self._entities.values())

    @call_boundary
    async def entity(self, name: str) -> EntityInfo:
        await self.entities()
        assert self._entities is not None
        try:
            return self._entities[name]
        except KeyError:
            raise ApiError(
                ErrorKind.UNSUPPORTED, f"This connection has no entity called {name!r}."
            ) from None

    @call_boundary
    async def fields(self, entity: str) -> tuple[FieldSpec, ...]:
        """The fields of an entity (cached for the life of the connection)."""
        await self.entity(entity)
        if entity not in self._fields:
            self._fields[entity] = await self._fields_of(entity)
        return self._fields[entity]

    @call_boundary
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

    @call_boundary
    async def get(self, entity: str, record_id: str) -> Record:
        return await self._get(await self.entity(entity), record_id)

    # -- writing ---------------------------------------------------------------------------

    @call_boundary
    async def create(self, entity: str, values: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "create", lambda i: i.can_create)
        wire = self._plan_create(info, dict(values))
        attempt = WriteAttempt("create", entity, values=values)
        return await self._write(
            attempt,
            lambda: self._send(wire),
            lambda reply: self._created(info, dict(values), reply),
        )

    @call_boundary
    async def update(self, entity: str, record_id: str, changes: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "update", lambda i: i.can_update)
        if not changes:
            return ActionResult("Nothing to save.")
        wire = self._plan_update(info, record_id, dict(changes))
        attempt = WriteAttempt("update", entity, record_id, changes)
        return await self._write(
            attempt, lambda: self._send(wire), lambda reply: self._updated(info, record_id, reply)
        )

    @call_boundary
    async def delete(self, entity: str, record_id: str) -> ActionResult:
        info = await self._writable(entity, "delete", lambda i: i.can_delete)
        wire = self._plan_delete(info, record_id)
        attempt = WriteAttempt("delete", entity, record_id)
        return await self._write(
            attempt, lambda: self._send(wire), lambda reply: self._deleted(info, record_id, reply)
        )

    @call_boundary
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
            if isinstance(result, ApiError) and result.write is None:
                attempt = WriteAttempt("update", entity, record_id, updates.get(record_id, {}))
                result = failed_write(result, attempt)
            results[record_id] = result
            if on_result is not None:
                on_result(record_id, result)

        try:
            await self._update_many(info, {k: dict(v) for k, v in updates.items()}, report)
        except ApiError as error:
            raise failed_write(error, None) from None
        return {record_id: results[record_id] for record_id in updates if record_id in results}

    @call_boundary
    async def plan_create(self, entity: str, values: Mapping[str, Any]) -> PlannedWrite:
        """The request a create would send, for review; nothing is sent."""
        info = await self._writable(entity, "create", lambda i: i.can_create)
        return self._transport.preview(self._signed(self._plan_create(info, dict(values))))

    @call_boundary
    async def plan_update(
        self, entity: str, record_id: str, changes: Mapping[str, Any]
    ) -> PlannedWrite:
        """The request an update would send, for review; nothing is sent. Values the API will
        refuse are refused here already, as they would be by `update`."""
        info = await self._writable(entity, "update", lambda i: i.can_update)
        wire = self._plan_update(info, record_id, dict(changes))
        return self._transport.preview(self._signed(wire))

    @call_boundary
    async def plan_delete(self, entity: str, record_id: str) -> PlannedWrite:
        info = await self._writable(entity, "delete", lambda i: i.can_delete)
        return self._transport.preview(self._signed(self._plan_delete(info, record_id)))

    # -- actions ---------------------------------------------------------------------------

    @call_boundary
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

    @call_boundary
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

    @call_boundary
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
        attempt = WriteAttempt("action", entity, record_id, args or {}, action)
        try:
            return await self._run_action(info, record_id, action, dict(args or {}))
        except ApiError as error:
            raise failed_write(error, attempt) from None
        except Exception as exc:
            raise failed_write(unreadable(exc, last_exchange()), attempt) from exc

    # -- notifications and replay ----------------------------------------------------------

    @call_boundary
    async def confirm_notifications(self) -> str:
        """Open notification traffic after the listener answered the server's `authenticate`
        passively. Allowed on read-only connections: it changes no record."""
        return await self._confirm_notifications()

    # -- writes whose outcome is unknown ---------------------------------------------------

    @call_boundary
    async def find_outcome(self, write: WriteAttempt) -> OutcomeCheck:
        """Find out, by reading only, whether a write whose outcome is unknown was applied.

        For the ApiError of a write that is `outcome_unknown`: `await find_outcome(error.write)`
        before offering to send it again. An update's record is read again and compared with
        what was written; a deleted record is looked for (gone means deleted); a created one
        is looked for where the API can search by its values, and otherwise the answer says
        crmdesk cannot tell; an action is checked where its kind can tell (NDCHost lists the
        licenses of the ordered IP and product). Nothing is written. Raises ApiError when the
        reading itself fails.
        """
        info = await self.entity(write.entity)
        if write.verb == "update" and write.record_id is not None:
            return await self._check_update(info, write.record_id, dict(write.values))
        if write.verb == "delete" and write.record_id is not None:
            return await self._check_delete(info, write.record_id)
        if write.verb == "create":
            return await self._check_create(info, dict(write.values))
        if write.verb == "action" and write.record_id is not None and write.action:
            return await self._check_action(info, write.record_id, write.action, write.values)
        raise ApiError(ErrorKind.INVALID, f"crmdesk cannot check a {write.verb!r} write.")

    @call_boundary
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


def _action(info: EntityInfo, action: str) -> ActionSpec:
    try:
        return info.action(action)
    except KeyError as exc:
        raise ApiError(ErrorKind.UNSUPPORTED, str(exc.args[0])) from None
