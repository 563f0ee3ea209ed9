"""Start-up budgets: crmdesk's main window and the demo's, against a bare PySide6 + qasync
window (bare_window.py), started in turn (bare, crmdesk, demo, bare, ...) so each ratio is
taken within one round of the same machine load; and idle memory (peak RSS) of the same runs.

Each program prints "shown" once its window is painted (`--quit-when-shown`); the time is from
spawning it to that line. crmdesk starts as it does for someone who has set it up: five saved
connections, one of each kind (one with notifications on), the last used one remembered.

Python starts as an installed crmdesk does, with compiled bytecode: the first (uncounted)
round writes it to a cache of this run's own (PYTHONPYCACHEPREFIX), as pip and the bundle
compile it at install. One more series starts crmdesk with no bytecode
(PYTHONDONTWRITEBYTECODE=1, each start compiles crmdesk's sources), for information: a
checkout run so pays that on every start.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import Result

from crmdesk.api import kind_info, kinds
from crmdesk.profiles import NotificationSettings, Profile, ProfileStore

BARE = [sys.executable, str(Path(__file__).with_name("bare_window.py"))]
OURS = [sys.executable, "-m", "crmdesk", "--quit-when-shown"]
DEMO = [sys.executable, "-m", "crmdesk", "--demo", "--quit-when-shown"]


def start_once(argv: list[str], env: dict[str, str]) -> tuple[float, int]:
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


def saved_connections(home: Path) -> None:
    """One saved connection of each kind in `home` (CRMDESK_HOME), as after setting up."""
    profiles = [
        Profile(
            name=f"{kind_info(kind).label} production",
            kind=kind,
            base_url=kind_info(kind).default_base_url or f"https://{kind}.example.com/api",
            notifications=NotificationSettings(enabled=True) if kind == "aicore" else None,
            id=f"bench-{kind}",
        )
        for kind in kinds()
    ]
    store = ProfileStore(home / "config" / "profiles.json")
    store.save(profiles, last_used=profiles[0].id)


def _env(home: Path, *, bytecode: bool) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    env["CRMDESK_HOME"] = str(home)
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if bytecode:
        env["PYTHONPYCACHEPREFIX"] = str(home.parent / "bytecode")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _ms(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    return f"{ordered[len(ordered) // 2] * 1000:.0f} ms"


def bench_start(rounds: int) -> list[Result]:
    """Cold start, idle memory and the demo's start, each a ratio per round to that round's
    bare window; then crmdesk without bytecode against the bare window (for information)."""
    times: dict[str, list[float]] = {"bare": [], "ours": [], "demo": []}
    memory: dict[str, list[int]] = {"bare": [], "ours": []}
    with tempfile.TemporaryDirectory() as folder:
        homes = {name: Path(folder) / name for name in ("bare", "ours", "demo", "plain")}
        for name, home in homes.items():
            home.mkdir()
            if name in ("ours", "plain"):
                saved_connections(home)
        envs = {name: _env(home, bytecode=name != "plain") for name, home in homes.items()}
        programs = {"bare": BARE, "ours": OURS, "demo": DEMO}
        for name, argv in programs.items():  # compiles the bytecode, warms the file cache
            start_once(argv, envs[name])
        for _ in range(rounds):
            for name, argv in programs.items():
                seconds, peak = start_once(argv, envs[name])
                times[name].append(seconds)
                if name in memory:
                    memory[name].append(peak)
        plain: list[float] = []
        plain_bare: list[float] = []
        start_once(OURS, envs["plain"])
        for _ in range(max(3, rounds // 2)):
            plain_bare.append(start_once(BARE, envs["bare"])[0])
            plain.append(start_once(OURS, envs["plain"])[0])
    bare, ours, demo = times["bare"], times["ours"], times["demo"]
    ratio = [o / b for o, b in zip(ours, bare, strict=True)]
    demo_ratio = [d / b for d, b in zip(demo, bare, strict=True)]
    mem_ratio = [o / b for o, b in zip(memory["ours"], memory["bare"], strict=True)]
    plain_ratio = [o / b for o, b in zip(plain, plain_bare, strict=True)]
    bare_words = "a bare PySide6 + qasync window (bare_window.py), same round"
    mib = sorted(m / 1024 for m in memory["ours"])
    bare_mib = sorted(m / 1024 for m in memory["bare"])
    return [
        Result(
            "cold_start",
            "cold start to the main window shown (`crmdesk --quit-when-shown`)",
            bare_words,
            "x",
            ratio,
            1.5,
            facts=f"median {_ms(ours)} vs {_ms(bare)} for the bare window",
        ),
        Result(
            "idle_memory",
            "idle memory: peak RSS of the same start-ups",
            bare_words,
            "x",
            mem_ratio,
            1.5,
            facts=f"median {mib[len(mib) // 2]:.0f} MiB vs {bare_mib[len(bare_mib) // 2]:.0f} MiB",
        ),
        Result(
            "demo_start",
            "the demo's start to its window shown (`crmdesk --demo --quit-when-shown`)",
            bare_words,
            "x",
            demo_ratio,
            2.0,
            facts=f"median {_ms(demo)} vs {_ms(bare)} for the bare window",
            new=True,
        ),
        Result(
            "cold_start_no_bytecode",
            "cold start with no bytecode (PYTHONDONTWRITEBYTECODE=1: crmdesk compiled each start)",
            bare_words,
            "x",
            plain_ratio,
            None,
            facts=f"median {_ms(plain)} vs {_ms(plain_bare)} for the bare window",
        ),
    ]
