"""The one place that knows which backend call confirms notifications after a passive answer
(seed 004: the client "is then expected to use the Command authenticate_notifications")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from crmdesk.api import Backend


async def confirm_notifications(backend: Backend) -> str:
    """Ask the connection's server to open notification traffic; returns its words.

    Today the aicore backend has `authenticate_notifications()`; when the Backend contract
    gains `confirm_notifications()`, this is the line to change.
    """
    method = getattr(backend, "authenticate_notifications", None)
    if method is None:
        raise ValueError(f"{backend.kind} connections have no notification confirmation")
    return str(await method())


def confirmer(backend: Backend) -> Callable[[], Awaitable[str]]:
    """A `Route.confirm` for this open backend."""
    return lambda: confirm_notifications(backend)
