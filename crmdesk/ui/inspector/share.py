"""Handing calls on and bringing them in: copy as curl, HTTPie, PowerShell or text; HAR files
saved and opened (file dialogs opened with `open()`, STACK-NOTES B1.6); a pasted curl command.

Everything written out comes from `crmdesk.history`'s sharing functions, which work on the
exchanges as recorded: secrets are `[REDACTED]` and there is no way to ask for them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange, full_text
from crmdesk.history import (
    ImportedEntry,
    as_curl,
    as_har,
    as_httpie,
    as_powershell,
    parse_curl,
    read_har,
)

_HAR_FILTER = "HAR files (*.har *.json);;All files (*)"


class Format(Enum):
    """What "Copy as" offers, with its menu words."""

    CURL = "Copy as curl"
    HTTPIE = "Copy as HTTPie"
    POWERSHELL = "Copy as PowerShell"
    TEXT = "Copy request and reply as text"
    URL = "Copy URL"

    @property
    def label(self) -> str:
        return self.value


def text_for(fmt: Format, exchange: Exchange) -> str:
    if fmt is Format.CURL:
        return as_curl(exchange)
    if fmt is Format.HTTPIE:
        return as_httpie(exchange)
    if fmt is Format.POWERSHELL:
        return as_powershell(exchange)
    if fmt is Format.TEXT:
        return full_text(exchange)
    return exchange.url


def texts_for(fmt: Format, exchanges: Sequence[Exchange]) -> str:
    """Several calls one after another, oldest first, as a ticket would list them."""
    ordered = sorted(exchanges, key=lambda e: (e.started_at, e.id))
    joiner = "\n" if fmt is Format.URL else "\n\n"
    return joiner.join(text_for(fmt, exchange) for exchange in ordered)


def har_text(exchanges: Sequence[Exchange]) -> str:
    return json.dumps(as_har(exchanges), indent=2, ensure_ascii=False) + "\n"


async def write_har(path: Path, exchanges: Sequence[Exchange]) -> int:
    """Save `exchanges` as a HAR file at `path` (off the GUI thread); how many were written."""
    text = await asyncio.to_thread(har_text, exchanges)
    await asyncio.to_thread(path.write_text, text, "utf-8")
    return len(exchanges)


async def open_har(path: Path) -> list[ImportedEntry]:
    """The entries of a HAR file, secrets removed; ValueError (in words) when it is none."""
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise ValueError(f"{path.name} could not be read: {exc.strerror or exc}.") from None
    return await asyncio.to_thread(read_har, data)


def save_dialog(parent: QWidget, count: int, chosen: Callable[[Path], None]) -> QFileDialog:
    """Ask where to save a HAR file of `count` calls; `chosen` hears the path."""
    name = "crmdesk-call.har" if count == 1 else f"crmdesk-{count}-calls.har"
    dialog = QFileDialog(parent, "Export as HAR (secrets redacted)", name, _HAR_FILTER)
    dialog.setObjectName("exportHarDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setDefaultSuffix("har")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    dialog.open()
    return dialog


def open_dialog(parent: QWidget, chosen: Callable[[Path], None]) -> QFileDialog:
    """Ask for a HAR file to import (from a browser's developer tools, Insomnia, crmdesk)."""
    dialog = QFileDialog(parent, "Import a HAR file", "", _HAR_FILTER)
    dialog.setObjectName("importHarDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda name: chosen(Path(name)))
    dialog.open()
    return dialog


class CurlDialog(QDialog):
    """Paste a curl command (a browser's "Copy as cURL", a colleague's) to look at it and send
    it again; what cannot be read is said in the dialog, which stays open to fix it."""

    imported = Signal(object)  # ImportedEntry

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("curlDialog")
        self.setWindowTitle("Import a curl command")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        intro = QLabel(
            "Paste a curl command. Secrets in it (API keys, tokens, passwords) are replaced "
            "by [REDACTED] before it is shown; a replay signs it with the connection's own.",
            self,
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("curlText")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText("curl 'https://…' -H 'Accept: application/json'")
        self.problem = QLabel(self)
        self.problem.setObjectName("curlProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("importCurl")
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.text, 1)
        column.addWidget(self.problem)
        column.addWidget(buttons)
        self.resize(640, 320)

    def take(self) -> None:
        try:
            request = parse_curl(self.text.toPlainText())
        except ValueError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.imported.emit(ImportedEntry.from_request(request, "a curl command"))
        self.accept()
