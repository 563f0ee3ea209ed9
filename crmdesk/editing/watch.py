"""The exchange behind a write's result, for the "Details…" of a result view.

Backends return an ActionResult without its exchange; a failure's ApiError carries its own.
While a write runs, the connection's latest exchange (logins aside) is the one that answered
it, since crmdesk sends one write of a connection at a time from here.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType

from crmdesk.api import Backend, Exchange


class LatestExchange:
    """Use as `with LatestExchange(backend) as seen:`; `seen.exchange` is the latest one."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.exchange: Exchange | None = None
        self._stop: Callable[[], None] = _nothing

    def __enter__(self) -> LatestExchange:
        self._stop = self._backend.exchange_log.subscribe(self._seen)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()

    def _seen(self, exchange: Exchange) -> None:
        backend = self._backend
        ours = (exchange.connection_id, exchange.connection) == (
            backend.connection_id,
            backend.name,
        )
        if ours and not exchange.auth:
            self.exchange = exchange


def _nothing() -> None:
    pass
