"""The application icon, drawn as SVG in resources/ (a frozen build bundles that folder)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

from crmdesk import paths

ICON_FILE = "crmdesk.svg"


def app_icon() -> QIcon:
    """The crmdesk icon; a null QIcon if the file is missing (the window still works)."""
    path = paths.resources_dir() / ICON_FILE
    return QIcon(str(path)) if path.is_file() else QIcon()
