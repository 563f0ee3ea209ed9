"""One budget's measurement: the value of each run, the budget, and the verdict (on the median).

Every benchmark in run.py returns `Result`s; report.py turns them into docs/benchmarks.md and
docs/benchmarks.json. A run's value is a ratio against a baseline measured in the same run
(start-up, memory, `list()`), or an absolute figure where the budget is one (records a
second, milliseconds of stall, MiB).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

# How each unit is written after a number; "x" is a ratio against the baseline.
_FORMATS = {
    "x": "{:.2f}x",
    "ms": "{:,.0f} ms",
    "MiB": "{:,.0f} MiB",
    "/s": "{:,.0f}/s",
}


def shown(value: float, unit: str) -> str:
    return _FORMATS[unit].format(value)


@dataclass
class Result:
    """`runs` holds the measured value of each run; the verdict is the median's, so one slow
    (or one lucky) run on a shared machine does not decide it. `limit` None: no budget, the
    figure is for information."""

    key: str
    title: str
    baseline: str
    unit: str
    runs: list[float]
    limit: float | None
    higher_is_better: bool = False
    # The absolute figures behind a ratio, and anything else a reader needs (medians).
    facts: str = ""
    # Detail for the JSON file only (each search of the history benchmark, say).
    extra: dict[str, Any] = field(default_factory=dict)
    new: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> str:
        values = (min(self.runs), self.median, max(self.runs))
        return " / ".join(shown(v, self.unit) for v in values)

    @property
    def budget(self) -> str:
        if self.limit is None:
            return "none (for information)"
        words = "at least" if self.higher_is_better else "at most"
        return f"{words} {shown(self.limit, self.unit)}"

    @property
    def ok(self) -> bool | None:
        if self.limit is None:
            return None
        if self.higher_is_better:
            return self.median >= self.limit
        return self.median <= self.limit

    @property
    def verdict(self) -> str:
        return {True: "met", False: "MISSED", None: "-"}[self.ok]

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "measured": self.title,
            "baseline": self.baseline or None,
            "unit": self.unit,
            "runs": [round(v, 4) for v in self.runs],
            "min": round(min(self.runs), 4),
            "median": round(self.median, 4),
            "max": round(max(self.runs), 4),
            "budget": self.budget,
            "limit": self.limit,
            "higher_is_better": self.higher_is_better,
            "met": self.ok,
            "facts": self.facts,
            "new_budget": self.new,
            **({"extra": self.extra} if self.extra else {}),
        }
