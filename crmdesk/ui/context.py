"""UiContext: the few services every part of the window needs, passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from crmdesk.profiles import Connections
from crmdesk.ui.profiles.book import ProfileBook
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class UiContext:
    tasks: TaskRunner
    connections: Connections
    settings: UiSettings
    # Saved connections; None where a window only shows session connections (some tests).
    book: ProfileBook | None = None

    async def shutdown(self) -> None:
        """Stop all UI work, then close every connection's HTTP client (in that order)."""
        await self.tasks.cancel_all()
        await self.connections.close_all()
        self.settings.sync()
