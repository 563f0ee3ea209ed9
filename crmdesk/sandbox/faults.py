"""Fault injection for the emulators: a thread-safe plan of misbehaviours for upcoming requests."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from enum import StrEnum

DEFAULT_HANG_SECONDS = 30.0
# A 429's quota resets this soon unless the injection says otherwise.
DEFAULT_QUOTA_RESET_SECONDS = 2.0


class Fault(StrEnum):
    """The ways an emulator can misbehave on a request."""

    HTTP_401 = "HTTP_401"
    HTTP_403 = "HTTP_403"
    HTTP_500 = "HTTP_500"
    HTTP_503 = "HTTP_503"
    HTTP_429 = "HTTP_429"
    HANG = "HANG"
    MALFORMED_JSON = "MALFORMED_JSON"
    HTML_ERROR_PAGE = "HTML_ERROR_PAGE"
    WRONG_TYPES = "WRONG_TYPES"
    DROP_CONNECTION = "DROP_CONNECTION"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    EMPTY_BODY = "EMPTY_BODY"


@dataclass(frozen=True, slots=True)
class PlannedFault:
    """One injection: `fault` for the next `remaining` requests matching the filters.

    `seconds` is how long a HANG lasts, or how soon the quota a 429 says is spent resets.
    """

    fault: Fault
    remaining: int
    path: str | None = None
    method: str | None = None
    seconds: float = DEFAULT_HANG_SECONDS

    def matches(self, method: str, path: str) -> bool:
        # Case-insensitive because the emulated APIs treat entity names that way.
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self.path is None or self.path.lower() in path.lower()


class FaultPlan:
    """Pending faults, consumed first-in first-out by the requests they match.

    Tests inject from their own thread while the emulator's loop consumes, hence the lock.
    """

    def __init__(self, hang_seconds: float = DEFAULT_HANG_SECONDS) -> None:
        self.hang_seconds = hang_seconds
        self._lock = threading.Lock()
        self._planned: list[PlannedFault] = []

    def inject(
        self,
        fault: Fault | str,
        count: int = 1,
        path: str | None = None,
        method: str | None = None,
        *,
        seconds: float | None = None,
    ) -> None:
        """Make the next `count` requests whose path contains `path` (and method is `method`)
        misbehave as `fault`. `seconds` is how long a HANG lasts (default `hang_seconds`), or
        how soon the quota of an HTTP_429 resets (default 2 s)."""
        kind = Fault(fault)
        if count < 1:
            raise ValueError("count must be at least 1")
        if seconds is None:
            seconds = DEFAULT_QUOTA_RESET_SECONDS if kind is Fault.HTTP_429 else self.hang_seconds
        planned = PlannedFault(kind, count, path, method, seconds)
        with self._lock:
            self._planned.append(planned)

    def take(self, method: str, path: str) -> PlannedFault | None:
        """The fault this request must suffer, if any; counts it off the plan."""
        with self._lock:
            for index, planned in enumerate(self._planned):
                if planned.matches(method, path):
                    if planned.remaining > 1:
                        self._planned[index] = replace(planned, remaining=planned.remaining - 1)
                    else:
                        del self._planned[index]
                    return planned
        return None

    @property
    def pending(self) -> list[PlannedFault]:
        with self._lock:
            return list(self._planned)

    def clear(self) -> None:
        with self._lock:
            self._planned.clear()
