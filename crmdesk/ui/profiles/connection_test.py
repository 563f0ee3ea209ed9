"""Test connection: one cheap call on a throwaway, read-only connection made from what the
Connections dialog's form holds, with the exchange behind the answer. It never waits for a
spent API quota (the API layer answers at once); its answer says when the quota resets."""

from __future__ import annotations

import time
from dataclasses import dataclass

from crmdesk.api import ApiError, Exchange
from crmdesk.profiles import Connections, Profile
from crmdesk.ui.quota import quota_sentence

TEST_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class TestOutcome:
    ok: bool
    words: str
    exchange: Exchange | None = None


async def test_connection(
    profile: Profile, credentials: dict[str, str], connections: Connections
) -> TestOutcome:
    """One cheap call on a throwaway, read-only connection made from what is typed."""
    seen: list[Exchange] = []
    stop = connections.log.subscribe(seen.append)
    try:
        try:
            words = await connections.try_out(profile, credentials, timeout=TEST_TIMEOUT_SECONDS)
        except ValueError as exc:
            return TestOutcome(False, str(exc))
        return TestOutcome(True, words, seen[-1] if seen else None)
    except ApiError as error:
        # A spent quota is not waited for here: the answer says when it resets, in words.
        words = quota_sentence(error, time.time())
        return TestOutcome(False, words, error.exchange or (seen[-1] if seen else None))
    except TimeoutError:
        last = seen[-1] if seen else None
        return TestOutcome(False, f"No answer within {TEST_TIMEOUT_SECONDS:g} s.", last)
    finally:
        stop()
