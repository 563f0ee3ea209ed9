"""Undo the last save of a connection, where the API allows it; say in words where it does not.

An update is undone by saving the values it replaced, through the same machinery as a save
(planned, checked, sent record by record or in the kind's bulk call, read back when a reply is
lost, and logged as a save of its own that names the save it undoes). A create is undone by
deleting what it made, where the entity can be deleted; an undoable action by running it
again with the values it replaced. Deletes, queued creates and actions no API call can take
back (a lead convert, an order) cannot be undone, and the answer says so.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmdesk.api import ApiError, Backend
from crmdesk.editing.changelog import Change, ChangeLog
from crmdesk.editing.pending import FieldEdit, PendingEdits
from crmdesk.editing.results import RecordReview, SaveReport
from crmdesk.editing.save import Progress, save_batch
from crmdesk.editing.writes import delete_record, run_record_action

NOTHING = "There is nothing to undo on this connection."


async def undo_last_save(
    backend: Backend,
    changelog: ChangeLog,
    connection_id: str,
    *,
    on_progress: Progress | None = None,
) -> SaveReport | str:
    """Undo the last save of `connection_id`: its report, or why it cannot be undone.

    Undoing again undoes the save before it. Records an undo could not restore (a failure,
    a lost reply) stay to be undone: the same save is the last one until they are.
    """
    changes = await changelog.last_save(connection_id)
    why_not = await _why_not(backend, changes)
    if why_not is not None:
        return why_not
    first = changes[0]
    if first.kind == "update":
        batch = _restoring(changes)
        return await save_batch(
            backend,
            PendingEdits(),
            connection_id,
            first.entity,
            batch,
            on_progress=on_progress,
            changelog=changelog,
            undoes=first.save_id,
        )
    if first.kind == "create":
        result = await delete_record(
            backend,
            connection_id,
            first.entity,
            first.record_id,
            before=first.after if isinstance(first.after, dict) else None,
            changelog=changelog,
            undoes=first.save_id,
        )
    else:
        result = await run_record_action(
            backend,
            connection_id,
            first.entity,
            first.record_id,
            first.field,
            first.before,
            changelog=changelog,
            undoes=first.save_id,
        )
    return SaveReport(connection_id, first.entity, (result,), first.save_id)


async def review_undo(
    backend: Backend, changelog: ChangeLog, connection_id: str
) -> list[RecordReview] | str:
    """What `undo_last_save` would send, for the person to confirm; or why it cannot."""
    changes = await changelog.last_save(connection_id)
    why_not = await _why_not(backend, changes)
    if why_not is not None:
        return why_not
    first = changes[0]
    if first.kind == "update":
        reviews = []
        for record_id, fields in _restoring(changes).items():
            edits = tuple(fields.values())
            restore = {name: edit.new for name, edit in fields.items()}
            try:
                planned = await backend.plan_update(first.entity, record_id, restore)
            except ApiError as error:
                reviews.append(RecordReview(record_id, edits, None, error.message))
            else:
                reviews.append(RecordReview(record_id, edits, planned, None))
        return reviews
    if first.kind == "create":
        try:
            planned = await backend.plan_delete(first.entity, first.record_id)
        except ApiError as error:
            return [RecordReview(first.record_id, (), None, error.message)]
        return [RecordReview(first.record_id, (), planned, None)]
    # An action has no planned request to show; its edits say what it will put back.
    before = first.before if isinstance(first.before, dict) else {}
    after = first.after if isinstance(first.after, dict) else {}
    edits = tuple(
        FieldEdit(connection_id, first.entity, first.record_id, name, after.get(name), value)
        for name, value in before.items()
    )
    return [RecordReview(first.record_id, edits, None, None)]


async def _why_not(backend: Backend, changes: Sequence[Change]) -> str | None:
    """Why the last save cannot be undone, in words; None when it can."""
    if not changes:
        return NOTHING
    first = changes[0]
    undoable = [c for c in changes if c.undoable and not c.undone]
    if undoable:
        return None
    label = await _label(backend, first.entity)
    if first.kind == "delete":
        return (
            f"The last change deleted record {first.record_id} from {label}; a deleted record "
            "cannot be restored over the API (the change log keeps its last values)."
        )
    if first.kind == "create" and first.outcome == "queued":
        return (
            f"The last change was a create in {label} that the server queued without an id; "
            "it cannot be undone from crmdesk."
        )
    if first.kind == "create":
        return (
            f"The last change created record {first.record_id} in {label}, whose records cannot "
            "be deleted over this API, so it cannot be undone."
        )
    if first.kind == "action":
        return f"{await _action_label(backend, first)} cannot be undone."
    return NOTHING


def _restoring(changes: Sequence[Change]) -> dict[str, dict[str, FieldEdit]]:
    """The edits that put back what the save replaced: from its value to the one before."""
    batch: dict[str, dict[str, FieldEdit]] = {}
    for change in changes:
        if change.kind != "update" or not change.undoable or change.undone:
            continue
        batch.setdefault(change.record_id, {})[change.field] = FieldEdit(
            change.connection_id,
            change.entity,
            change.record_id,
            change.field,
            change.after,
            change.before,
        )
    return batch


async def _label(backend: Backend, entity: str) -> str:
    try:
        return (await backend.entity(entity)).label
    except ApiError:
        return entity


async def _action_label(backend: Backend, change: Change) -> str:
    """ "Convert lead on lead 123", in the action's own label where the backend knows it."""
    try:
        label = (await backend.entity(change.entity)).action(change.field).label
    except (ApiError, KeyError):
        label = change.field
    return f"{label} on {change.record_id}"
