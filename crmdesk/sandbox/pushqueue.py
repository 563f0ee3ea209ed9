"""PushQueue: what an emulated server has to push, sent by a few workers at a set rate, with
what was not acknowledged put back (at once or after a delay) until it is.

Used by the aicore notification pusher and the GetResponse webhook sender; the protocol is
theirs, in the `send` they hand in. `put()` may be called from any thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
# What `send` gives back: the items to send again, each with the seconds to wait first.
Retry = Sequence[tuple[T, float]]


@dataclass(frozen=True, slots=True)
class QueueState:
    waiting: int
    in_flight: int


class PushQueue(Generic[T]):
    """Items waiting to be pushed. `start()` on the loop that is to send them."""

    def __init__(
        self,
        send: Callable[[list[T]], Awaitable[Retry[T]]],
        *,
        concurrency: int = 1,
        batch_size: int = 1,
        rate: float | None = None,
        name: str = "push",
    ) -> None:
        self._send = send
        self.name = name
        self._lock = threading.Lock()
        self._ready: deque[T] = deque()
        self._delayed: list[tuple[float, int, T]] = []
        self._order = itertools.count()
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._idle: asyncio.Event | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._next_slot = 0.0
        self.rate: float | None = None
        self.configure(concurrency=concurrency, batch_size=batch_size)
        self.set_rate(rate)

    def set_rate(self, rate: float | None) -> None:
        """Sends a second, all workers together (None: as fast as they can)."""
        if rate is not None and not rate > 0:
            raise ValueError("rate must be more than 0 (or None for no limit)")
        self.rate = rate

    def configure(self, *, concurrency: int | None = None, batch_size: int | None = None) -> None:
        """Change how many send at once and how many items go in one send."""
        if concurrency is not None:
            if concurrency < 1:
                raise ValueError("concurrency must be at least 1")
            self.concurrency = concurrency
        if batch_size is not None:
            if batch_size < 1:
                raise ValueError("batch_size must be at least 1")
            self.batch_size = batch_size
        if self._loop is not None:
            self._call(self._staff)

    # -- feeding ------------------------------------------------------------------------------

    def put(self, items: Iterable[T]) -> None:
        """Queue items to push, after whatever is waiting. Thread-safe."""
        batch = list(items)
        with self._lock:
            self._ready.extend(batch)
        self._call(self._nudge)

    @property
    def state(self) -> QueueState:
        with self._lock:
            return QueueState(len(self._ready) + len(self._delayed), self._in_flight)

    def clear(self) -> int:
        """Drop everything waiting (not what is in flight); returns how many."""
        with self._lock:
            dropped = len(self._ready) + len(self._delayed)
            self._ready.clear()
            self._delayed.clear()
        self._call(self._nudge)
        return dropped

    # -- life ---------------------------------------------------------------------------------

    def start(self) -> None:
        if self._loop is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._staff()
        self._nudge()

    async def stop(self) -> None:
        workers, self._workers = self._workers, []
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until nothing is waiting or in flight; False if `timeout` passed first."""
        if self._idle is None:
            raise RuntimeError("the push queue is not started")
        try:
            async with asyncio.timeout(timeout):
                while not self._is_idle():
                    self._idle.clear()
                    await self._idle.wait()
        except TimeoutError:
            return False
        return True

    # -- the workers ----------------------------------------------------------------------------

    def _call(self, callback: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            callback()
        else:
            with contextlib.suppress(RuntimeError):  # the loop has closed
                loop.call_soon_threadsafe(callback)

    def _staff(self) -> None:
        loop = self._loop
        assert loop is not None
        self._workers = [task for task in self._workers if not task.done()]
        while len(self._workers) < self.concurrency:
            self._workers.append(loop.create_task(self._work(), name=f"{self.name} worker"))
        for task in self._workers[self.concurrency :]:
            task.cancel()
        del self._workers[self.concurrency :]

    def _nudge(self) -> None:
        if self._wake is not None:
            self._wake.set()
        if self._idle is not None and self._is_idle():
            self._idle.set()

    def _is_idle(self) -> bool:
        with self._lock:
            return not self._ready and not self._delayed and self._in_flight == 0

    async def _work(self) -> None:
        while True:
            batch = await self._take()
            retry: Retry[T] = []
            try:
                await self._pace()
                retry = await self._send(batch)
            except asyncio.CancelledError:
                retry = [(item, 0.0) for item in batch]
                raise
            except Exception:
                # A bug in a sender must not lose what it was sending.
                log.exception("%s: sending failed", self.name)
                retry = [(item, 1.0) for item in batch]
            finally:
                self._back(retry, len(batch))

    async def _take(self) -> list[T]:
        assert self._loop is not None
        assert self._wake is not None
        while True:
            now = self._loop.time()
            with self._lock:
                while self._delayed and self._delayed[0][0] <= now:
                    self._ready.appendleft(heapq.heappop(self._delayed)[2])
                if self._ready:
                    count = min(self.batch_size, len(self._ready))
                    self._in_flight += count
                    return [self._ready.popleft() for _ in range(count)]
                wait = self._delayed[0][0] - now if self._delayed else None
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)

    def _back(self, retry: Retry[T], sent: int) -> None:
        assert self._loop is not None
        now = self._loop.time()
        with self._lock:
            self._in_flight -= sent
            for item, delay in reversed(retry):
                if delay <= 0:
                    self._ready.appendleft(item)  # first again: order is kept
                else:
                    heapq.heappush(self._delayed, (now + delay, next(self._order), item))
        self._nudge()

    async def _pace(self) -> None:
        if self.rate is None:
            return
        assert self._loop is not None
        now = self._loop.time()
        slot = max(now, self._next_slot)
        self._next_slot = slot + 1.0 / self.rate
        if slot > now:
            await asyncio.sleep(slot - now)
