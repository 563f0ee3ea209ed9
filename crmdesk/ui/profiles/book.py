"""ProfileBook: the window's one owner of saved connections, their secrets and the file.

It keeps the three in step (Connections for opening, SecretStore for credentials,
ProfileStore for the file) and tells the window what changed. Disk work runs in a thread;
keyring work in SecretStore's own. Profiles added straight to Connections (the --demo ones)
are never saved.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from crmdesk.profiles import (
    Connections,
    Imported,
    KeyringState,
    LoadedProfiles,
    Profile,
    ProfileStore,
    SecretStore,
    export_file,
    import_file,
)

log = logging.getLogger(__name__)


class ProfileBook(QObject):
    """Saved connections. Signals carry profile ids; `problems` carries sentences to show."""

    added = Signal(str)
    edited = Signal(str)
    removed = Signal(str)
    keyringChanged = Signal()
    problems = Signal(list)

    def __init__(
        self,
        connections: Connections,
        secrets: SecretStore,
        store: ProfileStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.connections = connections
        self.secrets = secrets
        self.store = store or ProfileStore()
        self.last_used: str | None = None
        self.load_problems: tuple[str, ...] = ()
        self._saved: list[str] = []
        self._write_lock = asyncio.Lock()
        secrets.subscribe(self.keyringChanged.emit)

    @property
    def saved(self) -> tuple[Profile, ...]:
        return tuple(self.connections.profile(pid) for pid in self._saved)

    def is_saved(self, profile_id: str) -> bool:
        return profile_id in self._saved

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
            self.problems.emit(list(loaded.problems))
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
        (self.added if new else self.edited).emit(profile.id)
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
        self.removed.emit(profile_id)

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
            self.added.emit(profile.id)
        return imported

    async def _write(self) -> None:
        # One writer at a time, each writing the latest state: saves can never interleave.
        async with self._write_lock:
            await asyncio.to_thread(self.store.save, self.saved, self.last_used)
