"""MemoryKeyring: a keyring backend in a dict, for tests (STACK-NOTES B5).

Its priority is below zero so keyring never picks it on its own; tests install it with
`keyring.set_keyring()` or hand it to `SecretStore`. `locked` and `hang` imitate a locked
keyring and one that never answers, which real backends do.
"""

from __future__ import annotations

import threading

from keyring import errors
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    priority = -10  # type: ignore[assignment]  (a number where keyring has a classproperty)

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False
        self.hang: threading.Event | None = None
        self.calls = 0

    def _enter(self) -> None:
        self.calls += 1
        if self.hang is not None:
            self.hang.wait()
        if self.locked:
            raise errors.KeyringLocked("the test keyring is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._enter()
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._enter()
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._enter()
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise errors.PasswordDeleteError("no such password") from None
