"""The Help menu's windows: every keyboard shortcut (from the actions' registry and the grid's
own keys), and About."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crmdesk import __version__
from crmdesk.ui.actions import GRID_KEYS, action_specs


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what they do) for every window action with keys, then the grid's own keys."""
    native = QKeySequence.SequenceFormat.NativeText
    rows = []
    for _name, spec in action_specs():
        if not spec.shortcuts:
            continue
        keys = " or ".join(QKeySequence(text).toString(native) for text in spec.shortcuts)
        rows.append((keys, spec.text.replace("&", "").removesuffix("…")))
    rows += list(GRID_KEYS)
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "What they do"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, (keys, words) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(words))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(self.table)
        column.addWidget(buttons)
        self.resize(560, 520)


def about_box(parent: QWidget) -> QMessageBox:
    """About crmdesk, as a box to `open()` (never a static QMessageBox: a nested loop)."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About crmdesk")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<b>crmdesk {__version__}</b>")
    box.setInformativeText(
        "A desktop console for CRM web APIs: browse, find, edit and export records, and see "
        "exactly what went over the wire.<br><br>"
        "Everything stays on this computer: secrets in the system keyring, no account, no "
        "telemetry.<br><br>"
        f"Qt {qVersion()} · PySide6 {pyside_version} · Python {platform.python_version()}"
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box
