"""Questions that a coroutine can await without a nested event loop.

`QDialog.exec()` and the static QMessageBox functions spin a nested loop inside the running
task, which loses other tasks' wake-ups (STACK-NOTES B1.6). These open the dialog with
`open()` and hand back a future that its `finished` signal resolves.
"""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget


def answer_of(dialog: QDialog) -> asyncio.Future[int]:
    """Open `dialog` (window-modal, not blocking) and resolve with its result code."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.open()
    return future


def question(parent: QWidget, title: str, text: str, yes: str, *, detail: str = "") -> QMessageBox:
    """A Yes/Cancel box whose safe answer (Cancel) is the default, for `confirm`."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent
    )
    box.setObjectName("confirmation")
    box.setInformativeText(detail)
    go = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    go.setObjectName("confirm")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box


async def confirm(parent: QWidget, title: str, text: str, yes: str, *, detail: str = "") -> bool:
    box = question(parent, title, text, yes, detail=detail)
    try:
        await answer_of(box)
        clicked = box.clickedButton()
        return clicked is not None and clicked.objectName() == "confirm"
    finally:
        box.deleteLater()
