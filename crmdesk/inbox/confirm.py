"""The passive answer's follow-up: after `{"status":"OK"}` to an `authenticate`, the client
"is then expected to use the Command authenticate_notifications" (seed 004). The backend's
contract method `confirm_notifications()` is that command; a route is handed it as a callable."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from crmdesk.api import Backend


def confirmer(backend: Backend) -> Callable[[], Awaitable[str]]:
    """A `Route.confirm` for this open backend."""
    return backend.confirm_notifications
