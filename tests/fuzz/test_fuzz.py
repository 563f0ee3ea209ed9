"""The generated bad-response suite, short form: about 1,000 cases a backend in `make test`.

`make fuzz` runs the long form (10,000 a backend) and prints the table. Both assert the same:
only ApiError escapes, it carries the exchange when a request went out, its summary renders,
no call outlives its deadline, and no reader needed the boundary's last resort.
"""

from __future__ import annotations

import asyncio
import logging
import os

import pytest
from fuzz_run import run_all, table

from crmdesk.api import kinds

CASES = int(os.environ.get("CRMDESK_FUZZ_CASES", "1000"))
SEED = int(os.environ.get("CRMDESK_FUZZ_SEED", "1"))


@pytest.mark.fuzz
@pytest.mark.timeout(600)
def test_every_backend_meets_only_api_errors_and_no_hangs(caplog: pytest.LogCaptureFixture) -> None:
    # The fuzz server is told to send headers aiohttp itself refuses; its complaints are noise.
    caplog.set_level(logging.CRITICAL, logger="aiohttp")
    results = asyncio.run(run_all(list(kinds()), CASES, SEED, lanes=16))
    report = table(results) + "".join(
        f"\n- {problem}" for outcome in results.values() for problem in outcome.problems
    )
    assert all(o.calls == CASES for o in results.values()), report
    assert all(o.clean for o in results.values()), report
    assert not any(o.at_boundary for o in results.values()), report
