"""The one place the UI runs async work: coroutines on the qasync loop, with callbacks.

Anki's `CollectionOp(...).success(cb).failure(cb).run_in_background()` idea, for coroutines:

    Op(lambda: backend.list(entity, query)).success(self._show).failure(self._failed).run(tasks)

Long work reports progress and can be cancelled by the user:

    Op(lambda progress: editing.apply(edits, on_progress=progress.report))
        .with_progress("Saving 12 changes…", cancellable=True)
        .announce(profile_id, "lead", ids)
        .success(self._saved)
        .run(tasks)

Every task is tracked by the Desk's `Work` until it ends. An `ApiError` goes to the op's
failure callback, or, when it has none, to the runner's `report_api_error` (the window shows
it in words, with its exchange); anything else (a bug) goes to `sys.excepthook`, which the
application points at its error reporting and pytest-qt at the failing test. A save runs with
`run(tasks)`, never in a `Lane`: the next page click must not cancel it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Self, TypeVar

from crmdesk.api import ApiError
from crmdesk.desk import Desk, Work

log = logging.getLogger(__name__)

T = TypeVar("T")
Report = Callable[[BaseException], None]
ApiReport = Callable[[ApiError, str], None]


def report_through_excepthook(error: BaseException) -> None:
    sys.excepthook(type(error), error, error.__traceback__)


def log_api_error(error: ApiError, what: str) -> None:
    log.warning("%s failed: %s", what, error.summary)


class Progress:
    """How far one piece of long work is, told by the work and shown by the window.

    `report(done, total, detail)` may be called as often as the work likes; `cancel()` (the
    user's Cancel) cancels the task when the op was made cancellable.
    """

    def __init__(self, text: str, *, cancellable: bool) -> None:
        self.text = text
        self.cancellable = cancellable
        self.done = 0
        self.total: int | None = None
        self.detail = ""
        self.finished = False
        self._task: asyncio.Task[Any] | None = None
        self._listeners: list[Callable[[Progress], None]] = []

    def subscribe(self, listener: Callable[[Progress], None]) -> None:
        self._listeners.append(listener)

    def report(self, done: int, total: int | None = None, detail: str = "") -> None:
        self.done, self.total, self.detail = done, total, detail
        self._changed()

    def cancel(self) -> None:
        if self.cancellable and self._task is not None and not self._task.done():
            self._task.cancel()

    def _finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener(self)


class Op(Generic[T]):
    """One piece of async work and what to do with its outcome (on the GUI thread).

    `success` gets the result, `failure` an `ApiError`, `finally_` runs after either (not after
    a cancel or a superseded run: whoever cancelled has already moved on). With
    `with_progress`, `work` is called with the op's `Progress`.
    """

    def __init__(self, work: Callable[..., Awaitable[T]], *, name: str = "") -> None:
        self.work = work
        self.name = name or getattr(work, "__qualname__", "op")
        self.progress: Progress | None = None
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[ApiError], None] | None = None
        self._on_finally: Callable[[], None] | None = None
        self._announce: tuple[str, str, tuple[str, ...]] | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[ApiError], None]) -> Self:
        self._on_failure = callback
        return self

    def finally_(self, callback: Callable[[], None]) -> Self:
        self._on_finally = callback
        return self

    def with_progress(self, text: str, *, cancellable: bool = False) -> Self:
        self.progress = Progress(text, cancellable=cancellable)
        return self

    def announce(self, connection_id: str, entity: str, record_ids: tuple[str, ...] = ()) -> Self:
        """After it ends (saved or not: part of it may have been), tell every view of these
        records that they changed."""
        self._announce = (connection_id, entity, record_ids)
        return self

    def run(self, runner: TaskRunner) -> asyncio.Task[None]:
        return runner.start(self)

    def run_in(self, lane: Lane) -> asyncio.Task[None]:
        return lane.start(self)


class TaskRunner:
    """Starts ops as tracked tasks on the running loop, through the Desk's `Work`."""

    def __init__(
        self,
        work: Work | None = None,
        report: Report = report_through_excepthook,
        *,
        desk: Desk | None = None,
    ) -> None:
        self._work = work if work is not None else (desk.work if desk is not None else Work())
        self._desk = desk
        self._report = report
        self.report_api_error: ApiReport = log_api_error
        self._progress_listeners: list[Callable[[Progress], None]] = []

    @property
    def pending(self) -> int:
        return self._work.pending

    def on_progress(self, listener: Callable[[Progress], None]) -> None:
        """`listener` hears of every op with progress as it starts (the window shows it)."""
        self._progress_listeners.append(listener)

    def start(
        self, op: Op[Any], *, still_wanted: Callable[[], bool] = lambda: True
    ) -> asyncio.Task[None]:
        task = self._work.start(self._drive(op, still_wanted), op.name)
        progress = op.progress
        if progress is not None:
            progress._task = task
            # A task cancelled before its first step never runs `_drive`'s finally.
            task.add_done_callback(lambda _task: progress._finish())
            for listener in list(self._progress_listeners):
                listener(progress)
        return task

    def lane(self) -> Lane:
        return Lane(self)

    async def cancel_all(self) -> None:
        """Cancel every tracked task and wait until each has really ended."""
        await self._work.cancel_all()

    async def _drive(self, op: Op[Any], still_wanted: Callable[[], bool]) -> None:
        try:
            await self._outcome(op, still_wanted)
        finally:
            if op.progress is not None:
                op.progress._finish()
            if op._announce is not None and self._desk is not None:
                self._desk.changed(*op._announce)

    async def _outcome(self, op: Op[Any], still_wanted: Callable[[], bool]) -> None:
        try:
            result = await (op.work(op.progress) if op.progress is not None else op.work())
        except asyncio.CancelledError:
            raise
        except ApiError as error:
            if not still_wanted():
                return
            log.info("%s failed: %s", op.name, error.summary)
            if op._on_failure is None:
                self._call(self.report_api_error, error, op.name)
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
