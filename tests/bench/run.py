"""crmdesk's budgets (DESIGN.md), measured as ratios against baselines taken in the same run.

Run with `make bench`. Each check prints what it measured and whether it is within budget; the
exit status is non-zero if any budget is missed. Not part of `make test`: shared machines are
too noisy for timings to be test assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from crmdesk.api import Query, open_backend
from crmdesk.sandbox import SandboxThread


@dataclass
class Result:
    name: str
    measured: str
    budget: str
    ok: bool


async def _seconds(fn: Callable[[int], Awaitable[object]], i: int) -> float:
    started = time.perf_counter()
    await fn(i)
    return time.perf_counter() - started


async def bench_list_page(base_url: str, credentials: dict[str, str], rounds: int) -> Result:
    """`list()` of a 100-record page vs a bare httpx GET + json.loads of the same page."""
    async with open_backend("cmdatamanager", base_url, credentials) as crm:
        await crm.list("lead", Query(page=1, page_size=100))  # logs in
        token = crm._token  # the same token for the bare client, so both do the same work
        async with httpx.AsyncClient(base_url=base_url + "/") as bare:
            headers = {"Authorization": f"Bearer {token}"}

            async def ours(i: int) -> object:
                return await crm.list("lead", Query(page=1 + i % 20, page_size=100))

            async def baseline(i: int) -> object:
                reply = await bare.get(
                    "lead", params={"page": 1 + i % 20, "per_page": 100}, headers=headers
                )
                return json.loads(reply.content)

            # Alternate call by call so both see the same machine load.
            ours_t: list[float] = []
            bare_t: list[float] = []
            for i in range(rounds):
                ours_t.append(await _seconds(ours, i))
                bare_t.append(await _seconds(baseline, i))
    ratio = statistics.median(ours_t) / statistics.median(bare_t)
    return Result(
        "list() of a 100-record page vs bare httpx GET + json.loads",
        f"{ratio:.2f}x ({statistics.median(ours_t) * 1000:.2f} ms vs "
        f"{statistics.median(bare_t) * 1000:.2f} ms)",
        "at most 1.3x",
        ratio <= 1.3,
    )


async def bench_export(base_url: str, credentials: dict[str, str], total: int) -> Result:
    """Page through every lead, 1,000 a page, as an export would."""
    async with open_backend("cmdatamanager", base_url, credentials) as crm:
        await crm.list("lead", Query(page=1, page_size=1))
        started = time.perf_counter()
        count = 0
        page = 1
        while True:
            result = await crm.list("lead", Query(page=page, page_size=1000))
            count += len(result.records)
            if result.is_last:
                break
            page += 1
        elapsed = time.perf_counter() - started
    rate = count / elapsed
    return Result(
        f"page through {count:,} records",
        f"{rate:,.0f} records/s ({elapsed:.1f} s)",
        "at least 20,000 records/s",
        rate >= 20_000 and count >= total,
    )


def _start_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from spawning `argv` to its 'shown' line, and its peak RSS in KiB."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "shown":
            break
    else:
        raise RuntimeError(f"{argv} never said 'shown'")
    shown = time.perf_counter() - started
    process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{argv} exited {process.returncode}")
    return shown, usage.ru_maxrss


def bench_start(rounds: int) -> list[Result]:
    """Cold start to the main window shown, and peak RSS, against a bare PySide6 + qasync window."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    bare = [sys.executable, str(Path(__file__).with_name("bare_window.py"))]
    ours = [sys.executable, "-m", "crmdesk", "--quit-when-shown"]
    bare_t, ours_t, bare_m, ours_m = [], [], [], []
    with tempfile.TemporaryDirectory() as home:
        env["CRMDESK_HOME"] = home
        _start_once(bare, env)  # warm the file cache for both
        _start_once(ours, env)
        for _ in range(rounds):
            t, m = _start_once(bare, env)
            bare_t.append(t)
            bare_m.append(m)
            t, m = _start_once(ours, env)
            ours_t.append(t)
            ours_m.append(m)
    start = statistics.median(ours_t) / statistics.median(bare_t)
    memory = statistics.median(ours_m) / statistics.median(bare_m)
    return [
        Result(
            "cold start to the main window shown",
            f"{start:.2f}x ({statistics.median(ours_t) * 1000:.0f} ms vs "
            f"{statistics.median(bare_t) * 1000:.0f} ms)",
            "at most 1.5x a bare PySide6 + qasync window",
            start <= 1.5,
        ),
        Result(
            "idle memory (peak RSS)",
            f"{memory:.2f}x ({statistics.median(ours_m) / 1024:.0f} MiB vs "
            f"{statistics.median(bare_m) / 1024:.0f} MiB)",
            "at most 1.5x a bare PySide6 + qasync window",
            memory <= 1.5,
        ),
    ]


def _bench_script(name: str, *args: str) -> dict[str, Any]:
    """Run one of the Qt benchmark scripts in its own process; its last line is JSON."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    with tempfile.TemporaryDirectory() as home:
        env["CRMDESK_HOME"] = home
        script = str(Path(__file__).with_name(name))
        done = subprocess.run(
            [sys.executable, script, *args], env=env, capture_output=True, text=True, check=True
        )
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def bench_browse_memory() -> Result:
    """Memory growth after paging the window through 100,000 records."""
    facts = _bench_script("browse_memory.py")
    return Result(
        f"memory after browsing {facts['records']:,} records in the window",
        f"+{facts['growth_mib']:.0f} MiB over the window with its first page shown "
        f"({facts['idle_mib']:.0f} -> {facts['after_mib']:.0f} MiB)",
        "at most 150 MiB over idle",
        facts["growth_mib"] <= 150.0,
    )


def bench_gui_stall() -> Result:
    """The GUI loop's longest stall while paging, with no inbox (inbox_stall.py adds it)."""
    facts = _bench_script("gui_stall.py")
    return Result(
        f"GUI loop while paging {facts['pages']} pages of 100 (no inbox: see the next line)",
        f"longest stall {facts['max_stall_ms']:.0f} ms, p99 {facts['p99_stall_ms']:.0f} ms",
        "no stall over 50 ms",
        facts["max_stall_ms"] <= 50.0,
    )


