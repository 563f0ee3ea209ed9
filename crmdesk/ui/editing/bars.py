"""The browser's editing bars: record buttons above the table (New, Open record, Actions,
Delete), and below it, while there are unsaved changes, a strip that counts them and offers
Revert all and Review & save."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from crmdesk.ui.browser.listing import plural
from crmdesk.ui.editing.action_flow import ActionFlow, ActionTarget
from crmdesk.ui.editing.actions_menu import ActionsButton
from crmdesk.ui.editing.naming import singular
from crmdesk.ui.elided import ElidedLabel

_STRIP_STYLE = """
PendingStrip { background: #fff3c4; border: 1px solid #e0c060; border-radius: 3px; }
"""


class RecordBar(QWidget):
    """Buttons for the selected record and a new one; or, on a read-only connection, why
    there are none."""

    def __init__(
        self,
        entity_label: str,
        flow: ActionFlow,
        target: Callable[[], ActionTarget | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        noun = singular(entity_label).lower()
        self.new_button = QPushButton(f"New {noun}…", self)
        self.new_button.setObjectName("newRecord")
        self.new_button.setToolTip(f"Open an empty form for a new {noun} (Ctrl+N)")
        self.open_button = QPushButton("Open record", self)
        self.open_button.setObjectName("openRecord")
        self.open_button.setToolTip("Every field of the selected record, in a tab (Enter)")
        self.actions_button = ActionsButton(flow, target, self)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("deleteRecord")
        self.delete_button.setToolTip(f"Delete the selected {noun}; asks first")
        self.note = QLabel(self)
        self.note.setObjectName("editingNote")
        self.note.setStyleSheet("color: #6b6b6b;")
        self.note.hide()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 4)
        for widget in (self.new_button, self.open_button, self.actions_button, self.delete_button):
            row.addWidget(widget)
        row.addWidget(self.note)
        row.addStretch(1)

    def set_allowed(self, *, create: bool, delete: bool, actions: bool, why_not: str) -> None:
        """Show what this connection and entity allow; say why the rest is missing."""
        self.new_button.setVisible(create)
        self.delete_button.setVisible(delete)
        self.actions_button.setVisible(actions)
        self.note.setText(why_not)
        self.note.setVisible(bool(why_not))


class PendingStrip(QFrame):
    """ "3 unsaved changes in 2 leads · Revert all · Review & save (3)…"; hidden when none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PendingStrip")
        self.setStyleSheet(_STRIP_STYLE)
        # Elided: a long server message must not widen the window; the whole is on hover.
        self.text = ElidedLabel(self)
        self.text.setObjectName("pendingText")
        self.revert_button = QPushButton("Revert all", self)
        self.revert_button.setObjectName("revertAll")
        self.revert_button.setToolTip("Forget every unsaved change of this list")
        self.save_button = QPushButton("Review && save…", self)
        self.save_button.setObjectName("reviewAndSave")
        self.save_button.setToolTip("See exactly what will be sent, then send it (Ctrl+S)")
        font = self.save_button.font()
        font.setBold(True)
        self.save_button.setFont(font)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 4, 3)
        row.addWidget(self.text, 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        self.hide()

    def show_count(
        self, changes: int, records: int, noun: str, refused: int, failed: tuple[str, ...] = ()
    ) -> None:
        """Count the list's unsaved changes; `failed` holds, per record the last save did not
        save, why not (so the person sees it without hovering over every cell)."""
        if changes == 0 and refused == 0:
            self.hide()
            return
        words = f"{plural(changes, 'unsaved change')} in {plural(records, noun)}"
        if refused:
            words += f" · {plural(refused, 'value')} not taken (marked ⚠): fix or revert"
        if len(failed) == 1:
            words += f" · the last save did not save 1 {noun}: {failed[0]}"
        elif failed:
            words += (
                f" · the last save did not save {plural(len(failed), noun)} (the large red "
                "corners; hover for why)"
            )
        self.text.setText(words)
        self.save_button.setText(f"Review && save ({changes:,})…")
        self.save_button.setEnabled(changes > 0)
        self.show()
