"""The application icon, drawn as SVG in resources/ (a frozen build copies it next to the app)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_FILE = "crmdesk.svg"


def _resource_dirs() -> list[Path]:
    dirs = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "resources")
    dirs.append(Path(__file__).resolve().parents[2] / "resources")
    return dirs


def app_icon() -> QIcon:
    """The crmdesk icon; a null QIcon if the file is missing (the window still works)."""
    for folder in _resource_dirs():
        path = folder / ICON_FILE
        if path.is_file():
            return QIcon(str(path))
    return QIcon()
