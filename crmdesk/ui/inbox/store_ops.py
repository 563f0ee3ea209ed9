"""StoreOps: how the inbox's widgets run work on the store and the listener: as an Op on the
window's task runner, a failure said in words (a full disk is not a bug), and nothing started
once the Desk is closing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from crmdesk.desk import Desk
from crmdesk.inbox import StoreError
from crmdesk.ui.tasks import Op, TaskRunner

T = TypeVar("T")


class StoreOps:
    def __init__(self, desk: Desk, tasks: TaskRunner, say: Callable[[str], None]) -> None:
        self._desk = desk
        self._tasks = tasks
        self._say = say

    def run(
        self,
        work: Callable[[], Awaitable[T]],
        doing: str,
        then: Callable[[T], object] | None = None,
    ) -> None:
        """Run `work`, then `then` with its result. `doing` names it for the words of a
        failure ("crmdesk could not <doing>: <why>")."""
        if self._desk.work.closed:
            return

        async def guarded() -> tuple[T] | None:
            try:
                return (await work(),)
            except (StoreError, OSError) as exc:
                self._say(f"crmdesk could not {doing}: {exc}")
                return None

        def done(result: tuple[T] | None) -> None:
            if result is not None and then is not None:
                then(result[0])

        Op(guarded, name=doing).success(done).run(self._tasks)
