"""crmdesk's budgets (DESIGN.md), measured as ratios against baselines taken in the same run.

Run with `make bench`. Each budget is measured over several runs; the verdict is the median
run's. The results go to docs/benchmarks.md (between its generated markers; the text around
them is kept) and docs/benchmarks.json, and a line per budget is printed. The exit status is
non-zero if any budget is missed. Not part of `make test`: shared machines are too noisy for
timings to be test assertions.
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
from pathlib import Path
from typing import Any

import httpx
from report import machine, write_json, write_markdown
from results import Result
from startup import bench_start

from crmdesk.api import Query, open_backend
from crmdesk.sandbox import SandboxThread

DOCS = Path(__file__).resolve().parents[2] / "docs"


async def _seconds(fn: Callable[[int], Awaitable[object]], i: int) -> float:
    started = time.perf_counter()
    await fn(i)
    return time.perf_counter() - started


async def _list_ratios(
    base_url: str, credentials: dict[str, str], runs: int, calls: int
) -> tuple[list[float], list[float], list[float]]:
    """Per run: the ratio of medians, ours over bare; and every call's time of each side."""
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

            ratios: list[float] = []
            all_ours: list[float] = []
            all_bare: list[float] = []
            for _ in range(runs):
                # Alternate call by call so both see the same machine load.
                ours_t: list[float] = []
                bare_t: list[float] = []
                for i in range(calls):
                    ours_t.append(await _seconds(ours, i))
                    bare_t.append(await _seconds(baseline, i))
                ratios.append(statistics.median(ours_t) / statistics.median(bare_t))
                all_ours += ours_t
                all_bare += bare_t
    return ratios, all_ours, all_bare


def bench_list_page(base_url: str, credentials: dict[str, str], runs: int, calls: int) -> Result:
    """`list()` of a 100-record page vs a bare httpx GET + json.loads of the same page."""
    ratios, ours, bare = asyncio.run(_list_ratios(base_url, credentials, runs, calls))
    return Result(
        "list_page",
        "`list()` of a 100-record page from the sandbox on loopback",
        "a bare httpx GET + `json.loads` of the same page, call by call in turn",
        "x",
        ratios,
        1.3,
        facts=f"median {statistics.median(ours) * 1000:.2f} ms vs "
        f"{statistics.median(bare) * 1000:.2f} ms, {runs} runs of {calls} calls each",
    )


async def _page_through(base_url: str, credentials: dict[str, str]) -> tuple[int, float]:
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
        return count, time.perf_counter() - started


def bench_paging(base_url: str, credentials: dict[str, str], total: int, runs: int) -> Result:
    """Page through every lead, 1,000 a page, as an export would (without writing a file)."""
    rates = []
    for _ in range(runs):
        count, seconds = asyncio.run(_page_through(base_url, credentials))
        if count < total:
            raise RuntimeError(f"paged through {count} records of {total}")
        rates.append(count / seconds)
    return Result(
        "paging",
        f"`list()` through all {total:,} records, 1,000 a page (no file written)",
        "",
        "/s",
        rates,
        20_000,
        higher_is_better=True,
        facts=f"records a second over {runs} runs",
    )


def _with_bytecode(env: dict[str, str]) -> dict[str, str]:
    """`env` for Python as an installed crmdesk runs: bytecode beside the sources, written by
    `compile_crmdesk` before the first benchmark. Without it, a module first imported while a
    benchmark measures (crmdesk loads many on first use) is compiled then, and the stall
    measured is the compiler's."""
    env = dict(env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def compile_crmdesk() -> None:
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(DOCS.parent / "crmdesk")],
        env=_with_bytecode({**os.environ}),
        check=True,
    )


