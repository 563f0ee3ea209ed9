"""What a review shows before a save, and what a save (or create, delete, action) reports."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from crmdesk.api import ApiError, Exchange, OutcomeCheck, PlannedWrite, WriteAttempt
from crmdesk.api import Outcome as Found
from crmdesk.editing.pending import FieldEdit


@dataclass(frozen=True, slots=True)
class RecordReview:
    """One record's changes as they will be sent, or why they will not be.

    `request` is the exact write (method, URL, body; secrets redacted); `problem` says in
    words why the record will be refused before the network (then `request` is None).
    `in_bulk` says the kind saves records in a bulk call (aicore's `batch`): this record's
    command, with these same fields, travels inside it together with the others.
    """

    record_id: str
    edits: tuple[FieldEdit, ...]
    request: PlannedWrite | None
    problem: str | None
    in_bulk: bool = False


class Outcome(Enum):
    """What became of one record's write."""

    SAVED = "saved"
    FAILED = "failed"  # refused, by crmdesk before sending or by the server: not applied
    NOT_SENT = "not sent"  # the save was cancelled before this record was sent
    UNKNOWN = "unknown"  # may have been applied; reading the server did not show it was
    QUEUED = "queued"  # accepted, not done yet: GetResponse's 202 create, an unpaid order


@dataclass(frozen=True, slots=True)
class RecordResult:
    """One record's outcome in words, with the exchange behind it for "Details…".

    `created_id` is set by a create that made a record; `opens` is a record the user may
    want to open next (the account a lead became, the new task).

    A write whose answer was lost keeps what it was (`write`), what went wrong with it
    (`why`) and what reading the server last found (`check`, from `Backend.find_outcome`), so
    the person can check again (`crmdesk.editing.check_again`); `checked_again` says they did.
    """

    record_id: str
    outcome: Outcome
    message: str
    error: ApiError | None = None
    exchange: Exchange | None = None
    created_id: str | None = None
    opens: tuple[str, str] | None = None
    write: WriteAttempt | None = None
    check: OutcomeCheck | None = None
    why: str = ""
    checked_again: bool = False

    @property
    def retry_safe(self) -> bool:
        """Whether sending this write again cannot do it twice, as far as crmdesk can tell: a
        check the person asked for (not only the one made at once, which a write still on its
        way can outrun) says it was not applied, or that the server refuses a repeat."""
        check = self.check
        if self.outcome is not Outcome.UNKNOWN or check is None or not self.checked_again:
            return False
        return check.outcome is Found.NOT_APPLIED or check.safe_to_retry


@dataclass(frozen=True, slots=True)
class SaveReport:
    """Every record of one save, in the order they were edited, and the save's change-log id.

    `cancelled` says the person (or shutdown) cancelled it: the records after that point are
    NOT_SENT.
    """

    connection_id: str
    entity: str
    results: tuple[RecordResult, ...]
    save_id: str
    cancelled: bool = False

    def _with(self, outcome: Outcome) -> tuple[RecordResult, ...]:
        return tuple(r for r in self.results if r.outcome is outcome)

    @property
    def saved(self) -> tuple[RecordResult, ...]:
        return self._with(Outcome.SAVED)

    @property
    def failed(self) -> tuple[RecordResult, ...]:
        return self._with(Outcome.FAILED)

    @property
    def not_sent(self) -> tuple[RecordResult, ...]:
        return self._with(Outcome.NOT_SENT)

    @property
    def unknown(self) -> tuple[RecordResult, ...]:
        return self._with(Outcome.UNKNOWN)

    @property
    def summary(self) -> str:
        """One line for a status bar: how many of each outcome."""
        if not self.results:
            return "Nothing to save."
        parts = [
            f"{len(self._with(outcome))} {outcome.value}"
            for outcome in Outcome
            if self._with(outcome)
        ]
        head = "Save cancelled: " if self.cancelled else ""
        return head + ", ".join(parts) + "."
