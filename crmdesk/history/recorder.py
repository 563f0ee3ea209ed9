"""HistoryRecorder: every exchange an ExchangeLog records, written to an ExchangeStore in batches.

A call never waits for the disk: the log's subscriber only appends to a queue, and one task
on the loop hands the queue to the store a batch at a time (the store does its disk work on
its own writer thread). The queue is bounded by count and by body bytes. When the disk
stalls for long enough to fill it, the oldest waiting exchanges are dropped, counted and
logged: the alternative, making calls wait for history, would let a slow disk freeze the
app, and the newest exchanges are the ones a support person is about to look for. A failed
write is retried a few times, then that batch is dropped the same way. Nothing here raises
into the code that made the request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence

from crmdesk.api import Exchange, ExchangeLog
from crmdesk.history.retention import Retention
from crmdesk.history.store import ExchangeStore

log = logging.getLogger(__name__)


def _body_bytes(exchange: Exchange) -> int:
    return len(exchange.request_body) + len(exchange.response_body)


class HistoryRecorder:
    """Keeps `store` up to date with `exchange_log`, and `store` within `retention`.

    `await start()` on the loop, `await flush()` to wait until everything recorded so far is
    stored (or given up on), `await aclose()` once at shutdown: it stops listening, flushes
    (waiting at most `close_timeout` seconds for a stalled disk) and stops the writing task.
    Retention is applied when started, every `retention_every` seconds, after every
    `retention_after` exchanges written, and soon after `retention` is changed.
    """

    def __init__(
        self,
        exchange_log: ExchangeLog,
        store: ExchangeStore,
        *,
        retention: Retention | None = None,
        batch_size: int = 500,
        max_pending: int = 10_000,
        max_pending_bytes: int = 64 * 1024 * 1024,
        retention_every: float = 600.0,
        retention_after: int = 5_000,
        retry_delays: Sequence[float] = (0.5, 2.0, 8.0),
        close_timeout: float = 10.0,
    ) -> None:
        self._log = exchange_log
        self._store = store
        self._retention = retention or Retention()
        self._batch_size = batch_size
        self._max_pending = max_pending
        self._max_pending_bytes = max_pending_bytes
        self._retention_every = retention_every
        self._retention_after = retention_after
        self._retry_delays = tuple(retry_delays)
        self._close_timeout = close_timeout
        self._queue: deque[Exchange] = deque()
        self._queued_bytes = 0
        self._received = 0  # every exchange ever queued
        self._settled = 0  # every exchange stored or given up on
        self._waiters: list[tuple[int, asyncio.Future[None]]] = []
        self._since_retention = 0
        self._retention_due = True
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread = 0
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self.written = 0
        self.dropped = 0
        self.last_error: str | None = None

    @property
    def pending(self) -> int:
        """Exchanges waiting to be written."""
        return len(self._queue)

    @property
    def retention(self) -> Retention:
        return self._retention

    @retention.setter
    def retention(self, retention: Retention) -> None:
        self._retention = retention
        self._retention_due = True
        self._poke()

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        if self._task is not None:
            raise RuntimeError("A history recorder is started once.")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._wake = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="crmdesk history recorder")
        self._unsubscribe = self._log.subscribe(self._on_exchange)

    async def flush(self) -> None:
        """Return once every exchange recorded before this call is stored or given up on."""
        if self._loop is None or self._settled >= self._received:
            return
        done: asyncio.Future[None] = self._loop.create_future()
        self._waiters.append((self._received, done))
        self._poke()
        await done

    async def aclose(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        task, self._closing = self._task, True
        if task is None or task.done():
            return
        self._poke()
        try:
            await asyncio.wait_for(asyncio.shield(task), self._close_timeout)
        except TimeoutError:
            log.warning(
                "history: the disk did not take %d exchanges within %.0f s of closing; "
                "they are not stored",
                len(self._queue),
                self._close_timeout,
            )
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- receiving (on the loop) --------------------------------------------------------

    def _on_exchange(self, exchange: Exchange) -> None:
        # ExchangeLog calls its subscribers on the thread that recorded the exchange, which
        # is the loop's for every Transport; anything else is brought over to the loop.
        if threading.get_ident() == self._loop_thread:
            self._enqueue(exchange)
        elif self._loop is not None:
            self._loop.call_soon_threadsafe(self._enqueue, exchange)

    def _enqueue(self, exchange: Exchange) -> None:
        if self._closing and self._task is not None and self._task.done():
            return
        self._queue.append(exchange)
        self._queued_bytes += _body_bytes(exchange)
        self._received += 1
        over = 0
        while len(self._queue) > 1 and (
            len(self._queue) > self._max_pending or self._queued_bytes > self._max_pending_bytes
        ):
            self._queued_bytes -= _body_bytes(self._queue.popleft())
            over += 1
        if over:
            self._give_up(over, "the disk is not keeping up")
        self._poke()

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    # -- writing (a task on the loop; the store does the disk work on its thread) ----------

    async def _run(self) -> None:
        assert self._wake is not None
        try:
            while True:
                if not self._queue and not self._retention_due:
                    if self._closing:
                        return
                    self._wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self._retention_every)
                    if not self._queue and not self._wake.is_set():
                        self._retention_due = True  # the timer ran out
                    continue
                if self._queue:
                    await self._write_batch()
                if self._retention_due or self._since_retention >= self._retention_after:
                    await self._retain()
        except Exception:
            log.exception("history: the recorder stopped; exchanges are no longer stored")
            raise
        finally:
            self._release_waiters(everything=True)

    async def _write_batch(self) -> None:
        batch = [self._queue.popleft() for _ in range(min(self._batch_size, len(self._queue)))]
        self._queued_bytes -= sum(_body_bytes(e) for e in batch)
        for attempt, delay in enumerate((0.0, *self._retry_delays)):
            if delay:
                await asyncio.sleep(0.0 if self._closing else delay)
            try:
                await self._store.add(batch)
            except Exception as exc:
                self.last_error = f"History could not be stored: {exc}"
                if attempt == 0:
                    log.warning("history: storing %d exchanges failed", len(batch), exc_info=True)
                continue
            self.written += len(batch)
            self._since_retention += len(batch)
            self._settle(len(batch))
            return
        self._give_up(len(batch), f"writing failed: {self.last_error}")

    async def _retain(self) -> None:
        self._retention_due = False
        self._since_retention = 0
        try:
            await self._store.apply_retention(self._retention)
        except Exception as exc:
            self.last_error = f"History retention failed: {exc}"
            log.warning("history: applying retention failed", exc_info=True)

    def _give_up(self, count: int, why: str) -> None:
        first = self.dropped == 0
        self.dropped += count
        # The first loss is logged at once; later ones every thousand, not every exchange.
        if first or self.dropped // 1000 != (self.dropped - count) // 1000:
            log.warning(
                "history: %d exchanges not stored (%s); %d lost so far", count, why, self.dropped
            )
        self._settle(count)

    def _settle(self, count: int) -> None:
        self._settled += count
        self._release_waiters()

    def _release_waiters(self, *, everything: bool = False) -> None:
        waiting = []
        for target, done in self._waiters:
            if everything or self._settled >= target:
                if not done.done():
                    done.set_result(None)
            else:
                waiting.append((target, done))
        self._waiters = waiting
