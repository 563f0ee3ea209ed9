"""The notification inbox in the window (issue 12's UI): the live list of what the
connections' servers pushed, its details, the addresses to give those servers, the tray icon
and desktop notifications, the listener and retention settings, and the demo's bursts. The
logic behind it is `crmdesk.inbox`, run by the Desk (`crmdesk.desk.Notifications`)."""

from crmdesk.ui.inbox.dock import InboxDock

__all__ = ["InboxDock"]
