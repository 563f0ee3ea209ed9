"""The Sandbox menu of the demo: make the current connection's emulator misbehave on its next
requests (a server error, a hang, an expired token…), so a trainee sees how every failure
looks in crmdesk, and what it does about it.

Faults go through the running `crmdesk.sandbox.Sandbox`'s Python API:
`sandbox.emulator(kind).faults.inject(fault, count)`. Other sandbox features add their items
with `add_action` (they appear below the faults, in a section of their own).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar

from crmdesk.sandbox import Emulator, Fault, Sandbox
from crmdesk.ui.session import ConnectionSession

# Reads that fail with a dropped connection or a 502/503 are sent twice more by the transport;
# a fault that lasted one request would then never be seen.
_READ_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class FaultItem:
    fault: Fault
    label: str
    does: str  # "answer …": what the next requests will do
    count: int = 1
    seconds: float | None = None


FAULTS = (
    FaultItem(Fault.HTTP_500, "Server error (HTTP &500)", "answer with a server error (500)"),
    FaultItem(
        Fault.HTTP_503,
        "Service unavailable (HTTP 50&3)",
        "answer that the service is unavailable (503)",
        _READ_ATTEMPTS,
    ),
    FaultItem(
        Fault.HTTP_429,
        "Quota spent (HTTP &429)",
        "say the API quota is spent (429, renewed 2 s later)",
    ),
    FaultItem(
        Fault.HTTP_429,
        "Quota spent for &3 minutes (HTTP 429)",
        "say the API quota is spent until 3 minutes from now (429): too long to wait unasked",
        seconds=180.0,
    ),
    FaultItem(Fault.MALFORMED_JSON, "&Malformed reply", "answer with JSON cut off halfway"),
    FaultItem(
        Fault.HTML_ERROR_PAGE,
        "&HTML error page",
        "answer with a proxy's HTML error page (502)",
        _READ_ATTEMPTS,
    ),
    FaultItem(Fault.HANG, "Ha&ng for a minute", "not answer for a minute", seconds=60.0),
    FaultItem(Fault.DROP_CONNECTION, "&Dropped connection", "drop the connection", _READ_ATTEMPTS),
    FaultItem(Fault.TOKEN_EXPIRED, "&Expired token", "say the login token has expired (401)"),
)


class SandboxMenu:
    """The menu, on the window's menu bar; `current` says whose emulator it acts on."""

    def __init__(
        self,
        bar: QMenuBar,
        sandbox: Sandbox,
        current: Callable[[], ConnectionSession | None],
        say: Callable[[str], None],
    ) -> None:
        self._sandbox = sandbox
        self._current = current
        self._say = say
        self.menu = QMenu("&Sandbox", bar)
        self.menu.setObjectName("sandboxMenu")
        bar.addMenu(self.menu)
        self.heading = self.menu.addAction("")
        self.heading.setEnabled(False)
        self.fault_actions: dict[FaultItem, QAction] = {}
        for item in FAULTS:
            action = self.menu.addAction(item.label)
            action.setStatusTip(f"The next requests {item.does}")
            action.triggered.connect(lambda _checked=False, i=item: self.inject(i))
            self.fault_actions[item] = action
        self.menu.addSeparator()
        self.clear_action = self.menu.addAction("&Clear injected faults", self.clear)
        self.pending = self.menu.addAction("")
        self.pending.setEnabled(False)
        self._extras = self.menu.addSeparator()
        self._extras.setVisible(False)
        self.menu.aboutToShow.connect(self.refresh)
        self.refresh()

    def add_action(self, text: str, slot: Callable[[], object]) -> QAction:
        """An item of another sandbox feature (push notifications…), below the faults."""
        self._extras.setVisible(True)
        action = QAction(text, self.menu)
        action.triggered.connect(lambda _checked=False: slot())
        self.menu.addAction(action)
        return action

    def emulator(self, session: ConnectionSession | None) -> Emulator | None:
        """The emulator behind `session`, if it is one of the sandbox's connections."""
        if session is None:
            return None
        for endpoint in self._sandbox.endpoints:
            if endpoint.base_url.rstrip("/") == session.profile.base_url.rstrip("/"):
                emulator: Emulator = self._sandbox.emulator(endpoint.kind)
                return emulator
        return None

    def inject(self, item: FaultItem) -> str:
        session = self._current()
        emulator = self.emulator(session)
        if session is None or emulator is None:
            words = "Open a tab of a sandbox connection first: faults go to its emulator."
        else:
            emulator.faults.inject(item.fault, item.count, seconds=item.seconds)
            many = f"next {item.count} requests" if item.count > 1 else "next request"
            words = f"Sandbox: the {many} to {session.name} will {item.does} (F5 shows it)."
        self._say(words)
        self.refresh()
        return words

    def clear(self) -> None:
        emulator = self.emulator(self._current())
        if emulator is not None:
            emulator.faults.clear()
            self._say("Sandbox: no faults are waiting any more.")
        self.refresh()

    def refresh(self) -> None:
        session = self._current()
        emulator = self.emulator(session)
        usable = session is not None and emulator is not None
        self.heading.setText(
            f"Next requests to {session.name}:"
            if usable and session is not None
            else "Open a sandbox connection's tab to inject faults"
        )
        for action in self.fault_actions.values():
            action.setEnabled(usable)
        self.clear_action.setEnabled(usable)
        waiting = emulator.faults.pending if emulator is not None else []
        self.pending.setText(
            "Waiting: " + ", ".join(f"{p.fault.value} ×{p.remaining}" for p in waiting)
            if waiting
            else "No faults waiting"
        )
