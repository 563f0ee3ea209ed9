"""The notification inbox: the listener that takes pushes from the connections' servers
(aicore push, GetResponse webhooks), the durable store they go to, and their settings.

Qt-free; the Desk wires profiles, secrets and backends to it. `NotificationListener` loads
aiohttp only when first used, so a settings form can import the rest cheaply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crmdesk.inbox.confirm import confirmer
from crmdesk.inbox.model import InboxChange, InboxQuery, Retention, StoredMessage
from crmdesk.inbox.protocol import AnswerMode, RecordLink, md5_answer
from crmdesk.inbox.routes import (
    ListenerEvent,
    Route,
    RouteStatus,
    new_token,
    route_path,
    token_hint,
)
from crmdesk.inbox.settings import ListenerSettings, load_settings, save_settings
from crmdesk.inbox.store import ConnectionCount, InboxStore, StoreError
from crmdesk.inbox.writer import AddResult

if TYPE_CHECKING:
    from crmdesk.inbox.listener import NotificationListener

__all__ = [
    "AddResult",
    "AnswerMode",
    "ConnectionCount",
    "InboxChange",
    "InboxQuery",
    "InboxStore",
    "ListenerEvent",
    "ListenerSettings",
    "NotificationListener",
    "RecordLink",
    "Retention",
    "Route",
    "RouteStatus",
    "StoreError",
    "StoredMessage",
    "confirmer",
    "load_settings",
    "md5_answer",
    "new_token",
    "route_path",
    "save_settings",
    "token_hint",
]


def __getattr__(name: str) -> Any:
    # aiohttp.web costs about 0.2 s to import: only code that listens pays for it.
    if name == "NotificationListener":
        from crmdesk.inbox.listener import NotificationListener

        return NotificationListener
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
