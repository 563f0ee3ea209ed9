"""An ApiError in words: sentences that end, and a summary that renders whatever it holds."""

from __future__ import annotations

import time

import pytest

from crmdesk.api import ApiError, ErrorKind


def test_messages_end_their_sentences() -> None:
    error = ApiError(ErrorKind.RATE_LIMITED, "Too many requests", retry_at=time.time() + 2.2)
    assert error.message == "Too many requests."
    assert error.summary.endswith("Too many requests. Try again in 2 s.")
    assert ApiError(ErrorKind.SERVER, "Is it down?").message == "Is it down?"
    assert ApiError(ErrorKind.SERVER, "  ").message == "The call failed."


@pytest.mark.parametrize(
    "retry_at", [float("inf"), float("-inf"), float("nan"), 1e300, -1e300, 10**400, "soon"]
)
def test_the_summary_renders_whatever_the_retry_time(retry_at: object) -> None:
    error = ApiError(ErrorKind.RATE_LIMITED, "Slow down.", status=429, retry_at=retry_at)  # type: ignore[arg-type]
    assert error.summary == "Rate limited (HTTP 429): Slow down."
    assert str(error) == "Slow down."
    assert "RATE_LIMITED" in repr(error)


def test_a_past_retry_time_says_now() -> None:
    error = ApiError(ErrorKind.RATE_LIMITED, "Slow down.", retry_at=time.time() - 5)
    assert error.summary.endswith("Try again in 0 s.")


def test_an_unknown_outcome_is_said_once() -> None:
    error = ApiError(ErrorKind.TIMEOUT, "The server did not answer in time.")
    error.mark_outcome_unknown().mark_outcome_unknown()
    assert error.outcome_unknown
    assert error.message.count("may have acted on it") == 1
    assert str(error) == error.message
