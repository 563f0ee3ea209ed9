"""Where crmdesk keeps its files: platform directories, or one folder under CRMDESK_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "crmdesk"


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


def ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
