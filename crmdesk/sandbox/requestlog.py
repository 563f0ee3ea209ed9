"""A bounded, thread-safe log of the requests an emulator received, for tests to assert on."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass(slots=True)
class RecordedRequest:
    """One received request and the status answered (None while in flight or if none was sent)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int | None = None
    fault: str | None = None
    received_at: float = field(default_factory=time.time)

    def header(self, name: str) -> str | None:
        """A header's value, looked up case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "body": self.body.decode("utf-8", errors="replace"),
            "status": self.status,
            "fault": self.fault,
            "received_at": self.received_at,
        }


class RequestLog:
    """The last `capacity` requests, oldest first."""

    def __init__(self, capacity: int = 1000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[RecordedRequest] = deque(maxlen=capacity)

    def add(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def snapshot(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
