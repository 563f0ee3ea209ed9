"""The notification inbox as the Desk runs it: the store, the one listener for all connections,
and a route per connection whose notifications are on, kept in step with the profiles.

The listener is handed what each route needs (the connection's login, kept in memory only;
for a passive answer, the connection's own confirmation command); it never sees a profile or
a backend. A port that is taken does not stop crmdesk: the inbox shows what is stored and
says why nothing new arrives (`problem`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crmdesk.api import ApiError, kind_info
from crmdesk.inbox import (
    AnswerMode,
    InboxStore,
    ListenerSettings,
    Route,
    StoreError,
    load_settings,
    route_path,
    save_settings,
    token_hint,
)
from crmdesk.profiles import Connections, Profile, SecretStore

if TYPE_CHECKING:
    from crmdesk.inbox import NotificationListener

log = logging.getLogger(__name__)


def route_for(
    profile: Profile, credentials: Mapping[str, str], confirm: Any | None = None
) -> Route | None:
    """The listener's route for a connection whose notifications are on; None otherwise.

    Which credentials answer the server's `authenticate` is the kind's to say
    (`KindInfo.notification_login`); `confirm` is the connection's follow-up command for a
    passive answer.
    """
    settings = profile.notifications
    info = kind_info(profile.kind)
    if settings is None or not settings.enabled or info.notifications is None:
        return None
    login_id = password = ""
    if info.notification_login is not None:
        id_name, password_name = info.notification_login
        login_id, password = credentials.get(id_name, ""), credentials.get(password_name, "")
    mode = AnswerMode(settings.auth)
    return Route(
        settings.token,
        profile.id,
        profile.name,
        info.notifications,
        mode,
        login_id,
        password,
        confirm if mode is AnswerMode.PASSIVE else None,
    )


class Notifications:
    """The inbox of this run: `store` always (what arrived, now or while crmdesk was closed),
    `listener` when it could bind its port."""

    def __init__(
        self,
        store: InboxStore,
        settings: ListenerSettings,
        connections: Connections,
        secrets: SecretStore,
    ) -> None:
        self.store = store
        self.settings = settings
        self.listener: NotificationListener | None = None
        self.problem = ""
        self._connections = connections
        self._secrets = secrets
        self._listening = False
        self._port = settings.port
        self._following = asyncio.Lock()

    @classmethod
    async def open(
        cls,
        connections: Connections,
        secrets: SecretStore,
        *,
        path: Path | None = None,
        settings_path: Path | None = None,
        moved_listener: Mapping[str, Any] | None = None,
    ) -> Notifications | None:
        """The inbox in the data directory (or at `path`); None when its file cannot be used."""
        settings = await asyncio.to_thread(
            load_settings, settings_path, moved_listener=moved_listener
        )
        store = InboxStore(path, retention=settings.retention())
        try:
            await store.open()
        except (StoreError, OSError) as exc:
            log.error("The notification inbox is not kept this session: %s", exc)
            return None
        return cls(store, settings, connections, secrets)

    async def listen(self, port: int | None = None) -> None:
        """Give a route to each connection whose notifications are on; the listener starts
        with the first of them (so a console with none opens no port). `port` replaces the
        saved one for this run (the demo takes any free port)."""
        self._port = self.settings.port if port is None else port
        self._listening = True
        for profile in self._connections.profiles:
            await self.follow(profile.id)

    async def _start_listener(self) -> bool:
        from crmdesk.inbox import NotificationListener

        listener = NotificationListener(
            self.store,
            host=self.settings.host,
            port=self._port,
            public_base_url=self.settings.public_base_url,
        )
        try:
            await listener.start()
        except OSError as exc:
            self.problem = (
                f"Notifications cannot be received: {self.settings.host}:{self._port} is not "
                f"free ({exc.strerror or exc}). Choose another port in the listener settings; "
                "what is stored still shows."
            )
            log.error("%s", self.problem)
            self._listening = False
            return False
        self.problem = ""
        self.listener = listener
        return True

    async def follow(self, profile_id: str) -> None:
        """Bring one connection's route in step with its profile (added, edited or gone)."""
        # One at a time: two connections turned on at once must not start two listeners.
        async with self._following:
            await self._follow(profile_id)

    async def _follow(self, profile_id: str) -> None:
        if not self._listening:
            return
        try:
            profile: Profile | None = self._connections.profile(profile_id)
        except KeyError:
            profile = None
        route = None
        if profile is not None:
            credentials = await self._secrets(profile)
            route = route_for(profile, credentials, lambda: self._confirm(profile_id))
        if self.listener is None and (route is None or not await self._start_listener()):
            return
        assert self.listener is not None
        for old in self.listener.routes:
            # A route that did not change keeps what the listener saw on it.
            if old.connection_id == profile_id and old != route:
                self.listener.remove_route(old.token)
        if route is not None and route not in self.listener.routes:
            self.listener.add_route(route)
            log.info("Listening for %s at …%s", route.connection_name, token_hint(route.token))

    def url_for(self, profile: Profile) -> str | None:
        """The address to register with the connection's server; None when it is not heard."""
        if self.listener is None or profile.notifications is None:
            return None
        if not profile.notifications.enabled:
            return None
        return self.listener.url_for(profile.notifications.token)

    def address(self, token: str) -> str:
        """The URL for a route token: the listener's when it runs, else the one it will have
        once it starts with the saved settings."""
        if self.listener is not None and self.listener.running:
            return self.listener.url_for(token)
        base = self.settings.public_base_url.rstrip("/")
        if not base:
            host = self.settings.host
            host = "127.0.0.1" if host in ("", "0.0.0.0") else f"[{host}]" if ":" in host else host
            base = f"http://{host}:{self.settings.port}"
        return base + route_path(token)

    async def set_settings(self, settings: ListenerSettings, path: Path | None = None) -> str:
        """Keep the user's listener settings. A public base URL applies at once; a new host or
        port moves a running listener (with its routes), or starts one that could not bind
        before. Returns what happened to the address in words ("" when it did not change)."""
        await asyncio.to_thread(save_settings, settings, path)
        old, self.settings = self.settings, settings
        if self.listener is not None:
            self.listener.public_base_url = settings.public_base_url.rstrip("/")
        if (settings.host, settings.port) == (old.host, old.port):
            return ""
        self._port = settings.port
        if self.listener is not None and self.listener.running:
            return await self._move_listener()
        if not self.problem:
            return ""  # nothing listens yet (or it has stopped): the next start uses it
        await self.listen()  # it could not bind before: try the new address
        if self.listener is None:
            return self.problem
        return f"Listening on {settings.host}:{self.listener.port}."

    async def _move_listener(self) -> str:
        async with self._following:
            old = self.listener
            assert old is not None
            # Closed first: the same port on another host (127.0.0.1 to 0.0.0.0) cannot be
            # bound twice. Servers send again what meets the gap.
            await old.aclose()
            if await self._start_listener():
                moved = self.listener
                assert moved is not None
                for route in old.routes:
                    moved.add_route(route)
                return f"The listener moved to {self.settings.host}:{moved.port}."
            words = self.problem
            try:
                await old.start()
            except OSError:
                self.listener = None
                return words
            self.listener, self._listening, self.problem = old, True, ""
            return f"{words} It still listens on {old.host}:{old.port}."

    async def _confirm(self, profile_id: str) -> str:
        backend = await self._connections.open(profile_id)
        try:
            return await backend.confirm_notifications()
        except ApiError as error:
            log.warning("Confirming notifications failed: %s", error.summary)
            raise

    async def stop_listening(self) -> None:
        self._listening = False
        if self.listener is not None:
            await self.listener.aclose()

    async def aclose(self) -> None:
        await self.store.aclose()
