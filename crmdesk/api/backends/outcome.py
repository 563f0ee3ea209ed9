"""Writes whose outcome is unknown: saying so honestly, and finding out by reading.

A write that went out and got no readable answer may have been applied. `failed_write` gives
its ApiError the write it was and marks it `outcome_unknown` where that is so; the checks here
read the record again (or look for it) and compare it with what was written, so the editing
layer knows before it offers to send the write again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.api import boundary
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import (
    EntityInfo,
    FieldSpec,
    FieldType,
    Outcome,
    OutcomeCheck,
    Record,
    WriteAttempt,
)
from crmdesk.api.sameness import same_value

# Gateway failures: the proxy lost the server's answer, not necessarily the server its work.
_GATEWAY_STATUSES = frozenset({502, 504})


def failed_write(error: ApiError, write: WriteAttempt | None) -> ApiError:
    """`error`, the failure of `write`, marked `outcome_unknown` where the write may have been
    applied: its own request got a success it could not read, or a gateway failure."""
    error.write = write
    exchange = error.exchange
    if exchange is None or exchange is not boundary.last_write() or error.outcome_unknown:
        return error
    status = exchange.status or 0
    if (error.kind is ErrorKind.PROTOCOL and 200 <= status < 300) or status in _GATEWAY_STATUSES:
        error.mark_outcome_unknown()
    return error


def compare_update(
    record: Record,
    written: Mapping[str, Any],
    what: str,
    kinds: Mapping[str, FieldType] | None = None,
) -> OutcomeCheck:
    """Whether `record` (read again) holds the values an update wrote; `kinds` are the
    fields' types where known, so amounts and dates compare by value."""
    kinds = kinds or {}
    differing, unknown = [], []
    for name, value in written.items():
        if name not in record.values:
            unknown.append(name)
        elif not same_value(value, record.values.get(name), kinds.get(name)):
            differing.append(name)
    if differing:
        return OutcomeCheck(
            Outcome.NOT_APPLIED,
            f"{what} does not hold the new {_names(differing)}: the change was not saved. "
            "Sending it again is safe.",
            record,
            safe_to_retry=True,
        )
    if unknown:
        return OutcomeCheck(
            Outcome.UNKNOWN,
            f"{what} was read again, but it shows no {_names(unknown)} to compare with what "
            "was sent; check it before sending the change again.",
            record,
        )
    return OutcomeCheck(Outcome.APPLIED, f"{what} holds the change: it was saved.", record)


def matching(records: tuple[Record, ...], written: Mapping[str, Any]) -> list[Record]:
    """The records that hold every value in `written`. Looking for a record a create made,
    text is matched regardless of case: servers store some values in their own case (an
    email in lower case)."""
    return [r for r in records if all(_holds(v, r.values.get(k)) for k, v in written.items())]


def _holds(written: Any, read: Any) -> bool:
    if same_value(written, read):
        return True
    both_text = isinstance(written, str) and isinstance(read, str)
    return both_text and written.strip().casefold() == read.strip().casefold()


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (" and more" if len(names) > 5 else "")


class FindsOutcomes:
    """The default ways a Backend finds out what became of a write (see `find_outcome`);
    a kind overrides those it can do better (a create it can search for, an action)."""

    async def get(self, entity: str, record_id: str) -> Record:
        raise NotImplementedError

    async def fields(self, entity: str) -> tuple[FieldSpec, ...]:
        raise NotImplementedError

    async def _check_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> OutcomeCheck:
        what = f"{info.label} record {record_id}"
        record = await self._read_again(info, record_id)
        if record is None:
            return OutcomeCheck(Outcome.NOT_APPLIED, f"{what} no longer exists.")
        return compare_update(record, self._as_read(info, changes), what, await self._kinds(info))

    async def _kinds(self, info: EntityInfo) -> dict[str, FieldType]:
        """The entity's field types, so values compare by what they mean; none when the
        fields cannot be read (values then compare as written)."""
        try:
            return {spec.name: spec.type for spec in await self.fields(info.name)}
        except ApiError:
            return {}

    async def _read_again(self, info: EntityInfo, record_id: str) -> Record | None:
        """The record as it is now, or None when the server says there is no such record."""
        try:
            return await self.get(info.name, record_id)
        except ApiError as error:
            if error.kind is not ErrorKind.NOT_FOUND:
                raise
            return None

    def _as_read(self, info: EntityInfo, changes: dict[str, Any]) -> dict[str, Any]:
        """Written values as a read of the record shows them (kinds that rename override)."""
        return changes

    async def _check_delete(self, info: EntityInfo, record_id: str) -> OutcomeCheck:
        what = f"{info.label} record {record_id}"
        record = await self._read_again(info, record_id)
        if record is None:
            return OutcomeCheck(Outcome.APPLIED, f"{what} is gone: it was deleted.")
        return OutcomeCheck(
            Outcome.NOT_APPLIED,
            f"{what} still exists: it was not deleted. Deleting it again is safe.",
            record,
            safe_to_retry=True,
        )

    async def _check_create(self, info: EntityInfo, values: dict[str, Any]) -> OutcomeCheck:
        return OutcomeCheck(
            Outcome.UNKNOWN,
            f"This API cannot search {info.label.lower()} by their values, so crmdesk cannot "
            "tell whether the record was created; look for it before creating it again.",
        )

    async def _check_action(
        self, info: EntityInfo, record_id: str, action: str, args: Mapping[str, Any]
    ) -> OutcomeCheck:
        label = info.action(action).label if action in _names_of(info) else action
        return OutcomeCheck(
            Outcome.UNKNOWN,
            f"crmdesk cannot tell over this API whether {label.lower()} on {record_id} was "
            "done; check the record before doing it again.",
        )


def _names_of(info: EntityInfo) -> set[str]:
    return {spec.name for spec in info.actions}
