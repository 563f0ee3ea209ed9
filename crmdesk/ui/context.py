"""UiContext: the few services every part of the window needs, passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from crmdesk.desk import Desk
from crmdesk.profiles import Connections, ProfileBook
from crmdesk.ui.profiles.book import ProfileSignals
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class UiContext:
    """The Desk the window is a client of, and the window's own Qt-side helpers.

    `profile_signals` is None where a window only shows session connections (some tests):
    then it offers no saved connections, no File → Connections….
    """

    desk: Desk
    tasks: TaskRunner
    settings: UiSettings
    profile_signals: ProfileSignals | None = None

    @classmethod
    def for_desk(cls, desk: Desk, *, saved_connections: bool = True) -> UiContext:
        signals = ProfileSignals(desk.profiles) if saved_connections else None
        return cls(desk, TaskRunner(desk=desk), UiSettings(), signals)

    @property
    def connections(self) -> Connections:
        return self.desk.connections

    @property
    def book(self) -> ProfileBook | None:
        return self.desk.profiles if self.profile_signals is not None else None

    async def shutdown(self) -> None:
        """Stop all work, close every connection and store (the Desk's order), keep settings."""
        await self.desk.aclose()
        self.settings.sync()
