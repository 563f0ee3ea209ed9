"""docs/benchmarks.md and docs/benchmarks.json from one `make bench` run.

The Markdown file's generated part lies between BEGIN and END; what is around it (how to read
the figures, the history of changes and their profiles) is written by hand and kept. The JSON
file is all generated.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from notes import NOTES
from results import Result, shown

BEGIN = "<!-- make bench writes from here to the end marker; edit the text around it -->"
END = "<!-- end of what make bench writes -->"
_ROOT = Path(__file__).resolve().parents[2]


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=_ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def machine() -> dict[str, Any]:
    """Where and when: the load average now (1, 5 and 15 minutes), cores, versions, commit."""
    load = [round(x, 2) for x in os.getloadavg()]
    return {
        "utc": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "load": load,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pyside6": version("PySide6-Essentials"),
        "commit": _git("rev-parse", "--short=10", "HEAD"),
        # Changes to what the bench writes itself do not count: they are its last results.
        "changed": bool(
            _git(
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                ".",
                ":!docs/benchmarks.md",
                ":!docs/benchmarks.json",
            )
        ),
    }


def write_json(
    path: Path, results: list[Result], before: dict[str, Any], after: dict[str, Any], took: float
) -> None:
    document = {
        "run": {**before, "load_after": after["load"], "seconds": round(took)},
        "results": [r.as_json() for r in results],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_markdown(
    path: Path, results: list[Result], before: dict[str, Any], after: dict[str, Any], took: float
) -> None:
    generated = "\n".join([BEGIN, *_generated(results, before, after, took), END])
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        text = head + generated + rest.split(END, 1)[1]
    else:
        text = f"# crmdesk benchmarks\n\n{generated}\n"
    path.write_text(text, encoding="utf-8")


def _generated(
    results: list[Result], before: dict[str, Any], after: dict[str, Any], took: float
) -> list[str]:
    commit = before["commit"] + (" with uncommitted changes" if before["changed"] else "")
    lines = [
        "",
        f"Measured by `make bench` on {before['utc']} UTC at commit {commit}, in "
        f"{took / 60:.0f} min: {before['cores']} cores, Python {before['python']}, PySide6 "
        f"{before['pyside6']}, Qt offscreen. The 1-minute load average was "
        f"{before['load'][0]} when it started and {after['load'][0]} when it ended "
        f"(5-minute: {before['load'][1]} and {after['load'][1]}).",
        "",
        "| budget | median | min / median / max of the runs | baseline | budget | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        title = r.title + (" **(new budget)**" if r.new else "")
        lines.append(
            f"| {title} | {shown(r.median, r.unit)} | {r.spread} | {r.baseline or '-'} | "
            f"{r.budget} | {r.verdict} |"
        )
    lines += [
        "",
        "A ratio is crmdesk's figure over the baseline's, taken within one run (one round, one "
        "call pair). The verdict is the median run's.",
        "",
    ]
    for r in results:
        lines += _details(r)
    return lines


def _details(r: Result) -> list[str]:
    note = NOTES[r.key]
    lines = [f"### {r.title}", "", note.how, ""]
    runs = ", ".join(shown(v, r.unit) for v in r.runs)
    lines.append(f"- Runs ({len(r.runs)}): {runs}. {r.facts}.")
    lines.append(f"- Budget: {r.budget}; {r.verdict}.")
    lines.append(f"- Profile: `{note.profile}`")
    if r.ok is False:
        lines += ["", f"**Why it misses.** {note.cause}"]
    lines.append("")
    return lines
