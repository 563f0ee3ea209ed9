"""Connections: the profiles of this session and the backends opened from them.

A backend is opened on first use and kept until the profile changes or the app quits; every
backend records into the one shared ExchangeLog, so the inspector sees all connections.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from crmdesk.api import Backend, ExchangeLog, open_backend
from crmdesk.profiles.model import Profile

# Returns the secrets of a profile (from the keyring, or kept for this session only).
SecretsSource = Callable[[Profile], Awaitable[Mapping[str, str]]]
BackendOpener = Callable[..., Backend]


class Connections:
    """The profiles in this window and their open backends, by profile id."""

    def __init__(
        self,
        secrets: SecretsSource,
        log: ExchangeLog | None = None,
        opener: BackendOpener = open_backend,
    ) -> None:
        self.log = log if log is not None else ExchangeLog()
        self._secrets = secrets
        self._opener = opener
        self._profiles: dict[str, Profile] = {}
        self._open: dict[str, Backend] = {}
        self._opening: dict[str, asyncio.Task[Backend]] = {}

    @property
    def profiles(self) -> tuple[Profile, ...]:
        return tuple(self._profiles.values())

    def profile(self, profile_id: str) -> Profile:
        return self._profiles[profile_id]

    def add(self, profile: Profile) -> None:
        self._profiles[profile.id] = profile

    async def replace(self, profile: Profile) -> None:
        """Take an edited profile: its open backend was made from the old one, so close it."""
        await self.close(profile.id)
        self._profiles[profile.id] = profile

    async def remove(self, profile_id: str) -> None:
        await self.close(profile_id)
        self._profiles.pop(profile_id, None)

    async def open(self, profile_id: str) -> Backend:
        """The backend of a profile, opened on first use (one opening at a time per profile)."""
        if profile_id in self._open:
            return self._open[profile_id]
        task = self._opening.get(profile_id)
        if task is None:
            task = asyncio.ensure_future(self._open_backend(self._profiles[profile_id]))
            self._opening[profile_id] = task
        try:
            backend = await asyncio.shield(task)
        finally:
            if task.done():
                self._opening.pop(profile_id, None)
        self._open[profile_id] = backend
        return backend

    async def _open_backend(self, profile: Profile) -> Backend:
        credentials = await self._secrets(profile)
        return self._opener(
            profile.kind,
            profile.base_url,
            credentials,
            connection=profile.name,
            connection_id=profile.id,
            log=self.log,
            read_only=profile.read_only,
            **dict(profile.options),
        )

    async def try_out(
        self, profile: Profile, credentials: Mapping[str, str], *, timeout: float = 30.0
    ) -> str:
        """Prove a profile works (a saved one, or a draft being typed) with its kind's cheapest
        call, on a connection of its own that is read-only whatever the profile says.

        Its words on success; ValueError when the profile lacks what the kind needs, ApiError
        when the server says no, TimeoutError when it says nothing within `timeout`.
        """
        backend = self._opener(
            profile.kind,
            profile.base_url,
            credentials,
            connection=f"{profile.name} (test)",
            connection_id=profile.id,
            log=self.log,
            read_only=True,
            **dict(profile.options),
        )
        async with backend:
            return await asyncio.wait_for(backend.test_connection(), timeout)

    async def close(self, profile_id: str) -> None:
        opening = self._opening.pop(profile_id, None)
        if opening is not None:
            opening.cancel()
            await asyncio.gather(opening, return_exceptions=True)
        backend = self._open.pop(profile_id, None)
        if backend is not None:
            await backend.aclose()

    async def close_all(self) -> None:
        for task in self._opening.values():
            task.cancel()
        await asyncio.gather(*self._opening.values(), return_exceptions=True)
        self._opening.clear()
        backends = list(self._open.values())
        self._open.clear()
        await asyncio.gather(*(b.aclose() for b in backends), return_exceptions=True)
