"""ProfileSignals: the profile book's changes as Qt signals, for the widgets that show them.

The book itself (`crmdesk.profiles.ProfileBook`) is Qt-free and owned by the Desk; this thin
adapter is the only Qt part of it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from crmdesk.profiles import BookChange, BookEvent, ProfileBook


class ProfileSignals(QObject):
    """Signals carry profile ids; `problems` carries sentences to show."""

    added = Signal(str)
    edited = Signal(str)
    removed = Signal(str)
    keyringChanged = Signal()
    problems = Signal(list)

    def __init__(self, book: ProfileBook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self._unsubscribe = book.subscribe(self._relay)
        self.destroyed.connect(lambda: self._unsubscribe())

    def _relay(self, event: BookEvent) -> None:
        if event.change is BookChange.ADDED:
            self.added.emit(event.profile_id)
        elif event.change is BookChange.EDITED:
            self.edited.emit(event.profile_id)
        elif event.change is BookChange.REMOVED:
            self.removed.emit(event.profile_id)
        elif event.change is BookChange.KEYRING:
            self.keyringChanged.emit()
        else:
            self.problems.emit(list(event.problems))
