"""Where crmdesk keeps its files (platform directories, or one folder under CRMDESK_HOME), and
the one way it writes a settings file so that a crash never leaves half of one."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
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


def write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of one, even across a crash:
    write a temporary file beside it, flush it to disk, then rename it over the old one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    # The rename itself is durable only once the directory is synced (POSIX; not on Windows).
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
