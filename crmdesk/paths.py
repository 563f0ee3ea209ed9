"""Where crmdesk keeps its files: platform directories, or one folder under CRMDESK_HOME."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "crmdesk"

# The folder of files the UI loads: at the top of a checkout, and at the top of a frozen bundle
# (packaging/crmdesk.spec copies it under this same name).
RESOURCES = "resources"


def _home() -> Path | None:
    value = os.environ.get("CRMDESK_HOME", "").strip()
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Connection profiles and other settings."""
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, False))


def data_dir() -> Path:
    """Exchange history and the notification inbox."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, False))


def log_dir() -> Path:
    """Log files (a windowed build has no console to write to)."""
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, False))


def resources_dir() -> Path:
    """Icons and other files the UI loads, in a checkout or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)  # set by PyInstaller's bootloader
    if bundle:
        return Path(bundle) / RESOURCES
    return Path(__file__).resolve().parents[1] / RESOURCES


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
