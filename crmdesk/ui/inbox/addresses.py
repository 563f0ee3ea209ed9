"""Where to send notifications: each connection's listener address with a copy button, what
the listener last saw on it (authenticate, answer mode, confirmation, deliveries, refusals),
and how to reach it from outside this computer (a reverse tunnel and the public base URL).

`AddressField` and `reach_words` are shared with the connection form.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import NotificationProtocol, kind_info, kinds
from crmdesk.desk import Notifications
from crmdesk.inbox import AnswerMode, ListenerSettings, RouteStatus
from crmdesk.profiles import Profile
from crmdesk.ui.inbox.rows import received_words

LOOPBACK = ("127.0.0.1", "localhost", "::1")
_ANSWERS = {
    AnswerMode.KEY: "key: the MD5 of login id, password and the server's key",
    AnswerMode.PASSIVE: "passive: OK, then confirmed with authenticate_notifications",
    AnswerMode.PLAIN: "plain: the password itself (chosen for this connection)",
}

_ANSWERED = {
    AnswerMode.KEY: "with the MD5 (key)",
    AnswerMode.PASSIVE: "OK (passive)",
    AnswerMode.PLAIN: "with the plain password",
}


def notifying_apis() -> list[str]:
    """The APIs whose servers push notifications, by their labels (from the registry)."""
    return [kind_info(kind).label for kind in kinds() if kind_info(kind).notifications]


def clock(at: float | None) -> str:
    return "" if at is None else received_words(at)


def reach_words(settings: ListenerSettings, port: int, *, short: bool = False) -> str:
    """How a server reaches the listener, in words (plain text, a paragraph; `short`, a
    sentence for the connection form)."""
    if short:
        if settings.public_base_url:
            return f"Servers post to it through your tunnel, forwarded to 127.0.0.1:{port}."
        if settings.host not in LOOPBACK:
            return f"A server on your network uses this computer's own address, port {port}."
        return (
            "It works only on this computer: for a server elsewhere, forward a public address "
            f"to 127.0.0.1:{port} (ssh -R, ngrok, cloudflared) and set it as Public base URL "
            "in the inbox's Listener settings."
        )
    if settings.public_base_url:
        return (
            f"Servers post to {settings.public_base_url}, which your tunnel must forward to "
            f"127.0.0.1:{port} on this computer. Keep the address secret: its token path is "
            "what lets a server in."
        )
    if settings.host not in LOOPBACK:
        return (
            f"crmdesk listens on {settings.host}, beyond this computer: a server on your "
            f"network posts to this computer's own address on port {port} (127.0.0.1 above "
            "works only here). Keep the address secret: its token path is what lets a server in."
        )
    return (
        f"This address works only on this computer. When the server is elsewhere (a hosted "
        f"site, a cloud service), give it a public address that forwards to 127.0.0.1:{port}: a "
        f"reverse SSH tunnel from a machine it can reach (ssh -R 8080:127.0.0.1:{port} "
        f"you@gateway, with GatewayPorts on there) or a tunnel service (ngrok http {port}, "
        f"cloudflared tunnel --url http://127.0.0.1:{port}). Then put that public address in "
        "Listener settings → Public base URL, and the addresses here change to it. Keep the "
        "address secret: its token path is what lets a server in."
    )


class NotificationAddresses:
    """What the connection form asks the app's listener: a connection's whole address, and
    how a server elsewhere reaches it."""

    def __init__(self, notifications: Notifications) -> None:
        self._notifications = notifications

    def address(self, token: str) -> str:
        return self._notifications.address(token)

    def reach(self) -> str:
        notifications = self._notifications
        return reach_words(notifications.settings, listening_port(notifications), short=True)


class AddressField(QWidget):
    """A notification address, read-only, with a button that copies it."""

    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setReadOnly(True)
        self.line.setObjectName("notificationAddress")
        self.line.setAccessibleName("Notification address")
        self.copy = QPushButton("Copy", self)
        self.copy.setToolTip("Copy the address to register with the server")
        self.copy.clicked.connect(self.copy_address)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.copy)

    def set_address(self, address: str) -> None:
        self.line.setText(address)
        self.line.setCursorPosition(0)
        self.copy.setEnabled(bool(address))

    def copy_address(self) -> None:
        QGuiApplication.clipboard().setText(self.line.text())
        self.copied.emit(self.line.text())


def status_html(protocol: NotificationProtocol, mode: AnswerMode, status: RouteStatus) -> str:
    """What the listener last saw on one route, as lines of rich text."""
    lines: list[str] = []
    if protocol is NotificationProtocol.AICORE_PUSH:
        lines.append(f"Answer mode: {escape(_ANSWERS[mode])}")
        if status.last_authenticate_at is None:
            lines.append("Last authenticate: none yet (the server asks before it delivers)")
        elif status.last_answer is None:
            lines.append(
                f"Last authenticate: {clock(status.last_authenticate_at)}, "
                f"<b>refused</b>: {escape(status.last_authenticate_problem)}"
            )
        else:
            lines.append(
                f"Last authenticate: {clock(status.last_authenticate_at)}, answered "
                f"{_ANSWERED[status.last_answer]}"
            )
        if mode is AnswerMode.PASSIVE:
            confirm = status.confirm or "not yet"
            at = f" at {clock(status.confirm_at)}" if status.confirm_at else ""
            lines.append(f"Confirmation (authenticate_notifications): {escape(confirm)}{at}")
    if status.deliveries:
        repeats = f", {status.repeats:,} repeats" if status.repeats else ""
        lines.append(
            f"Deliveries: {status.deliveries:,} ({status.messages:,} new messages{repeats}), "
            f"the last at {clock(status.last_delivery_at)}"
        )
    else:
        lines.append("Deliveries: none since crmdesk started")
    if status.rejected:
        lines.append(
            f"Refused requests: {status.rejected:,}, the last at "
            f"{clock(status.last_rejection_at)}: {escape(status.last_rejection)}"
        )
    return "<br>".join(lines)


class ConnectionAddress(QGroupBox):
    """One connection: its address and its route's status, or why it has none."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(profile.name, parent)
        self.profile_id = profile.id
        self.field = AddressField(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column = QVBoxLayout(self)
        column.setSpacing(4)
        column.addWidget(self.field)
        column.addWidget(self.status)

    def show_state(self, profile: Profile, notifications: Notifications) -> None:
        self.setTitle(profile.name)
        settings = profile.notifications
        protocol = kind_info(profile.kind).notifications
        if settings is None or protocol is None:
            return
        if not settings.enabled:
            self.field.set_address("")
            self.field.line.setPlaceholderText("Not listening for this connection")
            self.status.setText(
                "Notifications are off for this connection: turn on “Listen for "
                "notifications” in its settings (File → Connections…)."
            )
            return
        self.field.set_address(notifications.address(settings.token))
        listener = notifications.listener
        if listener is None or not listener.running:
            self.status.setText("Not listening now (see above); register this address anyway.")
            return
        self.status.setText(
            status_html(protocol, AnswerMode(settings.auth), listener.status(settings.token))
        )


class ListenerAddresses(QScrollArea):
    """The "Where to send notifications" page of the inbox dock."""

    settingsWanted = Signal()
    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inboxAddresses")
        self.setWidgetResizable(True)
        body = QWidget(self)
        self.state = QLabel(body)
        self.state.setObjectName("listenerState")
        self.state.setWordWrap(True)
        self.settings_button = QPushButton("Listener settings…", body)
        self.settings_button.clicked.connect(self.settingsWanted)
        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.settings_button, 0, Qt.AlignmentFlag.AlignTop)
        self.reach = QLabel(body)
        self.reach.setObjectName("listenerReach")
        self.reach.setWordWrap(True)
        self.reach.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reach.setStyleSheet("color: #5f6368;")
        self.list = QVBoxLayout()
        self.none = QLabel(
            "No connection here can receive notifications: of the APIs crmdesk speaks, "
            f"{' and '.join(notifying_apis())} send them.",
            body,
        )
        self.none.setWordWrap(True)
        column = QVBoxLayout(body)
        column.addLayout(top)
        column.addLayout(self.list)
        column.addWidget(self.none)
        column.addWidget(self.reach)
        column.addStretch(1)
        self.setWidget(body)
        self.rows: dict[str, ConnectionAddress] = {}

    def show_state(self, notifications: Notifications | None, profiles: list[Profile]) -> None:
        """Bring every part up to date (cheap: no query; the listener keeps its status)."""
        if notifications is None:
            self.state.setText("The inbox could not be opened this session (see the log file).")
            return
        self.state.setText(listening_words(notifications))
        wanted = [p for p in profiles if kind_info(p.kind).notifications is not None]
        if [p.id for p in wanted] != list(self.rows):
            for row in self.rows.values():
                row.deleteLater()
            self.rows = {}
            for profile in wanted:
                row = ConnectionAddress(profile, self.widget())
                row.field.copied.connect(self.copied)
                self.list.addWidget(row)
                self.rows[profile.id] = row
        for profile in wanted:
            self.rows[profile.id].show_state(profile, notifications)
        self.none.setVisible(not wanted)
        self.reach.setText(reach_words(notifications.settings, listening_port(notifications)))


def listening_port(notifications: Notifications) -> int:
    listener = notifications.listener
    return (
        listener.port if listener is not None and listener.running else notifications.settings.port
    )


def listening_words(notifications: Notifications) -> str:
    """The listener's state in one sentence."""
    listener = notifications.listener
    if listener is not None and listener.running:
        where = "this computer only" if listener.host in LOOPBACK else "beyond this computer"
        return f"Listening on {listener.host}:{listener.port} ({where})."
    if notifications.problem:
        return notifications.problem
    return (
        "Not listening yet: the listener starts when a connection has “Listen for "
        "notifications” on."
    )
