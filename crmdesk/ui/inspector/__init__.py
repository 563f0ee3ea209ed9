"""The inspector: every call crmdesk makes, live and from the stored history, seen exactly,
handed on as curl or HAR, sent again changed, and compared. `InspectorDock` is the dock;
`show_in_inspector` is how any part of the window opens a call there."""

from crmdesk.ui.inspector.dock import InspectorDock
from crmdesk.ui.inspector.links import show_in_inspector

__all__ = ["InspectorDock", "show_in_inspector"]
