"""What report.py says about each budget besides its figures, kept by hand: how it is measured,
the command that profiles it, and the known cause to print when it is missed.

A cause is what was found by profiling, with the profile's command; when a budget that was met
starts to miss, profile it again before trusting the text here.
"""

from __future__ import annotations

from dataclasses import dataclass

_PYSPY = ".venv/bin/pip install py-spy &&"


@dataclass(frozen=True)
class Note:
    how: str
    profile: str
    cause: str = "Not known yet: profile it with the command above."


NOTES: dict[str, Note] = {
    "cold_start": Note(
        "Seconds from spawning `python -m crmdesk --quit-when-shown` to its 'shown' line, "
        "printed once the main window has been painted, over the same for bare_window.py; in "
        "turn, one of each a round, after one uncounted round that compiles the bytecode and "
        "warms the file cache. crmdesk's data directory holds five saved connections, one of "
        "each kind (aicore's with notifications on), the first one last used: the window lists "
        "them (and would connect the last used one after its first paint).",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -X importtime -m crmdesk --quit-when-shown "
        "2>&1 | sort -t'|' -k2 -n | tail -40",
    ),
    "idle_memory": Note(
        "Peak RSS (`wait4`'s ru_maxrss) of the same start-ups as the cold start, over the bare "
        "window's.",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -X importtime -m crmdesk --quit-when-shown",
    ),
    "demo_start": Note(
        "As the cold start, for `crmdesk --demo`: its five emulators, their connections and "
        "the first connection opened. The budget is new (issue 13): the demo is a newcomer's "
        "first impression of crmdesk, so its window must come as quickly as the app's, give or "
        "take the emulators; at most twice a bare window.",
        f"{_PYSPY} QT_QPA_PLATFORM=offscreen .venv/bin/py-spy record -r 1000 -o demo.svg -- "
        ".venv/bin/python -m crmdesk --demo --quit-when-shown",
    ),
    "cold_start_no_bytecode": Note(
        "The cold start again, with PYTHONDONTWRITEBYTECODE=1 and no bytecode cache, so every "
        "start compiles crmdesk's modules from source (the packages' own bytecode, compiled "
        "by pip, is used): what a checkout run on a machine with that variable set pays. An "
        "installed crmdesk and the bundle carry bytecode, so this has no budget.",
        "PYTHONDONTWRITEBYTECODE=1 QT_QPA_PLATFORM=offscreen .venv/bin/python -X importtime "
        "-m crmdesk --quit-when-shown",
    ),
    "gui_stall": Note(
        "gui_stall.py, in a process of its own per run: the main window on a CMDataManager "
        "sandbox (in a thread of the same process) pages 100 pages of 100 records as fast as "
        "they come; a 5 ms QTimer's longest gap, less its 5 ms, is the run's stall.",
        f"{_PYSPY} QT_QPA_PLATFORM=offscreen .venv/bin/py-spy record -r 500 --threads -o "
        "stall.svg -- .venv/bin/python tests/bench/gui_stall.py",
    ),
    "browse_memory": Note(
        "browse_memory.py: the window pages through 100,000 records, 500 a page, from a sandbox "
        "in another process; the growth of its RSS from the first page to the last.",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/browse_memory.py",
    ),
    "history_search": Note(
        "history_search.py: 100,000 realistic exchanges stored, then nine typical inspector "
        "searches, seven times each; the runs are those of the slowest search.",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/history_search.py",
    ),
    "list_page": Note(
        "CMDataManager `list()` of a 100-record page from the sandbox (a thread of the bench "
        "process) against a bare httpx GET of the same page with the same token and "
        "`json.loads`, call by call in turn; five runs of 80 pairs, the ratio of each run's "
        "medians.",
        f"{_PYSPY} .venv/bin/py-spy record -r 1000 -o list.svg -- .venv/bin/python "
        "tests/bench/run.py --only list_page",
    ),
    "paging": Note(
        "`list()` through every lead of the 100,000 of the sandbox, 1,000 a page.",
        ".venv/bin/python tests/bench/run.py --only paging",
    ),
    "export_rate": Note(
        "export_rate.py: every lead, every field, to CSV through crmdesk.exporting.",
        ".venv/bin/python tests/bench/export_rate.py",
    ),
    "export_memory": Note(
        "export_rate.py: the peak traced allocation of the export of 100,000 records over that "
        "of 20,000: the export must not hold the records.",
        ".venv/bin/python tests/bench/export_rate.py",
    ),
    "inbox_rate": Note(
        "inbox_rate.py: a pusher process (`python -m crmdesk.sandbox.push aicore`, concurrency "
        "8) delivers 5,000 notifications per run to the listener, each answered only once "
        "stored (SQLite, synchronous=FULL); one warm-up run, five counted.",
        ".venv/bin/python tests/bench/inbox_rate.py",
    ),
}
