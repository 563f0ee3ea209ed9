"""Every sandbox fault on every read and every write of every backend (issue 13.5).

Reads are retried where that is safe, else reported in words. A write goes out again only
where the server provably did not act on it (a 401 before its token was accepted, a 429), as
docs/architecture.md says per kind; what reached the server is read from the sandbox's own
request log. A write that failed but was applied is `outcome_unknown`, and `find_outcome`
tells what became of it (or says it cannot).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from faults_kits import READS, WRITES, first_id

from crmdesk.api import (
    ApiError,
    Backend,
    ErrorKind,
    Outcome,
    Query,
    RateLimitGovernor,
    open_backend,
)
from crmdesk.sandbox import Fault, RecordedRequest, Sandbox

pytestmark = pytest.mark.asyncio(loop_scope="module")
KINDS = tuple(WRITES)
# Only these answers prove that the server did not act, so that a write may go once more.
RESENT_AFTER = {
    "cmdatamanager": {Fault.HTTP_401, Fault.TOKEN_EXPIRED, Fault.HTTP_429},
    "getresponse": {Fault.HTTP_429},
}
# Reads that meet these are sent again by the transport (or after the quota wait).
READS_RECOVER = {Fault.HTTP_503, Fault.HTML_ERROR_PAGE, Fault.DROP_CONNECTION, Fault.HANG}
# Faults the sandbox answers only after doing the work.
WORK_DONE = {Fault.MALFORMED_JSON, Fault.HANG}
HANG_SECONDS = 1.0
FAULTS = [
    Fault.HTTP_401,
    Fault.HTTP_403,
    Fault.HTTP_500,
    Fault.HTTP_503,
    Fault.HTTP_429,
    Fault.MALFORMED_JSON,
    Fault.HTML_ERROR_PAGE,
    Fault.HANG,
    Fault.DROP_CONNECTION,
    Fault.TOKEN_EXPIRED,
    Fault.EMPTY_BODY,
    Fault.WRONG_TYPES,
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def everything() -> AsyncIterator[Sandbox]:
    async with Sandbox(kinds=KINDS, records_per_entity=20) as sandbox:
        yield sandbox


def quick_governor(kind: str) -> RateLimitGovernor:
    """The kind's limits, but a quota wait that is recorded instead of slept through."""

    async def instant(seconds: float) -> None:
        await asyncio.sleep(0)

    if kind == "getresponse":
        return RateLimitGovernor(max_in_flight=10, per_second=80, sleep=instant)
    return RateLimitGovernor(sleep=instant)


def connect(sandbox: Sandbox, kind: str) -> Backend:
    endpoint = next(e for e in sandbox.endpoints if e.kind == kind)
    return open_backend(
        kind,
        endpoint.base_url,
        endpoint.credentials,
        timeout=httpx.Timeout(10.0, read=0.3),
        governor=quick_governor(kind),
        # Plain HTTP on loopback: no certificates to load for each of these many clients.
        http_transport=httpx.AsyncHTTPTransport(verify=False),
        **endpoint.options,
    )


def applied(requests: list[RecordedRequest]) -> int:
    """How many of these write requests the sandbox carried out."""
    return sum(
        1
        for r in requests
        if (r.fault is None and r.status is not None and 200 <= r.status < 300)
        or r.fault in WORK_DONE
    )


async def settled(emulator: Any, matches: Any) -> list[RecordedRequest]:
    """The write's requests once none is still hanging in the sandbox."""
    for _ in range(100):
        sent = [r for r in emulator.requests if matches(r)]
        if all(r.status is not None or r.fault == Fault.DROP_CONNECTION for r in sent):
            return sent
        await asyncio.sleep(0.05)
    raise AssertionError("a hanging request never finished")


