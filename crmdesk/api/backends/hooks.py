"""What each kind of backend implements for the Backend contract, and the defaults it may keep.

`Backend` (base.py) is the contract the rest of crmdesk calls; these are the underscored
methods behind it, one set per wire format.
"""

from __future__ import annotations

import abc
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from crmdesk.api.backends.outcome import FindsOutcomes, failed_write
from crmdesk.api.boundary import last_exchange, unreadable
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import (
    ActionPreview,
    ActionResult,
    ActionSpec,
    EntityInfo,
    FieldSpec,
    Page,
    Query,
    RawRequest,
    Record,
    WireRequest,
    WriteAttempt,
)

if TYPE_CHECKING:
    from crmdesk.api.exchange import Exchange
    from crmdesk.api.ratelimit import RateLimitGovernor
    from crmdesk.api.transport import Reply

# Reports one record's outcome as soon as it is known (bulk updates).
ResultListener = Callable[[str, "ActionResult | ApiError"], None]
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class KindHooks(FindsOutcomes, abc.ABC):
    """The methods a kind implements (abstract) or may override (the defaults here), and the
    steps every kind's calls share."""

    async def update(self, entity: str, record_id: str, changes: Mapping[str, Any]) -> ActionResult:
        raise NotImplementedError

    @property
    def governor(self) -> RateLimitGovernor:
        raise NotImplementedError

    # -- shared by the kinds -----------------------------------------------------------------

    async def _after_quota_wait(
        self,
        refused: Reply,
        retry_at: float | None,
        send: Callable[[Exchange], Awaitable[Reply]],
        error: Callable[[Reply], ApiError],
    ) -> Reply:
        """A 429: the server did not act on the call, so it may go once more, after the
        governor has waited for the quota to reset. When that wait is unknown or longer than
        the governor waits unasked (or this is "Test connection"), the 429 itself is the
        error: its exchange, status and when to retry."""
        self.governor.exhausted(retry_at, refused.exchange)
        if not self.governor.will_wait():
            raise error(refused)
        return await send(refused.exchange)

    async def _write(
        self,
        attempt: WriteAttempt,
        send: Callable[[], Awaitable[Reply]],
        read: Callable[[Reply], ActionResult],
    ) -> ActionResult:
        """Send a write and read its reply; a failure carries `attempt`, and says when the
        write may have been applied all the same (`ApiError.outcome_unknown`)."""
        try:
            return read(await send())
        except ApiError as error:
            raise failed_write(error, attempt) from None
        except Exception as exc:
            raise failed_write(unreadable(exc, last_exchange()), attempt) from exc

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

    async def _confirm_notifications(self) -> str:
        raise ApiError(ErrorKind.UNSUPPORTED, "This API sends no notifications to confirm.")


def _labelled(spec: ActionSpec) -> list[tuple[str, str]]:
    return [(f.name, f.label) for f in spec.inputs]
