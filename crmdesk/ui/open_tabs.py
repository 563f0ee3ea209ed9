"""The tabs open when the window last closed, opened again when it opens: each one once its
connection (saved or demo) has connected, the one in front last time in front again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.settings import UiSettings

if TYPE_CHECKING:
    from crmdesk.ui.main_window import MainWindow


def restore_tabs(window: MainWindow, settings: UiSettings) -> int:
    """Ask for every remembered tab of a connection the window has; how many were asked for."""
    wanted = [(pid, name) for pid, name in settings.open_tabs() if pid in window.sessions]
    front = settings.current_tab()
    for profile_id, entity in wanted:
        session = window.sessions[profile_id]
        _open_when_connected(window, session, entity, front=(profile_id, entity) == front)
    return len(wanted)


def _open_when_connected(
    window: MainWindow, session: ConnectionSession, entity: str, *, front: bool
) -> None:
    def open_it() -> bool:
        if session.state is ConnectionState.CONNECTING:
            return False
        info = session.entity(entity)
        if session.state is ConnectionState.CONNECTED and info is not None:
            current = window.tabs.current()
            window.open_entity(session, info)
            if not front and current is not None:
                window.tabs.tabs.setCurrentWidget(current)
        return True

    if session.state is ConnectionState.CONNECTED:
        open_it()
        return

    def changed() -> None:
        if open_it():
            session.changed.disconnect(changed)

    session.changed.connect(changed)
    session.open()
