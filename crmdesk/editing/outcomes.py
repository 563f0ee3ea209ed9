"""What became of a write whose answer was lost, found out one way: `Backend.find_outcome`.

A write that went out and got no readable answer (a dropped connection, a timeout, a cut
reply, a cancel while it was on the way) may have been applied. It is never sent again
behind the person's back: the server is read (never written) to find out, and the result
says in words what was found. SAVED only when the server shows the write was applied;
otherwise UNKNOWN, with what the check found, and the write kept so that `check_again` can
look once more. Retry is for the UI to offer, and only once a check the person asked for says
it is safe (`RecordResult.retry_safe`): a write still on its way may land a moment later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

from crmdesk.api import ApiError, Backend, ErrorKind, OutcomeCheck, WriteAttempt
from crmdesk.api import Outcome as Found
from crmdesk.editing import cancel
from crmdesk.editing.results import Outcome, RecordResult

# Reading the server after a lost answer must not keep a cancelled write waiting for long.
CHECK_SECONDS = 15.0
# What may still be on its way to the server when the check reads it (a retry could double it).
_MAY_STILL_ARRIVE = frozenset({ErrorKind.TIMEOUT})


async def look(
    backend: Backend,
    write: WriteAttempt,
    record_id: str,
    why: str,
    error: ApiError | None,
    *,
    on_cancel: Callable[[], None] | None = None,
) -> RecordResult:
    """The result of `write`, which may or may not have been applied, once the server was
    read: `why` says what went wrong with it (the error's words, or the cancel). A cancel
    while reading ends the check (`on_cancel` hears of it) with the outcome unknown."""
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            check = await backend.find_outcome(write)
    except asyncio.CancelledError:
        cancel.taken()
        if on_cancel is not None:
            on_cancel()
        return _unknown(record_id, why, "Checking what became of it was cancelled.", error, write)
    except TimeoutError:
        return _unknown(record_id, why, "Checking what became of it took too long.", error, write)
    except ApiError as failed:
        words = f"What became of it could not be checked ({failed.summary.rstrip('.')})."
        return _unknown(record_id, why, words, error, write)
    return _found(record_id, why, error, write, check)


async def check_again(backend: Backend, result: RecordResult) -> RecordResult:
    """Look once more at a write whose outcome was not known (the person's "Check again");
    the same result when there is nothing to look for."""
    if result.write is None or result.outcome is not Outcome.UNKNOWN:
        return result
    again = await look(backend, result.write, result.record_id, result.why, result.error)
    return replace(again, checked_again=True)


def still_on_its_way(error: ApiError | None) -> bool:
    """Whether the write may still reach the server after this failure (a cancel, a timeout):
    a check now can miss what lands a moment later."""
    return error is None or error.kind in _MAY_STILL_ARRIVE


def _found(
    record_id: str, why: str, error: ApiError | None, write: WriteAttempt, check: OutcomeCheck
) -> RecordResult:
    exchange = error.exchange if error is not None else None
    # What is true now first; what went wrong (in full in `why` and the exchange) after.
    words = f"{check.message} {_read_because(error)}"
    if check.outcome is Found.APPLIED:
        created = check.record.id if write.verb == "create" and check.record is not None else None
        return RecordResult(
            record_id or created or "",
            Outcome.SAVED,
            words,
            error,
            exchange,
            created_id=created,
            opens=(write.entity, created) if created else None,
            write=write,
            check=check,
            why=why,
        )
    if still_on_its_way(error):
        words += " But it may still be on its way to the server: check again in a moment."
    return RecordResult(
        record_id, Outcome.UNKNOWN, words, error, exchange, write=write, check=check, why=why
    )


def _read_because(error: ApiError | None) -> str:
    """Why the server was read, shortly: "Its answer was lost (connection failed), …"."""
    if error is None:
        return "It was cancelled on its way, so the server was read to find out."
    status = f" (HTTP {error.status})" if error.status is not None else ""
    return f"Its answer was lost ({error.kind.value}{status}), so the server was read to find out."


def _unknown(
    record_id: str, why: str, words: str, error: ApiError | None, write: WriteAttempt
) -> RecordResult:
    exchange = error.exchange if error is not None else None
    message = f"{why} {words}"
    return RecordResult(record_id, Outcome.UNKNOWN, message, error, exchange, write=write, why=why)
