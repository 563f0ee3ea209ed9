"""Exchange (one HTTP round trip, secrets already removed) and ExchangeLog (the recent ones).

Everything that reaches an Exchange has passed through the connection's Redactor first:
the inspector, history and exports can show an Exchange as it is. An Exchange is made to be
stored: its id is unique across runs and machines, it names its connection by profile id as
well as by display name, and it keeps the full sizes of bodies it keeps only the start of.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass

log = logging.getLogger(__name__)

Headers = tuple[tuple[str, str], ...]

# How much of one body an Exchange keeps. The whole body is still parsed by the backend;
# the inspector says when it shows only the start of it.
BODY_KEEP_BYTES = 1024 * 1024


def new_exchange_id() -> str:
    """A unique id that sorts by time: 12 hex digits of milliseconds, then 12 random ones."""
    return f"{time.time_ns() // 1_000_000:012x}{secrets.token_hex(6)}"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came back (or why nothing did).

    `call_id` is shared by every attempt of one call (the id of its first attempt), so the
    chain of a retried read is the exchanges with that `call_id` in `attempt` order. `auth`
    marks logins and token renewals; `note` says in a few words why this attempt was made
    when that is not obvious ("token renewal", "after the quota reset").
    """

    id: str
    connection_id: str
    connection: str
    method: str
    url: str
    request_headers: Headers
    request_body: bytes
    request_size: int
    started_at: float
    elapsed_ms: float | None
    status: int | None
    reason: str
    response_headers: Headers
    response_body: bytes
    response_size: int
    error: str | None = None
    attempt: int = 1
    call_id: str = ""
    auth: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        if not self.call_id:
            object.__setattr__(self, "call_id", self.id)

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    @property
    def request_truncated(self) -> bool:
        return _cut(self.request_size, self.request_body)

    @property
    def response_truncated(self) -> bool:
        return _cut(self.response_size, self.response_body)

    def request_header(self, name: str) -> str | None:
        return _header(self.request_headers, name)

    def response_header(self, name: str) -> str | None:
        return _header(self.response_headers, name)

    @property
    def outcome(self) -> str:
        """A short word for the list: the status, or what went wrong on the wire."""
        if self.status is not None:
            return f"{self.status} {self.reason}".strip()
        return self.error or "no reply"


def _cut(size: int, kept: bytes) -> bool:
    # A body kept whole can still be shorter than its size: redaction puts "[REDACTED]" in
    # place of a longer secret. Only a body over the keep limit lost its end.
    return size > len(kept) and size > BODY_KEEP_BYTES


def _header(headers: Headers, name: str) -> str | None:
    wanted = name.lower()
    for key, value in headers:
        if key.lower() == wanted:
            return value
    return None


Subscriber = Callable[[Exchange], None]


def _body_bytes(exchange: Exchange) -> int:
    return len(exchange.request_body) + len(exchange.response_body)


class ExchangeLog:
    """The most recent exchanges of every connection, newest last, with subscribers.

    Bounded by count and by the bytes of the bodies it keeps, so paging through a large list
    cannot grow memory without end: the oldest exchanges go first (history keeps them on disk).
    Subscribers are called on the thread that recorded the exchange (the event loop's);
    one that raises is logged and does not disturb the request that was recorded.
    """

    def __init__(self, capacity: int = 5000, max_body_bytes: int = 64 * 1024 * 1024) -> None:
        self._items: deque[Exchange] = deque(maxlen=capacity)
        self._max_body_bytes = max_body_bytes
        self._body_bytes = 0
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def record(self, exchange: Exchange) -> None:
        with self._lock:
            if len(self._items) == self._items.maxlen:
                self._body_bytes -= _body_bytes(self._items[0])
            self._items.append(exchange)
            self._body_bytes += _body_bytes(exchange)
            while self._body_bytes > self._max_body_bytes and len(self._items) > 1:
                self._body_bytes -= _body_bytes(self._items.popleft())
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(exchange)
            except Exception:
                log.exception("exchange subscriber %r failed", subscriber)

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` for every exchange from now on; returns the way to stop."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def get(self, exchange_id: str) -> Exchange | None:
        with self._lock:
            for exchange in reversed(self._items):
                if exchange.id == exchange_id:
                    return exchange
        return None

    def __iter__(self) -> Iterator[Exchange]:
        with self._lock:
            return iter(list(self._items))

    def __len__(self) -> int:
        return len(self._items)
