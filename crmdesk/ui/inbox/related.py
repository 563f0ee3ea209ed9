"""RelatedRecords: "Open related record" of a notification: the record it names, opened on its
connection in the record form of the editing UI (connecting first when needed); and the
calls that touched it, in the inspector."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from PySide6.QtCore import QObject

from crmdesk.inbox import RecordLink, StoredMessage
from crmdesk.ui.session import ConnectionSession, ConnectionState


class RecordOpener(Protocol):
    """What opens a record form (crmdesk.ui.editing.RecordEditing)."""

    def open_record(self, session: ConnectionSession, entity_name: str, record_id: str) -> None: ...


class RelatedRecords(QObject):
    """Opens the record a message names; says in words when it cannot."""

    def __init__(
        self,
        sessions: Mapping[str, ConnectionSession],
        opener: RecordOpener,
        say: Callable[[str], None],
        parent: QObject | None = None,
        *,
        follow: Callable[[str, str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._opener = opener
        self._say = say
        # The inspector's follow_record(connection_id, record_id), where there is one.
        self._follow = follow

    @property
    def can_show_calls(self) -> bool:
        return self._follow is not None

    def show_calls(self, message: StoredMessage) -> None:
        """The calls of the message's connection that touched its record, in the inspector."""
        if self._follow is not None and message.link is not None:
            self._follow(message.connection_id, message.link.record_id)

    def can_open(self, message: StoredMessage) -> str:
        """ "" when `open(message)` can open its record, else why not, in words."""
        if message.link is None:
            return "This message names no record."
        if message.connection_id not in self._sessions:
            return (
                f"The connection {message.connection_name} is not in this window any more, "
                "so its records cannot be opened."
            )
        return ""

    def open(self, message: StoredMessage) -> None:
        why_not = self.can_open(message)
        session = self._sessions.get(message.connection_id)
        if why_not or session is None or message.link is None:
            self._say(why_not)
            return
        link = message.link
        if session.state is ConnectionState.CONNECTED:
            self._open_on(session, link)
            return

        def changed() -> None:
            if session.state is ConnectionState.CONNECTING:
                return
            session.changed.disconnect(changed)
            if session.state is ConnectionState.CONNECTED:
                self._open_on(session, link)
            else:
                self._say(f"{session.name} could not connect: {session.detail}")

        session.changed.connect(changed)
        self._say(f"Connecting to {session.name} to open {link.entity} {link.record_id}…")
        session.open()

    def _open_on(self, session: ConnectionSession, link: RecordLink) -> None:
        if session.entity(link.entity) is None:
            self._say(f"{session.name} has no entity {link.entity!r} to open {link.record_id} in.")
            return
        self._opener.open_record(session, link.entity, link.record_id)
        self._say(f"Opened {link.entity} {link.record_id} of {session.name}.")
