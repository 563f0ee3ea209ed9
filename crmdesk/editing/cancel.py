"""How a write takes a cancel: as "stop", ending with a report of what happened, not an error.

A cancelled save must still say which records were saved, which one may have been and which
were never sent, and the change log must still learn of every write that went out.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

log = logging.getLogger(__name__)


def taken() -> None:
    """Call where a CancelledError is caught and turned into a result: the task's cancel
    count goes back, so its later awaits (and timeouts) behave normally."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()


async def logged(write: Awaitable[Any]) -> None:
    """Wait for a change-log write even through a cancel: what was sent must be logged.

    A failing log is logged here and not raised: the write happened whatever the log says,
    and must not be reported as failed.
    """
    task = asyncio.ensure_future(write)
    while True:
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            if task.done():
                return
            taken()
        except Exception:
            log.exception("the change log could not record a write")
            return
        else:
            return
