"""ExchangeStore: what the inspector asks of stored exchange history, whatever holds it.

The interface is async so that a store can sit behind a thread (SQLite on this machine) or a
network (a shared server database later) without its callers changing: the inspector awaits
it on the event loop and never waits on a disk itself. Exchanges reach a store already
redacted; a store keeps them as they are and has no way to recover what was removed.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Self

from crmdesk.api import Exchange

if TYPE_CHECKING:
    from crmdesk.history.retention import Retention


class HistoryError(Exception):
    """The store could not do what was asked; the message says why in words."""


class HistoryUnavailable(HistoryError):
    """The store cannot be opened at all (a newer crmdesk's file, a disk that refuses)."""


class StatusClass(Enum):
    """The outcome groups a support person filters by; NO_REPLY is a transport failure."""

    SUCCESS = "2xx"
    REDIRECT = "3xx"
    CLIENT_ERROR = "4xx"
    SERVER_ERROR = "5xx"
    NO_REPLY = "no reply"

    def status_range(self) -> tuple[int, int] | None:
        """The statuses [low, high) of this class; None for NO_REPLY (no status at all)."""
        if self is StatusClass.NO_REPLY:
            return None
        low = int(self.value[0]) * 100
        return low, low + 100


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """A filter over stored exchanges; every field left at its default matches everything.

    `text` is words matched against the URL and both bodies (whole words, in any order; a
    word ending in `*` matches as a prefix; a word with punctuation inside, such as
    `lead/convert`, matches those words in that order). `record_id` is matched as a whole
    token in the URL or a body, so 123 does not find 1234. `since` is inclusive and `until`
    exclusive, both in seconds since the epoch like `Exchange.started_at`.
    """

    text: str = ""
    connection_id: str | None = None
    method: str | None = None
    status_class: StatusClass | None = None
    status: int | None = None
    record_id: str | None = None
    since: float | None = None
    until: float | None = None
    auth_only: bool = False

    def __post_init__(self) -> None:
        if self.method is not None:
            object.__setattr__(self, "method", self.method.strip().upper())
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"The {name} time must be a finite number of seconds.")


@dataclass(frozen=True, slots=True)
class ExchangeSummary:
    """One stored exchange as the history list shows it: no headers, no bodies."""

    id: str
    connection_id: str
    connection: str
    method: str
    url: str
    started_at: float
    elapsed_ms: float | None
    status: int | None
    reason: str
    error: str | None
    request_size: int
    response_size: int
    attempt: int
    call_id: str
    auth: bool
    note: str

    @classmethod
    def of(cls, exchange: Exchange) -> ExchangeSummary:
        return cls(
            id=exchange.id,
            connection_id=exchange.connection_id,
            connection=exchange.connection,
            method=exchange.method,
            url=exchange.url,
            started_at=exchange.started_at,
            elapsed_ms=exchange.elapsed_ms,
            status=exchange.status,
            reason=exchange.reason,
            error=exchange.error,
            request_size=exchange.request_size,
            response_size=exchange.response_size,
            attempt=exchange.attempt,
            call_id=exchange.call_id,
            auth=exchange.auth,
            note=exchange.note,
        )

    @property
    def ok(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400

    @property
    def outcome(self) -> str:
        """The same short word `Exchange.outcome` gives: the status, or what went wrong."""
        if self.status is not None:
            return f"{self.status} {self.reason}".strip()
        return self.error or "no reply"


@dataclass(frozen=True, slots=True)
class HistoryPage:
    """One page of a search, newest first, with the number of all matches.

    `next_cursor` continues after the last item (pass it back to `search`), or is None when
    this page is the last.
    """

    items: tuple[ExchangeSummary, ...]
    total: int
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class HistoryStats:
    count: int
    bytes_on_disk: int
    oldest: float | None
    newest: float | None


class ExchangeStore(ABC):
    """Stored exchanges: add in batches, search newest first, fetch whole, forget.

    Use it as `async with store:` or call `start()` once and `aclose()` once. `add` takes
    each exchange once: adding an id that is already stored does nothing, so a batch that
    is retried after an error cannot store anything twice.
    """

    @abstractmethod
    async def start(self) -> None:
        """Open the store (create it if it does not exist yet)."""

    @abstractmethod
    async def aclose(self) -> None:
        """Close the store; it cannot be used afterwards."""

    @abstractmethod
    async def add(self, exchanges: Sequence[Exchange]) -> int:
        """Store a batch of exchanges in one go; returns how many were new."""

    @abstractmethod
    async def search(
        self,
        query: HistoryQuery | None = None,
        *,
        limit: int = 100,
        offset: int = 0,
        cursor: str | None = None,
    ) -> HistoryPage:
        """Matching exchanges (all when `query` is None), newest first: `limit` of them after
        `cursor` (or after `offset` of them)."""

    @abstractmethod
    async def get(self, exchange_id: str) -> Exchange | None:
        """One whole exchange, headers and bodies, as it was recorded."""

    @abstractmethod
    async def chain(self, call_id: str) -> tuple[ExchangeSummary, ...]:
        """Every attempt of one call (the exchanges sharing `call_id`), first attempt first."""

    @abstractmethod
    async def delete(self, exchange_ids: Iterable[str]) -> int:
        """Forget these exchanges; returns how many were stored."""

    @abstractmethod
    async def clear(self) -> None:
        """Forget every exchange, and give the space back."""

    @abstractmethod
    async def apply_retention(self, retention: Retention, *, now: float | None = None) -> int:
        """Forget the oldest exchanges until the store is within `retention`; returns how many.

        Works in batches, so other calls on the store are not held up for long.
        """

    @abstractmethod
    async def stats(self) -> HistoryStats:
        """How many exchanges are stored, the space they take, and their time span."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
