"""Review and save pending edits: the exact writes first, then per-record results.

`review()` plans each record's write with the backend (nothing is sent); `apply()` sends them
through the backend's `update_many`, record by record or in the kind's bulk call, and reports
each record as its outcome is known. A write is never repeated behind the user's back: a
record whose write may or may not have been applied (the reply was lost, or the save was
cancelled while it was on the way) is checked with `Backend.find_outcome`, which reads the
record again and compares it with what was sent (crmdesk.editing.outcomes); it is SAVED only
when the server holds the new values, otherwise it is UNKNOWN and stays pending.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from crmdesk.api import ActionResult, ApiError, Backend, FieldSpec, PlannedWrite, WriteAttempt
from crmdesk.editing import cancel
from crmdesk.editing.outcomes import look
from crmdesk.editing.pending import FieldEdit, PendingEdits, edits_of
from crmdesk.editing.results import Outcome, RecordResult, RecordReview, SaveReport
from crmdesk.editing.values import missing_required
from crmdesk.editing.watch import LatestExchange

if TYPE_CHECKING:
    from crmdesk.editing.changelog import ChangeLog

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]


async def review(
    backend: Backend,
    edits: PendingEdits,
    connection_id: str,
    entity: str,
    record_ids: Sequence[str] | None = None,
) -> list[RecordReview]:
    """Each record's pending changes and the exact request a save will send for it."""
    batch = edits_of(edits.of_entity(connection_id, entity), record_ids)
    checks = await _Checks.read(backend, entity)
    bulk = backend.update_batch_size > 1
    reviews = []
    for record_id, fields in batch.items():
        changes = {name: edit.new for name, edit in fields.items()}
        planned = await checks.plan(record_id, changes)
        edited = tuple(fields.values())
        if isinstance(planned, str):
            reviews.append(RecordReview(record_id, edited, None, planned))
        else:
            reviews.append(RecordReview(record_id, edited, planned, None, in_bulk=bulk))
    return reviews


async def apply(
    backend: Backend,
    edits: PendingEdits,
    connection_id: str,
    entity: str,
    record_ids: Sequence[str] | None = None,
    *,
    on_progress: Progress | None = None,
    changelog: ChangeLog | None = None,
) -> SaveReport:
    """Save the pending edits of `entity` (or of `record_ids`); one result per record.

    Saved edits leave `edits`; failed, unknown and unsent ones stay. Cancelling the task
    stops the save: records not yet sent are NOT_SENT, the one on the way is read back, and
    the report is still returned (the task ends normally), so the caller learns what was
    saved. `on_progress(done, total, text)` hears of each record as its outcome is known.
    """
    batch = edits_of(edits.of_entity(connection_id, entity), record_ids)
    return await save_batch(
        backend, edits, connection_id, entity, batch, on_progress=on_progress, changelog=changelog
    )


async def save_batch(
    backend: Backend,
    edits: PendingEdits,
    connection_id: str,
    entity: str,
    batch: Mapping[str, Mapping[str, FieldEdit]],
    *,
    on_progress: Progress | None = None,
    changelog: ChangeLog | None = None,
    undoes: str | None = None,
) -> SaveReport:
    """`apply()` for a given set of edits (an undo saves edits that are not pending)."""
    run = _Save(backend, edits, entity, batch, on_progress)
    try:
        await run.send()
    finally:
        report = SaveReport(
            connection_id,
            entity,
            tuple(run.results[rid] for rid in batch if rid in run.results),
            uuid.uuid4().hex,
            cancelled=run.cancelled,
        )
        if changelog is not None:
            sent = [edit for fields in batch.values() for edit in fields.values()]
            await cancel.logged(changelog.record_save(report, sent, backend.name, undoes=undoes))
    return report


class _Checks:
    """What can be refused before the network: read-only and required fields, and whatever
    the backend's own planning refuses (a value its API will not take)."""

    def __init__(self, backend: Backend, entity: str, specs: Mapping[str, FieldSpec]) -> None:
        self._backend = backend
        self._entity = entity
        self.specs = specs
        self.problem: str | None = None

    @classmethod
    async def read(cls, backend: Backend, entity: str) -> _Checks:
        try:
            specs = {spec.name: spec for spec in await backend.fields(entity)}
        except ApiError as error:
            checks = cls(backend, entity, {})
            why = error.summary.rstrip(".")
            checks.problem = f"the fields could not be read to check the changes ({why})."
            return checks
        return cls(backend, entity, specs)

    async def plan(self, record_id: str, changes: Mapping[str, Any]) -> PlannedWrite | str:
        """The planned write, or a sentence saying why the record will not be sent."""
        if self.problem is not None:
            return self.problem
        locked = [n for n in changes if n in self.specs and self.specs[n].read_only]
        read_only = [self.specs[n].label for n in locked]
        if read_only:
            return f"{', '.join(read_only)} {'is' if len(read_only) == 1 else 'are'} read-only."
        missing = missing_required(list(self.specs.values()), changes, changes_only=True)
        if missing:
            names = ", ".join(spec.label for spec in missing)
            return f"{names} {'is' if len(missing) == 1 else 'are'} required."
        try:
            return await self._backend.plan_update(self._entity, record_id, changes)
        except ApiError as error:
            return error.message


