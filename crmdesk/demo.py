"""--demo: one session connection per sandbox endpoint, its secrets kept in memory only (never
saved: the demo connections are not in the profiles file nor the keyring)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from crmdesk.api import kind_info
from crmdesk.profiles import NotificationSettings, Profile

if TYPE_CHECKING:
    from crmdesk.desk import Desk

log = logging.getLogger(__name__)

# Every API crmdesk speaks, in the order the connections pane lists them; the first opens.
DEMO_KINDS = ("cmdatamanager", "mothernode", "getresponse", "ndchost", "aicore")


class Endpoint(Protocol):
    """What the sandbox says about one running emulator (crmdesk.sandbox.SandboxEndpoint)."""

    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def base_url(self) -> str: ...
    @property
    def credentials(self) -> dict[str, str]: ...
    @property
    def options(self) -> dict[str, object]: ...


def demo_profiles(endpoints: Iterable[Endpoint]) -> list[tuple[Profile, Mapping[str, str]]]:
    """A profile and its credentials per endpoint. Ids are stable so saved column widths and
    open tabs apply next time; a kind whose server pushes notifications has them on."""
    return [
        (
            Profile(
                name=endpoint.label,
                kind=endpoint.kind,
                base_url=endpoint.base_url,
                options=dict(endpoint.options),
                notifications=(
                    NotificationSettings(enabled=True)
                    if kind_info(endpoint.kind).notifications is not None
                    else None
                ),
                id=f"demo-{endpoint.kind}-{number}",
            ),
            dict(endpoint.credentials),
        )
        for number, endpoint in enumerate(endpoints, start=1)
    ]


def push_demo_notifications(sandbox: Any, desk: Desk, every: float = 5.0) -> list[str]:
    """Have each demo emulator whose server pushes send to the Desk's listener every few
    seconds, as a real server would. The kinds that push, in words."""
    notifications = desk.notifications
    pushing: list[str] = []
    if notifications is None or notifications.listener is None:
        return pushing
    for profile in desk.connections.profiles:
        url = notifications.url_for(profile)
        if url is None or not profile.id.startswith("demo-"):
            continue
        pusher = sandbox.pusher(profile.kind)
        pusher.register(url)
        pusher.start_periodic(every)
        pushing.append(profile.name)
    log.info("Demo notifications arrive from %s", ", ".join(pushing) or "no connection")
    return pushing
