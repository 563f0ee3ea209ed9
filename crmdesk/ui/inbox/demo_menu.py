"""The demo's "Push a burst of notifications": the sandbox's emulated servers whose API
pushes notifications send a burst to the inbox's listener, from the current connection's
emulator or from every one that pushes.

The items join the demo's Sandbox menu (crmdesk.ui.sandbox_menu), below its faults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction

from crmdesk.desk import Notifications
from crmdesk.profiles import Profile
from crmdesk.ui.sandbox_menu import SandboxMenu
from crmdesk.ui.session import ConnectionSession

BURST = 50
BIG_BURST = 1000


class NotificationBursts:
    """Pushes bursts from the running sandbox (crmdesk.sandbox.Sandbox or SandboxThread) to
    the listener. `current` is the connection in front; `say` tells the user what happened."""

    def __init__(
        self,
        sandbox: Any,
        notifications: Notifications | None,
        profiles: Callable[[], list[Profile]],
        current: Callable[[], ConnectionSession | None],
        say: Callable[[str], None],
    ) -> None:
        self._sandbox = sandbox
        self._notifications = notifications
        self._profiles = profiles
        self._current = current
        self._say = say
        self.actions: list[QAction] = []

    def pushing(self) -> list[Profile]:
        """The sandbox connections whose emulator pushes and whose notifications are heard."""
        notifications = self._notifications
        if notifications is None or notifications.listener is None:
            return []
        kinds = {endpoint.kind: endpoint for endpoint in self._sandbox.endpoints}
        found = []
        for profile in self._profiles():
            endpoint = kinds.get(profile.kind)
            if endpoint is None or endpoint.base_url.rstrip("/") != profile.base_url.rstrip("/"):
                continue
            if notifications.url_for(profile) is None:
                continue
            try:
                self._sandbox.pusher(profile.kind)
            except ValueError:
                continue
            found.append(profile)
        return found

    def push(self, profiles: list[Profile], count: int) -> str:
        """Have each profile's emulator send `count` messages; what was done, in words."""
        notifications = self._notifications
        if not profiles or notifications is None:
            words = (
                "No sandbox connection here pushes notifications that crmdesk hears (one "
                "whose API sends them, with “Listen for notifications” on)."
            )
            self._say(words)
            return words
        for profile in profiles:
            pusher = self._sandbox.pusher(profile.kind)
            # Registered again each time: the listener may have moved since the demo began.
            pusher.register(notifications.url_for(profile))
            pusher.burst(count)
        names = ", ".join(profile.name for profile in profiles)
        each = "" if len(profiles) == 1 else " each"
        words = f"Sandbox: {names} will push {count:,} notifications{each} to the inbox."
        self._say(words)
        return words

    def push_current(self, count: int = BURST) -> str:
        """A burst from the connection in front (from every pushing one when none is)."""
        session = self._current()
        if session is None:
            return self.push_all(count)
        mine = [p for p in self.pushing() if p.id == session.id]
        if not mine:
            words = f"{session.name} is not a sandbox connection that pushes notifications."
            self._say(words)
            return words
        return self.push(mine, count)

    def register_all(self) -> None:
        """Tell every pushing emulator the listener's address again (after it moved)."""
        notifications = self._notifications
        if notifications is None:
            return
        for profile in self.pushing():
            self._sandbox.pusher(profile.kind).register(notifications.url_for(profile))

    def push_all(self, count: int = BURST) -> str:
        return self.push(self.pushing(), count)

    def add_to(self, menu: SandboxMenu) -> None:
        """Add the items to the demo's Sandbox menu, below its faults."""
        items = (
            (f"Push a &burst of {BURST} notifications", self.push_current),
            (f"Push {BURST} notifications from &every pushing connection", self.push_all),
            (
                f"Push {BIG_BURST:,} notifications from every pushing connection",
                lambda: self.push_all(BIG_BURST),
            ),
        )
        for text, slot in items:
            self.actions.append(menu.add_action(text, slot))
        menu.menu.aboutToShow.connect(self._update)
        self._update()

    def _update(self) -> None:
        pushing = self.pushing()
        tip = (
            "The sandbox's emulated servers send to crmdesk's listener, as real ones do"
            if pushing
            else "No sandbox connection pushes notifications to a running listener"
        )
        for action in self.actions:
            action.setEnabled(bool(pushing))
            action.setStatusTip(tip)
        session = self._current()
        if self.actions and session is not None:
            mine = any(profile.id == session.id for profile in pushing)
            self.actions[0].setText(
                f"Push a &burst of {BURST} notifications from {session.name}"
                if mine
                else f"Push a &burst of {BURST} notifications ({session.name} sends none)"
            )
            self.actions[0].setEnabled(mine)
