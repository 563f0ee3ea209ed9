"""Export budget: every page of the sandbox's 100,000 leads written to CSV by
crmdesk.exporting, in records a second (budget: at least 20,000), and its memory: the peak
Python allocation while exporting 100,000 records against 20,000 (it must not grow with the
number of records). The connection's exchange log (the inspector's, bounded at 64 MiB of
bodies whatever is exported) is kept to a few exchanges here, so the peaks are the export's.

Run by tests/bench/run.py against its sandbox; `python tests/bench/export_rate.py` runs it on
a sandbox of its own and prints the facts as JSON.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from crmdesk.api import ExchangeLog, Query, open_backend
from crmdesk.exporting import Column, ExportFormat, ExportView, export_view
from crmdesk.sandbox import SandboxThread

SMALL = 20_000


async def _export(base_url: str, credentials: dict[str, str], target: Path) -> tuple[int, float]:
    """Records exported and seconds taken: every lead, every field, to CSV."""
    log = ExchangeLog(capacity=16)
    async with open_backend("cmdatamanager", base_url, credentials, log=log) as crm:
        fields = await crm.fields("lead")
        columns = (Column("id", "ExternalID"), *(Column(f.name, f.label, f) for f in fields))
        view = ExportView("lead", "Leads", columns, Query(page_size=1000))
        started = time.perf_counter()
        done = await export_view(crm, view, target, ExportFormat.CSV)
        return done.records, time.perf_counter() - started


def _peak(base_url: str, credentials: dict[str, str], target: Path) -> int:
    tracemalloc.start()
    try:
        asyncio.run(_export(base_url, credentials, target))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(base_url: str, credentials: dict[str, str]) -> dict[str, float]:
    """The rate on the given sandbox, and the peaks on it and on one of SMALL records."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "leads.csv"
        records, seconds = asyncio.run(_export(base_url, credentials, target))
        size = target.stat().st_size
        peak = _peak(base_url, credentials, target)
        with SandboxThread(kinds=("cmdatamanager",), records_per_entity=SMALL) as small:
            endpoint = small.endpoints[0]
            # Once untraced first: the emulator makes its records on the first list.
            asyncio.run(_export(endpoint.base_url, dict(endpoint.credentials), target))
            small_peak = _peak(endpoint.base_url, dict(endpoint.credentials), target)
    return {
        "records": records,
        "seconds": seconds,
        "rate": records / seconds,
        "file_mib": size / 2**20,
        "peak_mib": peak / 2**20,
        "small_records": SMALL,
        "small_peak_mib": small_peak / 2**20,
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=count) as sandbox:
        endpoint = sandbox.endpoints[0]
        print(json.dumps(measure(endpoint.base_url, dict(endpoint.credentials))))
