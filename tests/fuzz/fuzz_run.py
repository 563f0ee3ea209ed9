"""Run the generated bad-response suite: every backend's real client against the fuzz server.

`make fuzz` runs this file (10,000 cases a backend) and prints the table of outcomes;
test_fuzz.py runs a short form in `make test`. Each case opens a fresh backend, calls one
operation, and sorts what happened: a result, an ApiError (by kind), any other exception, or a
call still running at the limit (a hang). An ApiError must carry an exchange when a request
went out, and its summary must render. Case `i` of a backend is reproduced from the seed:
`python tests/fuzz/fuzz_run.py --kind aicore --seed 1 --only 1234`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import random
import sys
from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field

import httpx
from fuzz_cases import OPERATIONS, find_ids
from fuzz_server import FuzzServer

from crmdesk.api import ApiError, ExchangeLog, RateLimitGovernor, kinds, open_backend
from crmdesk.sandbox import Sandbox

# Short timeouts so hangs and trickles end quickly; the limit is far beyond any deadline.
CLIENT_TIMEOUT = httpx.Timeout(1.0, read=0.25)
MAX_QUOTA_WAIT = 1.0
CALL_LIMIT = 30.0
TRICKLE_EVERY = 0.15
HANG_SECONDS = 5.0
PASS_RATES = (0.1, 0.2, 0.35, 0.6)


@dataclass
class Outcomes:
    """What the calls of one backend came to."""

    calls: int = 0
    ok: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    other: Counter[str] = field(default_factory=Counter)
    hangs: int = 0
    # Exceptions no reader turned into an ApiError itself: the boundary did (and logged them).
    at_boundary: Counter[str] = field(default_factory=Counter)
    no_exchange: int = 0
    bad_summary: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.other or self.hangs or self.no_exchange or self.bad_summary)

    def problem(self, text: str) -> None:
        if len(self.problems) < 12:
            self.problems.append(text)


# The outcomes of the backend whose cases run in this task.
_OUTCOMES: ContextVar[Outcomes | None] = ContextVar("fuzz_outcomes", default=None)


class _BoundaryCount(logging.Handler):
    """Counts what crmdesk.api.boundary logs: exceptions it had to turn into ApiErrors."""

    def emit(self, record: logging.LogRecord) -> None:
        outcomes = _OUTCOMES.get()
        if outcomes is not None and record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            outcomes.at_boundary[type(exc).__name__] += 1
            outcomes.problem(f"at the boundary: {type(exc).__name__}: {str(exc)[:160]}")


logging.getLogger("crmdesk.api.boundary").addHandler(_BoundaryCount(logging.ERROR))


class _Shared(httpx.AsyncBaseTransport):
    """One lane's connection pool, kept open across the backends its cases open and close."""

    def __init__(self) -> None:
        # Plain HTTP on loopback: no certificates to load for each lane.
        self.inner = httpx.AsyncHTTPTransport(retries=0, verify=False)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Closed by the lane when its cases are done, not by each backend."""


@dataclass
class _Run:
    """What every case of one backend's run shares."""

    kind: str
    seed: int
    server: FuzzServer
    base_path: str
    credentials: dict[str, str]
    ids: dict[str, object]
    outcomes: Outcomes


async def fuzz(
    kind: str, cases: int, *, seed: int = 1, lanes: int = 6, only: int | None = None
) -> Outcomes:
    """Run `cases` generated cases against `kind`'s backend; the outcomes, sorted."""
    options = {
        "cmdatamanager": {"rate_limit": 10**9},
        "getresponse": {"rate_limit": 10**9, "per_second": 10**6, "max_in_flight": 10**4},
    }
    async with Sandbox(kinds=(kind,), records_per_entity=20, **options.get(kind, {})) as sandbox:
        endpoint = sandbox.endpoints[0]
        base_path = sandbox.emulator(kind).base_path
        origin = endpoint.base_url.removesuffix(base_path) if base_path else endpoint.base_url
        async with open_backend(kind, endpoint.base_url, endpoint.credentials) as direct:
            ids = await find_ids(kind, direct)
        server = FuzzServer({kind: origin}, trickle_every=TRICKLE_EVERY, hang_seconds=HANG_SECONDS)
        await server.start()
        run = _Run(kind, seed, server, base_path, dict(endpoint.credentials), ids, Outcomes())
        _OUTCOMES.set(run.outcomes)
        pools = [_Shared() for _ in range(lanes)]
        wanted = [only] if only is not None else list(range(cases))

        async def lane(number: int) -> None:
            for index in wanted[number::lanes]:
                await _case(run, index, number, pools[number])

        try:
            await asyncio.gather(*(lane(n) for n in range(lanes)))
        finally:
            await server.stop()
            for pool in pools:
                await pool.inner.aclose()
    return run.outcomes


