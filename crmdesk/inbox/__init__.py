"""The notification inbox: the listener that takes pushes from the connections' servers
(aicore push, GetResponse webhooks), the durable store they go to, and their settings.

Qt-free; the Desk wires profiles, secrets and backends to it. `NotificationListener` loads
aiohttp only when first used, so a settings form can import the rest cheaply.
"""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.inbox.confirm import confirmer
    from crmdesk.inbox.listener import NotificationListener
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


# NotificationListener among them: aiohttp.web costs about 0.2 s to import, so only code that
# listens pays for it.
__getattr__ = lazy_face(
    __name__,
    {
        ".confirm": ("confirmer",),
        ".listener": ("NotificationListener",),
        ".model": ("InboxChange", "InboxQuery", "Retention", "StoredMessage"),
        ".protocol": ("AnswerMode", "RecordLink", "md5_answer"),
        ".routes": (
            "ListenerEvent",
            "Route",
            "RouteStatus",
            "new_token",
            "route_path",
            "token_hint",
        ),
        ".settings": ("ListenerSettings", "load_settings", "save_settings"),
        ".store": ("ConnectionCount", "InboxStore", "StoreError"),
        ".writer": ("AddResult",),
    },
)
