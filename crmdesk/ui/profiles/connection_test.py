"""Test connection: one cheap call on a throwaway, read-only connection made from what the
Connections dialog's form holds, with the exchange behind the answer."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from crmdesk.api import ApiError, Exchange, ExchangeLog, open_backend
from crmdesk.profiles import Profile

TEST_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class TestOutcome:
    ok: bool
    words: str
    exchange: Exchange | None = None


async def test_connection(
    profile: Profile, credentials: dict[str, str], log: ExchangeLog
) -> TestOutcome:
    """One cheap call on a throwaway, read-only connection made from what is typed."""
    seen: list[Exchange] = []
    stop = log.subscribe(seen.append)
    try:
        try:
            backend = open_backend(
                profile.kind,
                profile.base_url,
                credentials,
                connection=f"{profile.name} (test)",
                log=log,
                read_only=True,
                **dict(profile.options),
            )
        except ValueError as exc:
            return TestOutcome(False, str(exc))
        async with backend:
            words = await asyncio.wait_for(backend.test_connection(), TEST_TIMEOUT_SECONDS)
        return TestOutcome(True, words, seen[-1] if seen else None)
    except ApiError as error:
        return TestOutcome(False, error.summary, error.exchange or (seen[-1] if seen else None))
    except TimeoutError:
        last = seen[-1] if seen else None
        return TestOutcome(False, f"No answer within {TEST_TIMEOUT_SECONDS:g} s.", last)
    finally:
        stop()
