"""The question before a tab or the window closes with unsaved changes: Save…, Discard or
Cancel, asked with `open()` and awaited (never a nested event loop)."""

from __future__ import annotations

import contextlib
from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

from crmdesk.ui.profiles.ask import answer_of

Answer = Literal["save", "discard", "cancel"]


def unsaved_question(parent: QWidget, what: str, *, quitting: bool = False) -> QMessageBox:
    """The box itself (tests answer it by its buttons' object names)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes", "", parent=parent)
    box.setObjectName("unsavedQuestion")
    closing = "quit crmdesk" if quitting else "close this tab"
    box.setText(f"<b>{what}</b> are not saved yet.")
    box.setInformativeText(
        f"Review and save them before you {closing}, or discard them? Discarded changes are "
        "gone; nothing was sent."
    )
    save = box.addButton("Save…", QMessageBox.ButtonRole.AcceptRole)
    save.setObjectName("save")
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    discard.setObjectName("discard")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName("cancel")
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    return box


async def ask_unsaved(parent: QWidget, what: str, *, quitting: bool = False) -> Answer:
    """ "3 unsaved changes in Leads of Acme": what the person wants done with them."""
    box = unsaved_question(parent, what, quitting=quitting)
    try:
        await answer_of(box)
        clicked = box.clickedButton()
        name = clicked.objectName() if clicked is not None else "cancel"
        return "save" if name == "save" else "discard" if name == "discard" else "cancel"
    finally:
        # The box is gone already when its window went first.
        with contextlib.suppress(RuntimeError):
            box.deleteLater()
