"""Steps the profile UI tests share: a window with saved connections, and filling the form."""

from __future__ import annotations

import asyncio
from typing import Any

import shiboken6
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from crmdesk.desk import Desk
from crmdesk.profiles import SecretStore
from crmdesk.ui.context import UiContext
from crmdesk.ui.main_window import MainWindow
from crmdesk.ui.profiles.form import ProfileForm, _set_option
from crmdesk.ui.profiles.manager import ProfileManager

WAIT_MS = 15_000


def make_context(backend: Any = None) -> UiContext:
    """What crmdesk.ui.application builds, with a chosen keyring backend."""
    return UiContext.for_desk(Desk.create(secrets=SecretStore(backend)))


def load(qtbot, context: UiContext) -> None:
    assert context.book is not None
    done = asyncio.ensure_future(context.book.load())
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    done.result()


def shut_down(qtbot, window: MainWindow, context: UiContext) -> None:
    # pytest-qt closes and deleteLater()s every window it was given before fixtures end; a
    # nested wait (another window's shutdown) may already have deleted this one.
    if shiboken6.isValid(window) and window.isVisible():
        window.close()
    done = asyncio.ensure_future(context.shutdown())
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    done.result()


def fill(
    form: ProfileForm,
    *,
    name: str,
    kind: str,
    base_url: str = "",
    credentials: dict[str, str] | None = None,
    options: dict[str, Any] | None = None,
    production: bool = False,
    read_only: bool = False,
) -> None:
    """Type into the form as a user would (each change marks the form edited)."""
    form.kind.setCurrentIndex(form.kind.findData(kind))
    form.name.setText(name)
    form.name.textEdited.emit(name)
    form.base_url.setText(base_url)
    form.base_url.textEdited.emit(base_url)
    for field_name, value in (credentials or {}).items():
        form.secret_fields[field_name].setText(value)
        form.secret_fields[field_name].textEdited.emit(value)
    for option_name, value in (options or {}).items():
        _set_option(form.option_fields[option_name][1], value)
    form.production.setChecked(production)
    form.read_only.setChecked(read_only)


def save(qtbot, manager: ProfileManager) -> None:
    assert manager.save_button.isEnabled()
    manager.save_button.click()
    qtbot.waitUntil(lambda: not manager.dirty, timeout=WAIT_MS)


def run_test(qtbot, manager: ProfileManager) -> str:
    manager.test_button.click()
    qtbot.waitUntil(lambda: manager.test_result.text()[:1] in ("✔", "✘"), timeout=WAIT_MS)
    return manager.test_result.text()


def confirmation() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if (
            isinstance(widget, QMessageBox)
            and widget.objectName() == "confirmation"
            and (widget.isVisible())
        ):
            return widget
    return None


def answer(qtbot, yes: bool) -> None:
    qtbot.waitUntil(lambda: confirmation() is not None, timeout=WAIT_MS)
    box = confirmation()
    assert box is not None
    if yes:
        button: QWidget | None = box.findChild(QWidget, "confirm")
        assert button is not None
        button.click()  # type: ignore[attr-defined]
    else:
        box.button(QMessageBox.StandardButton.Cancel).click()
