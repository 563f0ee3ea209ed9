"""--demo: the sandbox APIs on 127.0.0.1, one profile per endpoint, secrets kept in memory only
(never saved: the demo connections are not in the profiles file nor the keyring)."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, Protocol

from crmdesk.profiles import Connections, Profile

# Every API crmdesk speaks, in the order the connections pane lists them; the first opens.
DEMO_KINDS = ("cmdatamanager", "mothernode", "getresponse", "ndchost", "aicore")


class SessionSecrets:
    """Secrets held for this session only: never written to disk, gone when the app quits."""

    def __init__(self) -> None:
        self._by_profile: dict[str, dict[str, str]] = {}

    def keep(self, profile: Profile, credentials: Mapping[str, str]) -> None:
        self._by_profile[profile.id] = dict(credentials)

    async def __call__(self, profile: Profile) -> Mapping[str, str]:
        return dict(self._by_profile.get(profile.id, {}))


class KeepsSecrets(Protocol):
    def keep(self, profile: Profile, credentials: Mapping[str, str]) -> None: ...


async def start_sandbox(stack: contextlib.AsyncExitStack, records: int | None) -> Any:
    """Start the sandbox on the running loop; `stack` stops it after the connections close."""
    # Imported here: only --demo needs the emulators (and their fake data) loaded.
    from crmdesk.sandbox import Sandbox

    sandbox = Sandbox(kinds=DEMO_KINDS, records_per_entity=records)
    return await stack.enter_async_context(sandbox)


def add_endpoints(endpoints: list[Any], connections: Connections, secrets: KeepsSecrets) -> None:
    """One profile per sandbox endpoint. Ids are stable so saved column widths apply next time."""
    for number, endpoint in enumerate(endpoints, start=1):
        profile = Profile(
            name=endpoint.label,
            kind=endpoint.kind,
            base_url=endpoint.base_url,
            options=dict(endpoint.options),
            id=f"demo-{endpoint.kind}-{number}",
        )
        connections.add(profile)
        secrets.keep(profile, endpoint.credentials)
