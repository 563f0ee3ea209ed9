"""WriteGuard: what every write from the UI asks first.

Read-only connections refuse here, before anything is built to send (and the backend refuses
again, before the network, so a missed guard cannot send). Production connections ask, every
time, with the safe answer as the default. Record editing calls `allow()` before each save,
action or delete.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from crmdesk.profiles import Profile
from crmdesk.ui.profiles.ask import confirm


def refusal(profile: Profile) -> str | None:
    """Why a write to this connection is not allowed at all, in words; None when it may ask."""
    if profile.read_only:
        return (
            f"{profile.name} is read-only; nothing was sent. Switch off read-only in "
            "File → Connections… to make changes."
        )
    return None


class WriteGuard:
    """Asks (production) or refuses (read-only) before a write; `allow()` says go or not."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent
        self.last_refusal = ""

    async def allow(self, profile: Profile, what: str) -> bool:
        """`what` names the write in the user's words, e.g. "save 3 changes to Leads"."""
        reason = refusal(profile)
        if reason is not None:
            self.last_refusal = reason
            return False
        if not profile.production:
            return True
        allowed = await confirm(
            self._parent,
            f"Production: {profile.name}",
            f"<b>{profile.name}</b> is a production connection.<br>Really {what}?",
            what[:1].upper() + what[1:],
            detail="This changes live data that other people use.",
        )
        if not allowed:
            self.last_refusal = f"Not sent: you chose not to {what} on {profile.name}."
        return allowed
