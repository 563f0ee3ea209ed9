"""The Backend contract: what every kind of API offers the rest of crmdesk.

Public methods are the same for every kind and check what can be checked before the network
(read-only connections, operations an entity does not support); subclasses implement the
underscored methods for their wire format.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Self

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import ExchangeLog
from crmdesk.api.model import (
    ActionResult,
    Capabilities,
    EntityInfo,
    FieldSpec,
    Page,
    Query,
    Record,
)
from crmdesk.api.ratelimit import RateLimitGovernor

if TYPE_CHECKING:
    # Only for annotations: importing the transport loads httpx, which start-up can do without.
    from crmdesk.api.transport import Transport


class Backend(abc.ABC):
    """One open connection to one API. Use it as `async with`; it closes its client on exit."""

    kind: ClassVar[str]
    capabilities: ClassVar[Capabilities]

    def __init__(self, transport: Transport, *, read_only: bool = False) -> None:
        self.transport = transport
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
        await self.transport.aclose()

    @property
    def name(self) -> str:
        return self.transport.connection

    @property
    def exchange_log(self) -> ExchangeLog:
        return self.transport.log

    @property
    def governor(self) -> RateLimitGovernor:
        return self.transport.governor

    # -- the contract ----------------------------------------------------------------------

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

    def forget_fields(self, entity: str | None = None) -> None:
        """Drop cached field metadata so the next `fields()` asks the server again."""
        if entity is None:
            self._fields.clear()
        else:
            self._fields.pop(entity, None)

    async def list(self, entity: str, query: Query) -> Page:
        info = await self.entity(entity)
        if query.page_size > info.max_page_size:
            raise ApiError(
                ErrorKind.UNSUPPORTED,
                f"{info.label} can be listed at most {info.max_page_size} records a page.",
            )
        if query.filters and not info.filterable:
            raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} cannot be filtered.")
        return await self._list(info, query)

    async def get(self, entity: str, record_id: str) -> Record:
        return await self._get(await self.entity(entity), record_id)

    async def create(self, entity: str, values: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "create", lambda i: i.can_create)
        return await self._create(info, dict(values))

    async def update(self, entity: str, record_id: str, changes: Mapping[str, Any]) -> ActionResult:
        info = await self._writable(entity, "update", lambda i: i.can_update)
        if not changes:
            return ActionResult("Nothing to save.")
        return await self._update(info, record_id, dict(changes))

    async def delete(self, entity: str, record_id: str) -> ActionResult:
        info = await self._writable(entity, "delete", lambda i: i.can_delete)
        return await self._delete(info, record_id)

    async def run_action(
        self,
        entity: str,
        record_id: str,
        action: str,
        args: Mapping[str, Any] | None = None,
    ) -> ActionResult:
        info = await self.entity(entity)
        try:
            spec = info.action(action)
        except KeyError as exc:
            raise ApiError(ErrorKind.UNSUPPORTED, str(exc.args[0])) from None
        self._check_writes_allowed(spec.label)
        return await self._run_action(info, record_id, action, dict(args or {}))

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
    async def _create(self, info: EntityInfo, values: dict[str, Any]) -> ActionResult: ...

    @abc.abstractmethod
    async def _update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> ActionResult: ...

    @abc.abstractmethod
    async def _delete(self, info: EntityInfo, record_id: str) -> ActionResult: ...

    async def _run_action(
        self, info: EntityInfo, record_id: str, action: str, args: dict[str, Any]
    ) -> ActionResult:
        raise ApiError(ErrorKind.UNSUPPORTED, f"{info.label} has no action {action!r}.")