class _Save:
    """One run of a save: checks, sends in the backend's batch size, reads back, reports."""

    def __init__(
        self,
        backend: Backend,
        edits: PendingEdits,
        entity: str,
        batch: Mapping[str, Mapping[str, FieldEdit]],
        on_progress: Progress | None,
    ) -> None:
        self.backend = backend
        self.edits = edits
        self.entity = entity
        self.batch = batch
        self.on_progress = on_progress
        self.results: dict[str, RecordResult] = {}
        self.cancelled = False
        # A cancel while reading records back: the rest are not read, only marked UNKNOWN.
        self._stop_reading = False
        self._seen = LatestExchange(backend)

    async def send(self) -> None:
        try:
            sendable = await self._check_all()
        except asyncio.CancelledError:
            cancel.taken()
            self.cancelled = True
            sendable = {}
        ids = list(sendable)
        size = max(1, self.backend.update_batch_size)
        with self._seen:
            for start in range(0, len(ids), size):
                chunk = {rid: sendable[rid] for rid in ids[start : start + size]}
                if self.cancelled:
                    break
                await self._send_chunk(chunk)
        for record_id in self.batch:
            if record_id not in self.results:
                self._report(
                    RecordResult(
                        record_id, Outcome.NOT_SENT, "Not sent: the save was cancelled first."
                    )
                )

    async def _check_all(self) -> dict[str, dict[str, Any]]:
        checks = await _Checks.read(self.backend, self.entity)
        sendable: dict[str, dict[str, Any]] = {}
        for record_id, fields in self.batch.items():
            changes = {name: edit.new for name, edit in fields.items()}
            planned = await checks.plan(record_id, changes)
            if isinstance(planned, str):
                message = f"Not sent: {planned}"
                self._report(RecordResult(record_id, Outcome.FAILED, message))
            else:
                sendable[record_id] = changes
        return sendable

    async def _send_chunk(self, chunk: dict[str, dict[str, Any]]) -> None:
        to_verify: dict[str, ApiError | None] = {}

        def heard(record_id: str, result: ActionResult | ApiError) -> None:
            if isinstance(result, ApiError) and result.outcome_unknown:
                to_verify[record_id] = result
            elif isinstance(result, ApiError):
                exchange = result.exchange
                self._report(
                    RecordResult(record_id, Outcome.FAILED, result.summary, result, exchange)
                )
            else:
                exchange = self._seen.exchange
                self._report(RecordResult(record_id, Outcome.SAVED, result.message, None, exchange))

        try:
            await self.backend.update_many(self.entity, chunk, on_result=heard)
        except asyncio.CancelledError:
            cancel.taken()
            self.cancelled = True
            # Whatever of this chunk has no result yet was on the way together.
            for record_id in chunk:
                if record_id not in self.results:
                    to_verify.setdefault(record_id, None)
        except ApiError as error:
            for record_id in chunk:
                if record_id in self.results or record_id in to_verify:
                    continue
                if error.outcome_unknown:
                    to_verify[record_id] = error
                else:
                    failed = RecordResult(
                        record_id, Outcome.FAILED, error.summary, error, error.exchange
                    )
                    self._report(failed)
        for record_id, lost in to_verify.items():
            self._report(await self._verify(record_id, chunk[record_id], lost))

    async def _verify(
        self, record_id: str, sent: Mapping[str, Any], error: ApiError | None
    ) -> RecordResult:
        """Find out whether a write that may have been applied was: SAVED only if the server
        holds `sent` (one way to find out: `Backend.find_outcome`)."""
        why = error.summary if error is not None else "The save was cancelled while sending it."
        write = error.write if error is not None and error.write is not None else None
        write = write or WriteAttempt("update", self.entity, record_id, sent)
        if self._stop_reading:
            exchange = error.exchange if error is not None else None
            words = f"{why} It was not checked (cancelled)."
            return RecordResult(
                record_id, Outcome.UNKNOWN, words, error, exchange, write=write, why=why
            )

        def stopped() -> None:
            self.cancelled = self._stop_reading = True

        return await look(self.backend, write, record_id, why, error, on_cancel=stopped)

    def _report(self, result: RecordResult) -> None:
        self.results[result.record_id] = result
        if result.outcome is Outcome.SAVED:
            self.edits.saved(self.batch[result.record_id].values())
        if self.on_progress is not None:
            try:
                self.on_progress(len(self.results), len(self.batch), _progress_text(result))
            except Exception:
                # A broken progress view must not lose the save's results.
                log.exception("a save progress listener failed")


def _progress_text(result: RecordResult) -> str:
    return f"{result.record_id}: {result.outcome.value}"
