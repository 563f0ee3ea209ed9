"""Writes whose outcome is unknown: saying so honestly, and finding out by reading.

A write that went out and got no readable answer may have been applied. `failed_write` gives
its ApiError the write it was and marks it `outcome_unknown` where that is so; the checks here
read the record again (or look for it) and compare it with what was written, so the editing
layer knows before it offers to send the write again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crmdesk.api import boundary
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import EntityInfo, Outcome, OutcomeCheck, Record, WriteAttempt
from crmdesk.api.words import yes_no

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


def compare_update(record: Record, written: Mapping[str, Any], what: str) -> OutcomeCheck:
    """Whether `record` (read again) holds the values an update wrote."""
    differing, unknown = [], []
    for name, value in written.items():
        same = same_value(value, record.values.get(name)) if name in record.values else None
        if same is None:
            unknown.append(name)
        elif not same:
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
            f"{what} was read again, but its {_names(unknown)} cannot be compared with what "
            "was sent; check it before sending the change again.",
            record,
        )
    return OutcomeCheck(Outcome.APPLIED, f"{what} holds the change: it was saved.", record)


def matching(records: tuple[Record, ...], written: Mapping[str, Any]) -> list[Record]:
    """The records that hold every value in `written`."""
    return [
        r
        for r in records
        if all(same_value(v, r.values.get(k)) is True for k, v in written.items())
    ]


def same_value(written: Any, read: Any) -> bool | None:
    """Whether a value read back is the one written; None when the two cannot be compared
    (a list written as ids and read back as objects, say)."""
    if _blank(written) and _blank(read):
        return True
    if isinstance(written, dict | list) or isinstance(read, dict | list):
        try:
            return json.dumps(written, sort_keys=True) == json.dumps(read, sort_keys=True) or None
        except (TypeError, ValueError):
            return None
    as_written, as_read = str(written).strip(), str(read).strip()
    if as_written.casefold() == as_read.casefold():
        return True
    flags = yes_no(written), yes_no(read)
    if None not in flags:
        return flags[0] == flags[1]
    try:
        return float(as_written) == float(as_read)
    except ValueError:
        return False


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _names(names: list[str]) -> str:
    return ", ".join(names[:5]) + (" and more" if len(names) > 5 else "")


class FindsOutcomes:
    """The default ways a Backend finds out what became of a write (see `find_outcome`);
    a kind overrides those it can do better (a create it can search for, an action)."""

    async def get(self, entity: str, record_id: str) -> Record:
        raise NotImplementedError

    async def _check_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> OutcomeCheck:
        what = f"{info.label} record {record_id}"
        record = await self._read_again(info, record_id)
        if record is None:
            return OutcomeCheck(Outcome.NOT_APPLIED, f"{what} no longer exists.")
        return compare_update(record, self._as_read(info, changes), what)

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