async def check_write(sandbox: Sandbox, kind: str, name: str, fault: Fault) -> list[str]:
    """Run one write under `fault`; the rules it broke, in words (none is a pass)."""
    emulator = sandbox.emulator(kind)
    broken: list[str] = []
    where = f"{kind} {name} under {fault}"
    async with connect(sandbox, kind) as backend:
        emulator.faults.clear()
        write = await WRITES[kind][name](backend, f"T{int(time.time() * 1000) % 10**8}{name[:3]}")
        emulator.clear_requests()
        emulator.faults.inject(fault, path=write.path, method=write.method, seconds=HANG_SECONDS)
        error: ApiError | None = None
        try:
            await write.call()
        except ApiError as caught:
            error = caught
        sent = await settled(emulator, write.matches)
        done = applied(sent)
        if not 1 <= len(sent) <= 2:
            broken.append(f"{where}: sent {len(sent)} times")
        if len(sent) == 2 and (fault not in RESENT_AFTER.get(kind, set()) or done != 1):
            broken.append(f"{where}: sent again after {sent[0].status} ({sent[0].fault})")
        if fault in RESENT_AFTER.get(kind, set()) and (error is not None or len(sent) != 2):
            broken.append(f"{where}: not sent again after a refusal that did nothing: {error!r}")
        if error is None and done != 1:
            broken.append(f"{where}: reported done, but the sandbox did it {done} times")
        if error is not None:
            broken += await _check_error(backend, where, error, done, write.tells)
    return broken


async def _check_error(
    backend: Backend, where: str, error: ApiError, done: int, tells: bool
) -> list[str]:
    broken = []
    if error.write is None or error.exchange is None or not error.summary.endswith("."):
        broken.append(f"{where}: {error!r} lacks its write, exchange or words")
    if done and not error.outcome_unknown:
        broken.append(f"{where}: applied but reported as simply failed: {error.summary}")
    if error.outcome_unknown and error.write is not None:
        found = await backend.find_outcome(error.write)
        truth = Outcome.APPLIED if done else Outcome.NOT_APPLIED
        if found.outcome is not truth and (tells or found.outcome is not Outcome.UNKNOWN):
            broken.append(f"{where}: find_outcome says {found.outcome} ({found.message})")
        if found.safe_to_retry and done:
            broken.append(f"{where}: offered a retry of a write that was applied")
    return broken


@pytest.mark.parametrize("fault", FAULTS, ids=str)
async def test_every_write_under_every_fault(everything: Sandbox, fault: Fault) -> None:
    async def kind_writes(kind: str) -> list[str]:
        broken: list[str] = []
        for name in WRITES[kind]:
            broken += await check_write(everything, kind, name, fault)
        return broken

    results = await asyncio.gather(*(kind_writes(kind) for kind in KINDS))
    broken = [rule for result in results for rule in result]
    assert not broken, "\n".join(broken)


async def check_reads(sandbox: Sandbox, kind: str, fault: Fault) -> list[str]:
    emulator = sandbox.emulator(kind)
    entity = READS[kind]
    broken: list[str] = []
    async with connect(sandbox, kind) as backend:
        record_id = await first_id(backend, entity)
        for name, call in (
            ("list", lambda: backend.list(entity, Query())),
            ("get", lambda: backend.get(entity, record_id)),
        ):
            emulator.faults.clear()
            emulator.faults.inject(fault, seconds=HANG_SECONDS)
            where = f"{kind} {name} under {fault}"
            try:
                await call()
            except ApiError as error:
                recovers = fault in READS_RECOVER or fault in RESENT_AFTER.get(kind, set())
                if recovers:
                    broken.append(f"{where}: not retried: {error.summary}")
                if error.exchange is None or not error.summary.endswith("."):
                    broken.append(f"{where}: {error!r} lacks its exchange or words")
                limited = fault is Fault.HTTP_429 and error.kind is ErrorKind.RATE_LIMITED
                if limited and error.retry_at is None:
                    broken.append(f"{where}: a 429 without when to retry")
    return broken


@pytest.mark.parametrize("fault", FAULTS, ids=str)
async def test_every_read_under_every_fault(everything: Sandbox, fault: Fault) -> None:
    results = await asyncio.gather(*(check_reads(everything, kind, fault) for kind in KINDS))
    broken = [rule for result in results for rule in result]
    assert not broken, "\n".join(broken)
