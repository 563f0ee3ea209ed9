"""Create, delete and run an action: one way to do each write, reported and logged like a save.

Each returns a RecordResult and never raises an ApiError: a failure is FAILED with the
server's words, GetResponse's 202 create is QUEUED with no id. A write that may or may not
have been done (its answer was lost, or it was cancelled on the way) is never sent again
behind the user's back: `Backend.find_outcome` reads the server to find out
(crmdesk.editing.outcomes), and the result says what it found. A cancel before anything was
sent cancels as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crmdesk.api import ActionResult, ApiError, Backend, FieldSpec, WriteAttempt
from crmdesk.editing import cancel
from crmdesk.editing.outcomes import look
from crmdesk.editing.results import Outcome, RecordResult
from crmdesk.editing.values import missing_required
from crmdesk.editing.watch import LatestExchange

if TYPE_CHECKING:
    from crmdesk.editing.changelog import ChangeLog


async def create_record(
    backend: Backend,
    connection_id: str,
    entity: str,
    values: Mapping[str, Any],
    changelog: ChangeLog | None = None,
) -> RecordResult:
    """Create a record from a form's values (already read with `parse_value`)."""
    result = await _create(backend, entity, dict(values))
    if changelog is not None:
        can_delete = await _can_delete(backend, entity)
        await cancel.logged(
            changelog.record_create(
                connection_id, backend.name, entity, values, result, can_undo=can_delete
            )
        )
    return result


async def delete_record(
    backend: Backend,
    connection_id: str,
    entity: str,
    record_id: str,
    *,
    before: Mapping[str, Any] | None = None,
    changelog: ChangeLog | None = None,
    undoes: str | None = None,
) -> RecordResult:
    """Delete a record; `before` (its values as shown) is kept in the change log."""
    result = await _delete(backend, entity, record_id)
    if changelog is not None:
        await cancel.logged(
            changelog.record_delete(
                connection_id, backend.name, entity, record_id, before, result, undoes=undoes
            )
        )
    return result


async def run_record_action(
    backend: Backend,
    connection_id: str,
    entity: str,
    record_id: str,
    action: str,
    args: Mapping[str, Any] | None = None,
    *,
    changelog: ChangeLog | None = None,
    undoes: str | None = None,
) -> RecordResult:
    """Run a named action (convert, close, order…) on one record.

    For an action that can be undone, the values it will replace are read first, so the
    change log can put them back.
    """
    given = dict(args or {})
    try:
        spec = (await backend.entity(entity)).action(action)
    except (ApiError, KeyError) as error:
        words = error.message if isinstance(error, ApiError) else str(error.args[0])
        return RecordResult(record_id, Outcome.FAILED, f"Not sent: {words.rstrip('.')}.")
    undoable = spec.undoable and bool(given)
    before = await _values_before(backend, entity, record_id, given) if undoable else None
    result = await _action(backend, entity, record_id, action, given, spec.inputs)
    if changelog is not None:
        await cancel.logged(
            changelog.record_action(
                connection_id,
                backend.name,
                entity,
                record_id,
                action,
                given,
                result,
                undoable=spec.undoable,
                before=before,
                undoes=undoes,
            )
        )
    return result


# -- the writes ------------------------------------------------------------------------------


async def _create(backend: Backend, entity: str, values: dict[str, Any]) -> RecordResult:
    try:
        fields = await backend.fields(entity)
    except ApiError as error:
        why = error.summary.rstrip(".")
        return _failed("", f"Not sent: the fields could not be read ({why}).", error)
    locked = [f.label for f in fields if f.read_only and f.name in values]
    if locked:
        return _failed("", f"Not sent: {', '.join(locked)} cannot be set (read-only).")
    missing = missing_required(fields, values)
    if missing:
        names = ", ".join(spec.label for spec in missing)
        return _failed("", f"Not sent: fill in the required fields first: {names}.")
    write = WriteAttempt("create", entity, values=values)
    sent = await _send(backend, write, "", lambda: backend.create(entity, values))
    if isinstance(sent, RecordResult):
        return sent
    done, seen = sent
    if done.queued:
        return RecordResult("", Outcome.QUEUED, done.message, exchange=seen.exchange)
    return _done(done.created_id or "", done, seen)


async def _delete(backend: Backend, entity: str, record_id: str) -> RecordResult:
    write = WriteAttempt("delete", entity, record_id)
    sent = await _send(backend, write, record_id, lambda: backend.delete(entity, record_id))
    if isinstance(sent, RecordResult):
        return sent
    return _done(record_id, *sent)


async def _action(
    backend: Backend,
    entity: str,
    record_id: str,
    action: str,
    args: dict[str, Any],
    inputs: Sequence[FieldSpec],
) -> RecordResult:
    missing = missing_required(inputs, args)
    if missing:
        names = ", ".join(spec.label for spec in missing)
        return _failed(record_id, f"Not sent: fill in {names} first.")
    write = WriteAttempt("action", entity, record_id, args, action)
    sent = await _send(
        backend, write, record_id, lambda: backend.run_action(entity, record_id, action, args)
    )
    if isinstance(sent, RecordResult):
        return sent
    return _done(record_id, *sent)


async def _send(
    backend: Backend,
    write: WriteAttempt,
    record_id: str,
    send: Callable[[], Awaitable[ActionResult]],
) -> tuple[ActionResult, LatestExchange] | RecordResult:
    """Send one write: what the server answered (and the exchange that carried it), or the
    result when it failed, or when it may have been applied (its answer lost, or cancelled
    on its way): then the server is read to find out before anything is said."""
    with LatestExchange(backend) as seen:
        try:
            return await send(), seen
        except asyncio.CancelledError:
            cancel.taken()
            why = f"The {write.verb} was cancelled on its way."
            return await look(backend, write, record_id, why, None)
        except ApiError as error:
            if error.outcome_unknown:
                return await look(backend, error.write or write, record_id, error.summary, error)
            return _failed(record_id, error.summary, error)


async def _values_before(
    backend: Backend, entity: str, record_id: str, args: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The record's values of the fields an action sets; None when they cannot be read
    (the action still runs; it just cannot be undone)."""
    try:
        record = await backend.get(entity, record_id)
    except ApiError:
        return None
    return {name: record.values.get(name) for name in args}


# -- results ---------------------------------------------------------------------------------


def _done(record_id: str, done: ActionResult, seen: LatestExchange) -> RecordResult:
    # Accepted but not done yet (an order awaiting payment) is queued, not saved.
    return RecordResult(
        record_id,
        Outcome.QUEUED if done.queued else Outcome.SAVED,
        done.message,
        exchange=seen.exchange,
        created_id=done.created_id,
        opens=done.opens,
    )


def _failed(record_id: str, message: str, error: ApiError | None = None) -> RecordResult:
    exchange = error.exchange if error is not None else None
    return RecordResult(record_id, Outcome.FAILED, message, error, exchange)


async def _can_delete(backend: Backend, entity: str) -> bool:
    try:
        return (await backend.entity(entity)).can_delete
    except ApiError:
        return False
