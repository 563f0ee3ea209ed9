"""The Desk: crmdesk's Qt-free core (see `crmdesk.desk.core`), and what it runs and tells."""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.desk.core import Desk, Places
    from crmdesk.desk.history import History
    from crmdesk.desk.notifications import Notifications, route_for
    from crmdesk.desk.work import Broadcast, Closer, RecordsChanged, Stage, Work

__all__ = [
    "Broadcast",
    "Closer",
    "Desk",
    "History",
    "Notifications",
    "Places",
    "RecordsChanged",
    "Stage",
    "Work",
    "route_for",
]

__getattr__ = lazy_face(
    __name__,
    {
        ".core": ("Desk", "Places"),
        ".history": ("History",),
        ".notifications": ("Notifications", "route_for"),
        ".work": ("Broadcast", "Closer", "RecordsChanged", "Stage", "Work"),
    },
)