def bench_inbox_stall(runs: int) -> Result:
    """The GUI loop's longest stall while 500 notifications a second arrive and the user pages
    a list (inbox_stall.py), over `runs` processes; the same paging without notifications in
    each run says what the machine gives."""
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox.sqlite3"
        _bench_script("inbox_stall.py", "fill", str(inbox))  # 100,000 stored, copied per run
        facts = [_bench_script("inbox_stall.py", "--inbox", str(inbox)) for _ in range(runs)]
    phases = ("paging", "paging_ten_a_second", "inbox_paging")
    worst = [max(f[phase]["max_stall_ms"] for phase in phases) for f in facts]
    quiet = [f["paging_without_notifications"]["max_stall_ms"] for f in facts]
    rates = [f["paging_ten_a_second"]["arrived_per_s"] for f in facts]
    each = "; ".join(
        f"{phase} " + "/".join(f"{f[phase]['max_stall_ms']:.0f}" for f in facts) for phase in phases
    )
    return Result(
        f"GUI loop while 500 notifications/s arrive and the user pages ({runs} runs, "
        "100,000 stored)",
        f"longest stall min/median/max {min(worst):.0f}/{statistics.median(worst):.0f}/"
        f"{max(worst):.0f} ms ({each} ms); the same paging without notifications "
        f"{min(quiet):.0f}/{statistics.median(quiet):.0f}/{max(quiet):.0f} ms; arrived "
        f"{min(rates)}-{max(rates)}/s at ten pages a second",
        "no stall over 50 ms",
        statistics.median(worst) <= 50.0,
    )


def bench_inbox() -> Result:
    """Durable deliveries a second into the inbox, the pusher in another process (inbox_rate.py)."""
    from inbox_rate import measure

    facts = measure()
    low, median, high = (facts[f"deliveries_per_s_{k}"] for k in ("min", "median", "max"))
    return Result(
        "inbox: durable deliveries a second on loopback (pusher at concurrency 8)",
        f"median {median:,.0f}/s (min {low:,.0f}, max {high:,.0f})",
        "at least 2,000",
        facts["deliveries_per_s_median"] >= 2000,
    )


def bench_history() -> Result:
    """Inspector searches over 100,000 stored exchanges (history_search.py has them all)."""
    facts = _bench_script("history_search.py")
    slowest = max(facts["searches"].items(), key=lambda item: item[1]["median_ms"])
    return Result(
        f"history: {len(facts['searches'])} searches over {facts['exchanges']:,} exchanges",
        f"slowest median {slowest[1]['median_ms']:.0f} ms ({slowest[0]}); filled in "
        f"{facts['fill_s']:.0f} s, {facts['bytes_per_exchange']:,} bytes each on disk",
        "median under 250 ms (no budget in DESIGN.md yet)",
        slowest[1]["median_ms"] <= 250,
    )


def bench_export_file(base_url: str, credentials: dict[str, str]) -> list[Result]:
    """Export to CSV through paging (crmdesk.exporting), its rate and its memory."""
    from export_rate import measure  # beside this script, which is run as one

    facts = measure(base_url, credentials)
    growth = facts["peak_mib"] / facts["small_peak_mib"]
    return [
        Result(
            f"export {facts['records']:,} records to CSV through paging",
            f"{facts['rate']:,.0f} records/s "
            f"({facts['seconds']:.1f} s, {facts['file_mib']:.0f} MiB of CSV)",
            "at least 20,000 records/s",
            facts["rate"] >= 20_000,
        ),
        Result(
            "export memory does not grow with the records",
            f"peak {facts['peak_mib']:.1f} MiB for {facts['records']:,} vs "
            f"{facts['small_peak_mib']:.1f} MiB for {facts['small_records']:,}",
            "at most 1.2x for 5x the records",
            growth <= 1.2,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--starts", type=int, default=7, help="start-ups of each program")
    parser.add_argument("--stall-runs", type=int, default=3, help="runs of inbox_stall.py")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[Result] = [*bench_start(args.starts), bench_gui_stall(), bench_browse_memory()]
    results.append(bench_inbox_stall(args.stall_runs))
    results.append(bench_history())
    with SandboxThread(kinds=("cmdatamanager",), records_per_entity=args.records) as sandbox:
        endpoint = sandbox.endpoints[0]
        creds = dict(endpoint.credentials)
        results.append(asyncio.run(bench_list_page(endpoint.base_url, creds, args.rounds)))
        results.append(asyncio.run(bench_export(endpoint.base_url, creds, args.records)))
        results += bench_export_file(endpoint.base_url, creds)
    results.append(bench_inbox())
    width = max(len(r.name) for r in results)
    for r in results:
        verdict = "ok  " if r.ok else "MISS"
        print(f"{verdict} {r.name:<{width}}  {r.measured}  (budget: {r.budget})")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