async def _case(run: _Run, index: int, lane_number: int, pool: _Shared) -> None:
    kind, outcomes = run.kind, run.outcomes
    rng = random.Random(f"{run.seed}:{kind}:{index}")
    name = rng.choice(sorted(OPERATIONS[kind]))
    lane = run.server.lane(lane_number)
    lane.start(kind, rng.getrandbits(64), rng.choice(PASS_RATES))
    where = f"{kind} case {index} ({name})"
    outcomes.calls += 1
    backend = open_backend(
        kind,
        run.server.base_url(lane_number, kind, run.base_path),
        run.credentials,
        timeout=CLIENT_TIMEOUT,
        governor=RateLimitGovernor(max_wait=MAX_QUOTA_WAIT),
        http_transport=pool,
        log=ExchangeLog(capacity=50),
    )
    limit = asyncio.timeout(CALL_LIMIT)
    try:
        async with limit, backend:
            await OPERATIONS[kind][name](backend, run.ids)
        outcomes.ok += 1
    except ApiError as error:
        outcomes.errors[error.kind.name] += 1
        if error.exchange is None and lane.requests:
            outcomes.no_exchange += 1
            outcomes.problem(f"{where}: no exchange on {error!r} after {lane.done}")
        try:
            _ = (error.summary, str(error), repr(error))
        except Exception as exc:
            outcomes.bad_summary += 1
            outcomes.problem(f"{where}: summary raised {exc!r} after {lane.done}")
    except TimeoutError as exc:
        if not limit.expired():
            outcomes.other["TimeoutError"] += 1
            outcomes.problem(f"{where}: {exc!r} after {lane.done}")
        else:
            outcomes.hangs += 1
            outcomes.problem(f"{where}: still running after {CALL_LIMIT} s: {lane.done}")
    except Exception as exc:
        outcomes.other[type(exc).__name__] += 1
        outcomes.problem(f"{where}: {type(exc).__name__}: {str(exc)[:160]} after {lane.done}")
    finally:
        with contextlib.suppress(Exception):
            await backend.aclose()


def table(results: dict[str, Outcomes]) -> str:
    """The outcomes per backend, as a Markdown table."""
    lines = [
        "| backend | calls | returned | ApiError | ApiError by kind | other exceptions | hangs "
        "| no exchange | summary raised | caught only at the boundary |",
        "|---|---:|---:|---:|---|---|---:|---:|---:|---|",
    ]
    for kind, o in results.items():
        by_kind = ", ".join(f"{k} {n}" for k, n in o.errors.most_common())
        other = ", ".join(f"{k} {n}" for k, n in o.other.most_common()) or "0"
        boundary = ", ".join(f"{k} {n}" for k, n in o.at_boundary.most_common()) or "0"
        lines.append(
            f"| {kind} | {o.calls:,} | {o.ok:,} | {sum(o.errors.values()):,} | {by_kind} | "
            f"{other} | {o.hangs} | {o.no_exchange} | {o.bad_summary} | {boundary} |"
        )
    return "\n".join(lines)


async def run_all(
    chosen: list[str], cases: int, seed: int, only: int | None = None, lanes: int = 12
) -> dict[str, Outcomes]:
    # The backends run at once: one's waits (quota, deadlines) are another's working time.
    done = await asyncio.gather(
        *(fuzz(kind, cases, seed=seed, only=only, lanes=lanes) for kind in chosen)
    )
    return dict(zip(chosen, done, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases a backend")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", action="append", choices=kinds(), help="default: all")
    parser.add_argument("--only", type=int, help="run just this case (to reproduce it)")
    parser.add_argument("--lanes", type=int, default=12, help="cases run at once, a backend")
    args = parser.parse_args()
    # The fuzz server's own complaints about the headers it was told to send are expected.
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    chosen = args.kind or list(kinds())
    results = asyncio.run(run_all(chosen, args.cases, args.seed, args.only, args.lanes))
    print(table(results))
    for outcome in results.values():
        for problem in outcome.problems:
            print(f"- {problem}")
    return 0 if all(o.clean for o in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