def _bench_script(name: str, *args: str) -> dict[str, Any]:
    """Run one of the Qt benchmark scripts in its own process; its last line is JSON."""
    env = _with_bytecode({**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"})
    with tempfile.TemporaryDirectory() as home:
        env["CRMDESK_HOME"] = home
        script = str(Path(__file__).with_name(name))
        done = subprocess.run(
            [sys.executable, script, *args], env=env, capture_output=True, text=True, check=True
        )
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


def bench_browse_memory(runs: int) -> Result:
    """Memory growth after paging the window through 100,000 records."""
    facts = [_bench_script("browse_memory.py") for _ in range(runs)]
    idle = statistics.median(f["idle_mib"] for f in facts)
    after = statistics.median(f["after_mib"] for f in facts)
    return Result(
        "browse_memory",
        f"memory after browsing {facts[0]['records']:,} records in the window, 500 a page",
        "the same window with its first page shown (RSS)",
        "MiB",
        [f["growth_mib"] for f in facts],
        150.0,
        facts=f"median RSS {idle:.0f} MiB with the first page, {after:.0f} MiB after the last",
    )


def bench_gui_stall(runs: int) -> Result:
    """The GUI loop's longest stall while paging, with no inbox (inbox_stall has one)."""
    facts = [_bench_script("gui_stall.py") for _ in range(runs)]
    p99 = sorted(f["p99_stall_ms"] for f in facts)
    return Result(
        "gui_stall",
        f"the GUI loop's longest stall while paging {facts[0]['pages']} pages of 100 "
        "(no notifications: inbox_stall adds them)",
        "",
        "ms",
        [f["max_stall_ms"] for f in facts],
        50.0,
        facts=f"p99 of the 5 ms ticks' gaps {p99[0]:.0f}-{p99[-1]:.0f} ms; "
        f"{statistics.median(f['seconds'] for f in facts):.1f} s for the pages",
    )


def bench_inbox_stall(runs: int) -> Result:
    """The GUI loop's longest stall while 500 notifications a second arrive and the user pages
    a list (inbox_stall.py), one process a run; the same paging without notifications in each
    run says what the machine gives."""
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder) / "inbox.sqlite3"
        _bench_script("inbox_stall.py", "fill", str(inbox))  # 100,000 stored, copied per run
        facts = [_bench_script("inbox_stall.py", "--inbox", str(inbox)) for _ in range(runs)]
    phases = ("paging", "paging_ten_a_second", "inbox_paging")
    quiet = [f["paging_without_notifications"]["max_stall_ms"] for f in facts]
    rates = [f["paging_ten_a_second"]["arrived_per_s"] for f in facts]
    each = "; ".join(
        f"{phase} " + "/".join(f"{f[phase]['max_stall_ms']:.0f}" for f in facts) for phase in phases
    )
    return Result(
        "inbox_stall",
        "the GUI loop's longest stall while 500 notifications a second arrive (100,000 "
        "stored) and the user pages the list and the inbox",
        "",
        "ms",
        [max(f[phase]["max_stall_ms"] for phase in phases) for f in facts],
        50.0,
        facts=f"per phase, run by run: {each} ms; the same paging without notifications "
        f"{min(quiet):.0f}-{max(quiet):.0f} ms; {min(rates)}-{max(rates)} arrived a second "
        "at ten pages a second",
        extra={"runs": facts},
    )


def bench_inbox() -> Result:
    """Durable deliveries a second into the inbox, the pusher in another process (inbox_rate.py)."""
    from inbox_rate import measure

    facts = measure()
    return Result(
        "inbox_rate",
        "inbox: durable deliveries a second on loopback (the pusher in another process, "
        "concurrency 8)",
        "",
        "/s",
        facts["rates"],
        2000,
        higher_is_better=True,
        facts=f"{facts['runs']} runs of {facts['deliveries_per_run']:,} deliveries",
    )


def bench_history() -> Result:
    """Inspector searches over 100,000 stored exchanges (history_search.py has them all)."""
    facts = _bench_script("history_search.py")
    name, slowest = max(facts["searches"].items(), key=lambda item: item[1]["median_ms"])
    return Result(
        "history_search",
        f"history: the slowest of {len(facts['searches'])} inspector searches over "
        f"{facts['exchanges']:,} stored exchanges ({name})",
        "",
        "ms",
        slowest["runs_ms"],
        250.0,
        facts="medians: "
        + "; ".join(f"{n} {s['median_ms']:.0f} ms" for n, s in facts["searches"].items())
        + f". Filled in {facts['fill_s']:.0f} s, {facts['bytes_per_exchange']:,} bytes an "
        "exchange on disk; no budget in DESIGN.md yet (this one is the bench's own)",
        extra={"searches": facts["searches"]},
    )


def bench_export_file(base_url: str, credentials: dict[str, str], runs: int) -> list[Result]:
    """Export to CSV through paging (crmdesk.exporting), its rate and its memory."""
    from export_rate import measure  # beside this script, which is run as one

    facts = measure(base_url, credentials, runs)
    return [
        Result(
            "export_rate",
            f"export {facts['records']:,} records to CSV through paging (crmdesk.exporting)",
            "",
            "/s",
            facts["rates"],
            20_000,
            higher_is_better=True,
            facts=f"{facts['file_mib']:.0f} MiB of CSV",
        ),
        Result(
            "export_memory",
            "export memory: peak Python allocation for 100,000 records",
            f"the same export of {facts['small_records']:,} records",
            "x",
            [facts["peak_mib"] / facts["small_peak_mib"]],
            1.2,
            facts=f"{facts['peak_mib']:.1f} MiB vs {facts['small_peak_mib']:.1f} MiB "
            "(tracemalloc; one traced run each)",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--starts", type=int, default=7, help="rounds of start-ups")
    parser.add_argument("--runs", type=int, default=3, help="runs of the longer benchmarks")
    parser.add_argument("--only", nargs="*", help="keys of the budgets to measure (no report)")
    parser.add_argument("--no-report", action="store_true", help="print only, write no docs")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    before = machine()
    started = time.perf_counter()
    wanted = set(args.only or ())

    def want(*keys: str) -> bool:
        return not wanted or bool(wanted.intersection(keys))

    compile_crmdesk()
    results: list[Result] = []
    if want("cold_start", "idle_memory", "demo_start"):
        results += bench_start(args.starts)
    if want("gui_stall"):
        results.append(bench_gui_stall(args.runs))
    if want("inbox_stall"):
        results.append(bench_inbox_stall(args.runs))
    if want("browse_memory"):
        results.append(bench_browse_memory(args.runs))
    if want("history_search"):
        results.append(bench_history())
    if want("list_page", "paging", "export_rate", "export_memory"):
        with SandboxThread(kinds=("cmdatamanager",), records_per_entity=args.records) as sandbox:
            endpoint = sandbox.endpoints[0]
            creds = dict(endpoint.credentials)
            if want("list_page"):
                results.append(bench_list_page(endpoint.base_url, creds, 5, 80))
            if want("paging"):
                results.append(bench_paging(endpoint.base_url, creds, args.records, args.runs))
            if want("export_rate", "export_memory"):
                results += bench_export_file(endpoint.base_url, creds, args.runs)
    if want("inbox_rate"):
        results.append(bench_inbox())
    after = machine()
    width = max(len(r.key) for r in results)
    for r in results:
        print(f"{r.verdict:<6} {r.key:<{width}}  {r.spread}  (budget: {r.budget}; {r.facts})")
    if not args.only and not args.no_report:
        took = time.perf_counter() - started
        write_markdown(DOCS / "benchmarks.md", results, before, after, took)
        write_json(DOCS / "benchmarks.json", results, before, after, took)
        print(f"wrote {DOCS / 'benchmarks.md'} and {DOCS / 'benchmarks.json'}")
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
