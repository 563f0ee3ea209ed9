"""Retention: how much exchange history to keep, as the user set it, saved as JSON in config_dir.

Defaults keep weeks of normal work. A busy day at the desk is about 3,000 exchanges (a call
every ten seconds over eight hours is 2,880), so:

- by age, 42 days (six weeks) is what a support person reaches back to for "it worked last
  month" without the history ever becoming an archive;
- by count, 150,000 exchanges is 50 busy days, so the age limit is the one normally reached
  and the count only stops a burst of automation (fetch-all-pages loops) from crowding out
  the weeks before it;
- by size, 1 GiB: `make bench` (tests/bench/history_search.py) measures about 5 KiB on
  disk per exchange of a realistic mix (1 KiB record reads, 25-record list pages, updates,
  logins, failures), so 150,000 exchanges take about 730 MiB: the size limit is reached
  only when bodies are much larger than usual, and it keeps a laptop's disk from filling.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from crmdesk import paths

log = logging.getLogger(__name__)

SETTINGS_FILE = "history.json"
_VERSION = 1

# Below these, history stops being useful for support work; refuse rather than silently
# keeping nothing.
MIN_EXCHANGES = 100
MIN_AGE_DAYS = 1.0
MIN_MEGABYTES = 10


@dataclass(frozen=True, slots=True)
class Retention:
    """The three limits history is kept within; the first one reached decides."""

    max_exchanges: int = 150_000
    max_age_days: float = 42.0
    max_megabytes: int = 1024

    def __post_init__(self) -> None:
        _check_number("max_exchanges", self.max_exchanges, MIN_EXCHANGES, whole=True)
        _check_number("max_age_days", self.max_age_days, MIN_AGE_DAYS, whole=False)
        _check_number("max_megabytes", self.max_megabytes, MIN_MEGABYTES, whole=True)

    @property
    def max_age_seconds(self) -> float:
        return self.max_age_days * 86_400.0

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * 1024 * 1024

    @classmethod
    def load(cls, path: Path | None = None) -> Retention:
        """The saved limits, or the defaults when nothing usable is saved (said in the log).

        A file crmdesk cannot read never stops the app: each value that is missing or out
        of range falls back to its default on its own, and the reason is logged.
        """
        path = path or default_path()
        try:
            document: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning(
                "history retention settings in %s are unreadable (%s); using defaults", path, exc
            )
            return cls()
        if not isinstance(document, dict):
            log.warning("history retention settings in %s are not an object; using defaults", path)
            return cls()
        values: dict[str, Any] = {}
        for name, default in asdict(cls()).items():
            value = document.get(name, default)
            try:
                cls(**{name: value})
            except (TypeError, ValueError) as exc:
                log.warning("history retention %s in %s: %s; using %s", name, path, exc, default)
                value = default
            values[name] = value
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        """Write the limits atomically: a crash leaves the old file or the new one."""
        document = {"version": _VERSION, **asdict(self)}
        paths.write_atomically(path or default_path(), json.dumps(document, indent=2) + "\n")


def default_path() -> Path:
    return paths.config_dir() / SETTINGS_FILE


def _check_number(name: str, value: object, minimum: float, *, whole: bool) -> None:
    # bool is an int to Python, but "true" is not a number of days to a user.
    wrong_kind = isinstance(value, float) and whole
    if isinstance(value, bool) or not isinstance(value, int | float) or wrong_kind:
        what = "a whole number" if whole else "a number"
        raise ValueError(f"{name} must be {what}, not {value!r}.")
    if not value >= minimum:  # also refuses NaN
        raise ValueError(f"{name} must be at least {minimum:g}, not {value!r}.")
