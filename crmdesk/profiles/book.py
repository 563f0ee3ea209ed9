"""ProfileBook: the one owner of saved connections, their secrets and the profiles file.

It keeps the three in step (Connections for opening, SecretStore for credentials,
ProfileStore for the file) and tells its listeners what changed (the window turns that into
Qt signals). Disk work runs in a thread; keyring work in SecretStore's own. Profiles added
straight to Connections (the --demo ones) are never saved.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from crmdesk.profiles.connections import Connections
from crmdesk.profiles.model import Profile
from crmdesk.profiles.secrets import KeyringState, SecretStore
from crmdesk.profiles.sharing import Imported, export_file, import_file
from crmdesk.profiles.store import LoadedProfiles, ProfileStore

log = logging.getLogger(__name__)


class BookChange(Enum):
    ADDED = "added"
    EDITED = "edited"
    REMOVED = "removed"
    KEYRING = "keyring"  # where secrets are kept changed (SecretStore.state)
    PROBLEMS = "problems"  # the profiles file had to be set aside in part


@dataclass(frozen=True, slots=True)
class BookEvent:
    """What changed: a profile (by id), the keyring's state, or sentences to show."""

    change: BookChange
    profile_id: str = ""
    problems: tuple[str, ...] = ()


class ProfileBook:
    """Saved connections. Listeners hear of each change as a BookEvent, on the loop thread."""

    def __init__(
        self,
        connections: Connections,
        secrets: SecretStore,
        store: ProfileStore | None = None,
    ) -> None:
        self.connections = connections
        self.secrets = secrets
        self.store = store or ProfileStore()
        self.last_used: str | None = None
        self.load_problems: tuple[str, ...] = ()
        self._saved: list[str] = []
        self._write_lock = asyncio.Lock()
        self._listeners: list[Callable[[BookEvent], None]] = []
        secrets.subscribe(lambda: self._tell(BookEvent(BookChange.KEYRING)))

    def subscribe(self, listener: Callable[[BookEvent], None]) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _tell(self, event: BookEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a listener of the profile book failed")

    @property
    def saved(self) -> tuple[Profile, ...]:
        return tuple(self.connections.profile(pid) for pid in self._saved)

    def is_saved(self, profile_id: str) -> bool:
        return profile_id in self._saved

    @property
    def session_only(self) -> tuple[Profile, ...]:
        """The connections of this session that are never saved (the demo's sandbox ones)."""
        return tuple(p for p in self.connections.profiles if p.id not in self._saved)

    async def edit_session(self, profile: Profile, credentials: Mapping[str, str]) -> None:
        """Change a session-only connection for the rest of this run; it stays unsaved."""
        if profile.id in self._saved:
            raise ValueError(f"{profile.name} is a saved connection; save it instead.")
        await self.connections.replace(profile)
        self.secrets.keep_for_session(profile.id, credentials)
        self._tell(BookEvent(BookChange.EDITED, profile.id))

    @property
    def keyring_state(self) -> KeyringState:
        return self.secrets.state

    async def load(self) -> LoadedProfiles:
        """Read the file (at start-up) and add its profiles; reports what had to be set aside."""
        loaded = await asyncio.to_thread(self.store.load)
        for profile in loaded.profiles:
            self.connections.add(profile)
            self._saved.append(profile.id)
        self.last_used = loaded.last_used
        self.load_problems = loaded.problems
        if loaded.problems:
            for problem in loaded.problems:
                log.warning("%s", problem)
            self._tell(BookEvent(BookChange.PROBLEMS, problems=loaded.problems))
        return loaded

    async def credentials(self, profile_id: str) -> dict[str, str]:
        return await self.secrets.get(profile_id)

    async def save(self, profile: Profile, credentials: Mapping[str, str]) -> KeyringState:
        """Add or replace a profile and its credentials; says where the credentials went."""
        new = profile.id not in self._saved
        if new:
            self.connections.add(profile)
            self._saved.append(profile.id)
        else:
            await self.connections.replace(profile)
        where = await self.secrets.put(profile.id, credentials)
        await self._write()
        self._tell(BookEvent(BookChange.ADDED if new else BookChange.EDITED, profile.id))
        return where

    async def delete(self, profile_id: str) -> None:
        if profile_id not in self._saved:
            return
        self._saved.remove(profile_id)
        await self.connections.remove(profile_id)
        await self.secrets.delete(profile_id)
        if self.last_used == profile_id:
            self.last_used = None
        await self._write()
        self._tell(BookEvent(BookChange.REMOVED, profile_id))

    async def remember_last_used(self, profile_id: str) -> None:
        if profile_id in self._saved and profile_id != self.last_used:
            self.last_used = profile_id
            await self._write()

    async def export_to(self, path: Path, profile_ids: Iterable[str] | None = None) -> int:
        ids = list(self._saved if profile_ids is None else profile_ids)
        profiles = [self.connections.profile(pid) for pid in ids]
        await asyncio.to_thread(export_file, path, profiles)
        return len(profiles)

    async def import_from(self, path: Path) -> Imported:
        """Add the file's profiles as new connections, without secrets; ValueError if unreadable."""
        names = [profile.name for profile in self.connections.profiles]
        imported = await asyncio.to_thread(import_file, path, names)
        for profile in imported.profiles:
            self.connections.add(profile)
            self._saved.append(profile.id)
        await self._write()
        for profile in imported.profiles:
            self._tell(BookEvent(BookChange.ADDED, profile.id))
        return imported

    async def _write(self) -> None:
        # One writer at a time, each writing the latest state: saves can never interleave.
        async with self._write_lock:
            await asyncio.to_thread(self.store.save, self.saved, self.last_used)
