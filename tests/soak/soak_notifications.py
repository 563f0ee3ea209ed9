"""The soak's notifications: the Desk's listener open on the sandbox's connections, and the
sandbox's pushers (aicore push, GetResponse webhooks) sending to it, a few messages every
tick, for as long as the connections page and save; then every message is looked for in the
Desk's inbox."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from crmdesk.desk import Desk
from crmdesk.inbox import InboxQuery
from crmdesk.sandbox import Sandbox
from crmdesk.sandbox.aicore.notify import AiCorePush
from crmdesk.sandbox.getresponse.webhooks import WebhookPush

PUSHING_KINDS = ("aicore", "getresponse")
TICK_SECONDS = 0.05


@dataclass
class Pushed:
    """What one kind's pusher sent and what came of it."""

    kind: str
    connection_id: str
    sent: int = 0
    acknowledged: int = 0
    lost: int = 0  # given up on, or never acknowledged
    stored: int = 0  # messages in the inbox, a repeat counted as often as it came


@dataclass
class Pushing:
    """Pushers sending `per_tick` messages each every TICK_SECONDS until `stop()`."""

    sandbox: Sandbox
    desk: Desk
    per_tick: int = 2
    pushed: dict[str, Pushed] = field(default_factory=dict)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def register(self) -> None:
        """Give each pushing server the listener's URL for its connection."""
        notifications = self.desk.notifications
        assert notifications is not None
        assert notifications.listener is not None, notifications.problem
        for profile in self.desk.connections.profiles:
            if profile.kind in PUSHING_KINDS:
                url = notifications.url_for(profile)
                assert url is not None
                self.sandbox.pusher(profile.kind).register(url)
                self.pushed[profile.kind] = Pushed(profile.kind, profile.id)

    def start(self) -> None:
        for kind in self.pushed:
            self._tasks.append(asyncio.ensure_future(self._push(kind)))

    async def _push(self, kind: str) -> None:
        pusher = self.sandbox.pusher(kind)
        while True:
            pusher.burst(self.per_tick)
            self.pushed[kind].sent += self.per_tick
            await asyncio.sleep(TICK_SECONDS)

    async def stop(self, wait: float = 120.0) -> dict[str, Pushed]:
        """Stop pushing and wait until every message was answered."""
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        notifications = self.desk.notifications
        assert notifications is not None
        for kind, pushed in self.pushed.items():
            pusher = self.sandbox.pusher(kind)
            assert await pusher.drain(wait), f"{kind} never drained"
            if isinstance(pusher, AiCorePush):
                pushed.acknowledged = pusher.stats.messages_acknowledged
            else:
                assert isinstance(pusher, WebhookPush)
                pushed.acknowledged = pusher.stats.delivered
                pushed.lost = pusher.stats.given_up
        return self.pushed

    async def count_stored(self) -> None:
        """How many of each kind's messages the inbox holds (a repeat as often as it came)."""
        notifications = self.desk.notifications
        assert notifications is not None
        for pushed in self.pushed.values():
            store = notifications.store
            ids = await store.ids(InboxQuery(connection_id=pushed.connection_id))
            pushed.stored = sum(1 + m.repeat_count for m in await store.get(ids))
