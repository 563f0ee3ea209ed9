"""The Desk: crmdesk's Qt-free core (see `crmdesk.desk.core`), and what it runs and tells."""

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
