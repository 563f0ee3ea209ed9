"""Steps the record-editing UI tests take: a window on the sandbox with the change log open,
edits typed into cells, and the dialogs that answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from crmdesk.editing import ChangeLog
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.editing.grid import GridEditing
from crmdesk.ui.editing.review import ReviewDialog
from crmdesk.ui.editing.values_dialog import ValuesDialog

WAIT_MS = 10_000


def open_changelog(qtbot, desk, path: Path) -> ChangeLog:
    done = asyncio.ensure_future(ChangeLog.open(path))
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    desk.changelog = done.result()
    return desk.changelog


def grid(browser: EntityBrowser) -> GridEditing:
    found = browser.findChild(GridEditing, "gridEditing")
    assert found is not None
    return found


def type_into(browser: EntityBrowser, row: int, field: str, raw) -> None:
    """What typing into a cell and pressing Enter hands the model."""
    model = browser.model
    index = model.index(row, model.column_of(field))
    assert index.flags() & index.flags().ItemIsEditable, f"{field} is not editable"
    assert model.setData(index, raw)


def review_of(qtbot, window) -> ReviewDialog:
    window.editing.review_current()
    dialog = next(iter(window.editing.reviews.values()))
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=WAIT_MS)
    return dialog


def save_and_wait(qtbot, dialog: ReviewDialog) -> None:
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=WAIT_MS)


def top_box(name: str) -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.objectName() == name and widget.isVisible():
            return widget
    return None


def click_in_box(qtbot, box_name: str, button: str) -> None:
    qtbot.waitUntil(lambda: top_box(box_name) is not None, timeout=WAIT_MS)
    box = top_box(box_name)
    assert box is not None
    found = box.findChild(QWidget, button)
    assert found is not None, f"{box_name} has no {button}"
    found.click()


def values_dialog() -> ValuesDialog | None:
    """The action's inputs dialog, once it is up."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, ValuesDialog) and widget.isVisible():
            return widget
    return None


def menu_entry(menu: QMenu, starts: str) -> QAction | None:
    """The entry whose words (without & marks and the keys after a tab) start with `starts`."""
    for action in menu.actions():
        words = action.text().split("\t")[0].replace("&&", "\0").replace("&", "")
        if words.replace("\0", "&").startswith(starts):
            return action
    return None
