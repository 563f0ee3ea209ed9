"""--demo: one session connection per sandbox endpoint, its secrets kept in memory only (never
saved: the demo connections are not in the profiles file nor the keyring)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

from crmdesk.profiles import Profile

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
    open tabs apply next time."""
    return [
        (
            Profile(
                name=endpoint.label,
                kind=endpoint.kind,
                base_url=endpoint.base_url,
                options=dict(endpoint.options),
                id=f"demo-{endpoint.kind}-{number}",
            ),
            dict(endpoint.credentials),
        )
        for number, endpoint in enumerate(endpoints, start=1)
    ]
