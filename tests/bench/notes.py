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
        "What the first window costs beyond a bare one is now crmdesk's own UI: the modules of "
        "the main window and everything it builds before its first paint. Profiled on "
        "2026-12-02 with bytecode (`python -m cProfile -m crmdesk --quit-when-shown`, five "
        "saved connections; times under the profiler, about 1.5x real): importing "
        "crmdesk.ui.main_window 236 ms, of which the record editing window and the browser "
        "146 ms, the inspector dock about 70 ms and the inbox dock about 55 ms; PySide6 making "
        "its Python enums for the Qt flags those modules name (enum `_create_`, 363 calls, 179 "
        "ms) and 89 dataclasses (103 ms) are spread across them; building the window 79 ms. "
        "No single module dominates any more: meeting 1.5x needs the docks, the editing window "
        "and the browser built on first use rather than before the first paint, a "
        "restructuring of MainWindow left for its own change. Before this issue's work the "
        "same start-up loaded every API's module and httpx before the first paint (the inbox "
        "dock asked which APIs notify), httpx's command-line tool and rich, the history, "
        "inbox and change-log modules, and started the listener: 5.04x, 1,202 ms vs 238 ms.",
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
        "Everything the cold start pays, and the five emulators before the window: the demo "
        "opens its sandbox first, because its connections are the emulators' addresses. "
        "Profiled on 2026-12-02 (`python -m cProfile -m crmdesk --demo --quit-when-shown`, "
        "times under the profiler): importing crmdesk.sandbox 479 ms (aiohttp.web, loaded with "
        "the first emulator, 347 ms; the CMDataManager emulator's data module 69 ms) and "
        "making the five emulators 91 ms, against 601 ms for the UI's modules and 106 ms for "
        "the window. Meeting 2x needs the window shown before the sandbox starts (the "
        "connections listed as starting, added once their emulators listen), not done here.",
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
    "inbox_stall": Note(
        "inbox_stall.py, in a process of its own per run: the window on a Desk opened as the "
        "app opens it (history, inbox with 100,000 stored messages, the listener on loopback), "
        "a CMDataManager sandbox in a thread and a pusher process sending 500 aicore "
        "notifications a second to the listener. The user pages the list 100 pages as fast as "
        "they come, 100 more at ten a second, then the inbox through 100 screens; a 5 ms "
        "QTimer's longest gap over the three phases, less its 5 ms, is the run's stall. The "
        "same paging with no notifications is measured first in each run.",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -m cProfile -o inbox.prof "
        "tests/bench/inbox_stall.py --inbox /tmp/inbox.sqlite3 (after `inbox_stall.py fill "
        "/tmp/inbox.sqlite3`)",
        "The longest gaps are a page shown while deliveries arrive: the page's paint (Qt's "
        "table paint, 13 ms a paint of its own under the profiler, and the page model's and "
        "the edit overlay's `data` for each visible cell), then the deliveries that came "
        "meanwhile, each parsed, stored and answered on the GUI's loop (the listener shares "
        "it: `_handle` 0.2 ms a delivery under the profiler) and the inspector's list "
        "repainted. Profiled on 2026-12-02. The same paging without notifications stays under "
        "the budget in most runs; moving the listener's parsing off the GUI loop (a thread or "
        "process of its own, as `crmdesk listen` already is) is the next step.",
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
