"""The one place the UI runs async work: coroutines on the qasync loop, with callbacks.

Anki's `CollectionOp(...).success(cb).failure(cb).run_in_background()` idea, for coroutines:

    Op(lambda: backend.list(entity, query)).success(self._show).failure(self._failed).run(tasks)

Every task is tracked until it ends. An `ApiError` goes to the op's failure callback; anything
else (a bug) goes to `sys.excepthook`, which the application points at its error reporting and
pytest-qt points at the failing test. Nothing is dropped silently.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

from crmdesk.api import ApiError

log = logging.getLogger(__name__)

T = TypeVar("T")
Report = Callable[[BaseException], None]


def report_through_excepthook(error: BaseException) -> None:
    sys.excepthook(type(error), error, error.__traceback__)


class Op(Generic[T]):
    """One piece of async work and what to do with its outcome (on the GUI thread).

    `success` gets the result, `failure` an `ApiError`, `finally_` runs after either (not after
    a cancel or a superseded run: whoever cancelled has already moved on).
    """

    def __init__(self, work: Callable[[], Awaitable[T]], *, name: str = "") -> None:
        self.work = work
        self.name = name or getattr(work, "__qualname__", "op")
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[ApiError], None] | None = None
        self._on_finally: Callable[[], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[ApiError], None]) -> Self:
        self._on_failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Self:
        self._on_finally = callback
        return self

    def run(self, runner: TaskRunner) -> asyncio.Task[None]:
        return runner.start(self)

    def run_in(self, lane: Lane) -> asyncio.Task[None]:
        return lane.start(self)


class TaskRunner:
    """Starts ops as tracked tasks on the running loop; `cancel_all()` ends them at shutdown."""

    def __init__(self, report: Report = report_through_excepthook) -> None:
        self._report = report
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def start(
        self, op: Op[Any], *, still_wanted: Callable[[], bool] = lambda: True
    ) -> asyncio.Task[None]:
        task = asyncio.ensure_future(self._drive(op, still_wanted))
        task.set_name(f"crmdesk: {op.name}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def lane(self) -> Lane:
        return Lane(self)

    async def cancel_all(self) -> None:
        """Cancel every tracked task and wait until each has really ended."""
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _drive(self, op: Op[Any], still_wanted: Callable[[], bool]) -> None:
        try:
            result = await op.work()
        except asyncio.CancelledError:
            raise
        except ApiError as error:
            if not still_wanted():
                return
            log.info("%s failed: %s", op.name, error.summary)
            if op._on_failure is None:
                self._report(error)
            else:
                self._call(op._on_failure, error)
        except Exception as error:
            log.exception("%s raised", op.name)
            self._report(error)
        else:
            if still_wanted() and op._on_success is not None:
                self._call(op._on_success, result)
        if still_wanted() and op._on_finally is not None:
            self._call(op._on_finally)

    def _call(self, callback: Callable[..., None], *args: Any) -> None:
        try:
            callback(*args)
        except Exception as error:
            # A callback bug must not look like the op failed, nor vanish.
            log.exception("callback %r raised", callback)
            self._report(error)


class Lane:
    """At most one op at a time: starting one cancels the one before.

    A generation counter also drops a superseded op's outcome if it finished before the cancel
    reached it, so rapid "Next" clicks can never show pages out of order.
    """

    def __init__(self, runner: TaskRunner) -> None:
        self._runner = runner
        self._generation = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, op: Op[Any]) -> asyncio.Task[None]:
        self.cancel()
        generation = self._generation
        self._task = self._runner.start(op, still_wanted=lambda: generation == self._generation)
        return self._task

    def cancel(self) -> None:
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None
