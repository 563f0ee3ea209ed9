"""ConnectionSession: one profile in this window, its state in words, and its open backend."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Signal

from crmdesk.api import ApiError, Backend, EntityInfo, RateLimitGovernor
from crmdesk.profiles import Connections, Profile
from crmdesk.ui.tasks import Op, TaskRunner


class ConnectionState(Enum):
    NOT_CONNECTED = "not connected"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    FAILED = "failed"


# Asked before connecting: True once the profile has every credential (the window asks the
# user for what is missing); False when the user would not give them.
CredentialsCheck = Callable[[Profile], Awaitable[bool]]
_DECLINED = "Needs its credentials to connect; double-click it to enter them."


@dataclass(frozen=True, slots=True)
class _Opened:
    backend: Backend
    greeting: str
    entities: tuple[EntityInfo, ...]


class ConnectionSession(QObject):
    """Opens a profile's backend and proves it works with one cheap call.

    `detail` is what the server or the failure said, in words ("Signed in as …", or the error
    summary); the connections pane and the status bar show it.
    """

    changed = Signal()

    def __init__(
        self,
        profile: Profile,
        connections: Connections,
        tasks: TaskRunner,
        parent: QObject | None = None,
        *,
        credentials: CredentialsCheck | None = None,
    ) -> None:
        super().__init__(parent)
        self._credentials = credentials
        self.profile = profile
        self._connections = connections
        self._lane = tasks.lane()
        self.state = ConnectionState.NOT_CONNECTED
        self.detail = ""
        self.error: ApiError | None = None
        self.backend: Backend | None = None
        self.entities: tuple[EntityInfo, ...] = ()

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def id(self) -> str:
        return self.profile.id

    def entity(self, name: str) -> EntityInfo | None:
        return next((info for info in self.entities if info.name == name), None)

    def governor(self) -> RateLimitGovernor | None:
        """The connection's rate-limit governor while it is connected (a quota wait's)."""
        return self.backend.governor if self.backend is not None else None

    def preferred_entity(self) -> EntityInfo | None:
        """What a sales-ops person opens first: leads if there are any, else the first entity."""
        for info in self.entities:
            if info.name.lower() in ("lead", "leads"):
                return info
        return self.entities[0] if self.entities else None

    def reset(self, profile: Profile) -> None:
        """Take an edited profile: forget the old connection (Connections closed it)."""
        self._lane.cancel()
        self.profile = profile
        self.backend = None
        self.entities = ()
        self._set(ConnectionState.NOT_CONNECTED, "")

    def open(self) -> None:
        if self.state in (ConnectionState.CONNECTING, ConnectionState.CONNECTED):
            return
        self._set(ConnectionState.CONNECTING, "Connecting…")
        Op(self._open, name=f"connect {self.name}").success(self._opened).failure(
            self._failed
        ).run_in(self._lane)

    async def _open(self) -> _Opened | str | None:
        if self._credentials is not None and not await self._credentials(self.profile):
            return None
        try:
            backend = await self._connections.open(self.id)
        except ValueError as exc:
            # open_backend says what is missing from the profile in words.
            return str(exc)
        greeting = await backend.test_connection()
        return _Opened(backend, greeting, await backend.entities())

    def _opened(self, outcome: _Opened | str | None) -> None:
        if outcome is None:
            self._set(ConnectionState.NOT_CONNECTED, _DECLINED)
            return
        if isinstance(outcome, str):
            self._set(ConnectionState.FAILED, outcome)
            return
        self.backend = outcome.backend
        self.entities = outcome.entities
        self._set(ConnectionState.CONNECTED, outcome.greeting)

    def _failed(self, error: ApiError) -> None:
        self.error = error
        self._set(ConnectionState.FAILED, error.summary)

    def _set(self, state: ConnectionState, detail: str) -> None:
        self.state = state
        self.detail = detail
        if state is not ConnectionState.FAILED:
            self.error = None
        self.changed.emit()
