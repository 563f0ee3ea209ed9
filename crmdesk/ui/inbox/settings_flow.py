"""InboxSettings: the inbox dock's settings part: desktop notifications on or off, the
listener's settings and retention dialogs, and saving what the user chose through
`Notifications.set_settings` (and the store's retention) with what happened in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from crmdesk.desk import Notifications
from crmdesk.inbox import ListenerSettings
from crmdesk.ui.inbox.addresses import listening_words
from crmdesk.ui.inbox.settings_dialog import ListenerSettingsDialog, RetentionDialog
from crmdesk.ui.inbox.store_ops import StoreOps
from crmdesk.ui.inbox.tray import InboxTray


class InboxSettings:
    """`switch` is the dock's "Desktop notifications" action; `saved` runs after a save
    (the dock shows its state again, the demo's servers learn a moved address)."""

    def __init__(
        self,
        notifications: Notifications | None,
        tray: InboxTray,
        switch: QAction,
        ops: StoreOps,
        say: Callable[[str], None],
        parent: QWidget,
    ) -> None:
        self.notifications = notifications
        self._tray = tray
        self._switch = switch
        self._ops = ops
        self._say = say
        self._parent = parent
        self.saved: list[Callable[[], None]] = []
        switch.setChecked(self.current().desktop_notifications)
        if tray.present is None:
            # Kept as chosen for a desktop that has a tray; this one shows none.
            switch.setText("&Desktop notifications for new messages (this desktop has no tray)")
        switch.toggled.connect(self.set_desktop_notifications)

    def current(self) -> ListenerSettings:
        notifications = self.notifications
        return notifications.settings if notifications is not None else ListenerSettings()

    def set_desktop_notifications(self, on: bool) -> None:
        self._tray.set_enabled(on)
        if self._switch.isChecked() != on:
            self._switch.setChecked(on)
        if self.current().desktop_notifications != on:
            self.save(replace(self.current(), desktop_notifications=on))

    def ask_listener_settings(self) -> ListenerSettingsDialog:
        now = listening_words(self.notifications) if self.notifications is not None else ""
        dialog = ListenerSettingsDialog(self.current(), now, self._parent)
        dialog.chosen.connect(self.save)
        dialog.open()
        return dialog

    def ask_retention(self) -> RetentionDialog | None:
        notifications = self.notifications
        if notifications is None:
            return None
        dialog = RetentionDialog(self.current(), self._parent)
        dialog.chosen.connect(self.save)
        dialog.open()
        self._ops.run(notifications.store.count, "count the inbox's messages", dialog.set_stored)
        return dialog

    def save(self, settings: ListenerSettings) -> None:
        notifications = self.notifications
        if notifications is None:
            return
        before = notifications.settings

        async def save() -> str:
            words = await notifications.set_settings(settings)
            if settings.retention() != before.retention():
                removed = await notifications.store.set_retention(settings.retention())
                words = f"{words} Kept by the new limits; {removed:,} old messages removed."
            return words.strip()

        def done(words: str) -> None:
            self.set_desktop_notifications(notifications.settings.desktop_notifications)
            self._say(words or "Listener settings saved.")
            for then in self.saved:
                then()

        self._ops.run(save, "save the listener settings", done)
