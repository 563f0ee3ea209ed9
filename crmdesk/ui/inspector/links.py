"""show_in_inspector: how an error's "Details…" anywhere in the window opens its call.

The browser's banner, the Connections dialog's test, a save's results and an action's result
window all sit inside the main window (as children, or as dialogs parented to it); the
inspector is found from there, so each of them needs nothing passed in to reach it.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QWidget

from crmdesk.api import Exchange
from crmdesk.ui.inspector.dock import InspectorDock

log = logging.getLogger(__name__)


def inspector_of(widget: QWidget) -> InspectorDock | None:
    """The inspector of the window `widget` is in (through dialog parents), if there is one."""
    top = widget
    while (holder := top.parentWidget()) is not None:
        top = holder
    if isinstance(top, InspectorDock):
        return top
    return top.findChild(InspectorDock)


def show_in_inspector(widget: QWidget, exchange: Exchange) -> bool:
    """Open `exchange` in the inspector of `widget`'s window; False when it has none."""
    inspector = inspector_of(widget)
    if inspector is None:
        log.warning("no inspector to show %s %s in", exchange.method, exchange.url)
        return False
    inspector.show_exchange(exchange)
    return True
