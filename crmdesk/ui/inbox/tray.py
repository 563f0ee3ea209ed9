"""InboxTray: the unread count on a tray icon, and desktop notifications of new messages.

Where the desktop has no tray (offscreen, some Linux desktops) there is no icon and nothing
pops up; the dock's title still counts. Desktop notifications are coalesced: at most one
every `QUIET_MS`, saying how many arrived since the last one, and only while the user has
them on (ListenerSettings.desktop_notifications).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter
from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from crmdesk.ui.icon import app_icon

QUIET_MS = 5000
_BADGE_RED = QColor("#c62828")

Present = Callable[[str, str], None]


def badge_icon(base: QIcon, unread: int, size: int = 32) -> QIcon:
    """`base` with the unread count in a red disc at its corner (none at 0; 99+ past 99)."""
    pixmap = base.pixmap(size, size)
    if unread <= 0:
        return QIcon(pixmap)
    text = str(unread) if unread < 100 else "99+"
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRect(size // 3, 0, size - size // 3, size * 2 // 3)
    painter.setBrush(_BADGE_RED)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(disc, disc.height() / 2, disc.height() / 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(8, disc.height() * 2 // 3 - (2 if len(text) > 2 else 0)))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)


def new_words(count: int, latest: str, connections: list[str]) -> tuple[str, str]:
    """A desktop notification's title and text for `count` new messages."""
    if len(connections) == 1:
        where = connections[0]
    else:
        where = f"{len(connections)} connections" if connections else "your connections"
    if count == 1:
        return f"New notification from {where}", latest
    return f"{count:,} new notifications from {where}", f"Latest: {latest}" if latest else ""


class InboxTray(QObject):
    """The tray icon (when the desktop has a tray) and the desktop notifications.

    `present` is where a desktop notification goes: the tray icon's balloon, or None where
    there is no tray to show one. `activated` fires when the user clicks the icon or a
    notification (the window shows the inbox).
    """

    activated = Signal()

    def __init__(self, parent: QWidget, *, enabled: bool = True) -> None:
        super().__init__(parent)
        self.enabled = enabled
        self.unread = -1
        self.heard = 0  # new messages told of, shown or not
        self.icon: QSystemTrayIcon | None = None
        self.present: Present | None = None
        self._base = app_icon()
        self._waiting = 0
        self._latest = ""
        self._from: list[str] = []
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self._flush)
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QSystemTrayIcon(self._base, self)
            icon.setObjectName("inboxTrayIcon")
            icon.activated.connect(lambda _reason: self.activated.emit())
            icon.messageClicked.connect(self.activated)
            icon.show()
            self.icon = icon
            if QSystemTrayIcon.supportsMessages():
                self.present = self._balloon
        self.set_unread(0)

    def hide(self) -> None:
        """Take the icon away (the window closed) and show nothing more."""
        self.present = None
        self._quiet.stop()
        if self.icon is not None:
            self.icon.hide()

    def set_unread(self, unread: int) -> None:
        if unread == self.unread:
            return
        self.unread = unread
        if self.icon is not None:
            self.icon.setIcon(badge_icon(self._base, unread))
            self.icon.setToolTip(
                f"crmdesk: {unread:,} unread notification{'s' if unread != 1 else ''}"
                if unread
                else "crmdesk: no unread notifications"
            )

    @property
    def shows_news(self) -> bool:
        """Whether new messages raise a desktop notification (on, and a tray to show it)."""
        return self.enabled and self.present is not None

    def arrived(self, count: int, latest: str, connection: str) -> None:
        """`count` new messages came (the latest's summary, from `connection`)."""
        self.heard += count
        if not self.shows_news or count <= 0:
            return
        self._waiting += count
        self._latest = latest
        if connection and connection not in self._from:
            self._from.append(connection)
        if not self._quiet.isActive():
            self._flush()

    def set_enabled(self, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            self._waiting, self._from = 0, []

    def _flush(self) -> None:
        if not self._waiting or self.present is None or not self.enabled:
            return
        title, text = new_words(self._waiting, self._latest, self._from)
        self._waiting, self._from = 0, []
        self.present(title, text)
        # Quiet for a while: a burst of 500 is one notification, then one for the rest.
        self._quiet.start()

    def _balloon(self, title: str, text: str) -> None:
        if self.icon is not None:
            self.icon.showMessage(title, text, badge_icon(self._base, self.unread), 6000)
