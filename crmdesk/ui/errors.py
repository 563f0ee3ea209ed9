"""ErrorReporter: every unexpected error is logged and shown, never swallowed, never modal.

It is `sys.excepthook` (so qasync's asyncSlot errors and TaskRunner's reports reach it) and the
loop's exception handler (for anything else asyncio catches). The window it shows is opened
with `show()`: a nested `exec()` inside a coroutine would hang other tasks (STACK-NOTES B1.6).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("crmdesk.errors")


def log_file() -> str | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.FileHandler):
            return handler.baseFilename
    return None


class ErrorReporter:
    """Logs, then shows one non-modal window that gathers the errors until it is closed."""

    def __init__(self) -> None:
        self.parent: QWidget | None = None
        self._box: QMessageBox | None = None
        self._count = 0
        self._details: list[str] = []
        self._previous_hook = sys.excepthook

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook

    def excepthook(
        self,
        kind: type[BaseException],
        error: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, error, tb)
            return
        log.error("Unexpected error", exc_info=(kind, error, tb))
        self.show(f"{kind.__name__}: {error}", "".join(traceback.format_exception(kind, error, tb)))

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """The loop's exception handler: errors asyncio caught outside any awaited code."""
        error = context.get("exception")
        message = str(context.get("message") or "Unhandled error in the event loop")
        if isinstance(error, BaseException):
            log.error("%s", message, exc_info=error)
            details = "".join(traceback.format_exception(error))
            self.show(f"{message}: {type(error).__name__}: {error}", details)
        else:
            log.error("%s (%r)", message, context)
            self.show(message, repr(context))

    def show(self, summary: str, details: str) -> None:
        if QApplication.instance() is None:
            return
        self._count += 1
        self._details.append(details)
        if self._box is None:
            self._box = self._new_box()
        where = log_file()
        self._box.setText(
            "crmdesk hit an unexpected error (a bug in crmdesk). "
            "You can keep working; the details below help to fix it."
            if self._count == 1
            else f"crmdesk hit {self._count} unexpected errors. Please report them."
        )
        informative = summary + (f"\n\nThe log file has the details: {where}" if where else "")
        self._box.setInformativeText(informative)
        self._box.setDetailedText("\n\n".join(self._details[-20:]))
        self._box.show()

    def _new_box(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "crmdesk — unexpected error",
            "",
            QMessageBox.StandardButton.Close,
            self.parent,
        )
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(self._closed)
        return box

    def _closed(self) -> None:
        self._box = None
        self._count = 0
        self._details.clear()
