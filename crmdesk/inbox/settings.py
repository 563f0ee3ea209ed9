"""The listener's settings, one set for the whole app: where it listens, whether a message
raises a desktop notification, and how long the inbox keeps messages.

A small JSON file in the config directory (`listener.json`), written atomically. Per
connection settings (enabled, answer mode, token) stay in the connection's profile.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

from crmdesk import paths
from crmdesk.inbox.model import Retention

log = logging.getLogger(__name__)

FILE_NAME = "listener.json"
DEFAULT_PORT = 8765


@dataclass(frozen=True, slots=True)
class ListenerSettings:
    """`retention_days` / `retention_count` of None keep messages without that limit."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    public_base_url: str = ""
    desktop_notifications: bool = True
    retention_days: float | None = 90.0
    retention_count: int | None = 100_000

    def __post_init__(self) -> None:
        if not self.host.strip():
            raise ValueError("the listener's host must be a name or address")
        if isinstance(self.port, bool) or not 0 <= self.port <= 65535:
            raise ValueError(f"the listener's port {self.port!r} is not a port number")
        self.retention()  # the same checks as the store's

    def retention(self) -> Retention:
        return Retention(self.retention_days, self.retention_count)

    def to_json(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "public_base_url": self.public_base_url,
            "desktop_notifications": self.desktop_notifications,
            "retention_days": self.retention_days,
            "retention_count": self.retention_count,
        }

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, Mapping):
            raise ValueError("the listener settings are not an object")
        defaults = cls()
        host = data.get("host", defaults.host)
        port = data.get("port", defaults.port)
        base = data.get("public_base_url", "")
        days = data.get("retention_days", defaults.retention_days)
        count = data.get("retention_count", defaults.retention_count)
        if not isinstance(host, str) or not isinstance(base, str):
            raise ValueError("host and public_base_url must be text")
        if not isinstance(port, int) or isinstance(port, bool):
            raise ValueError(f"port {port!r} is not a port number")
        if days is not None and (not isinstance(days, int | float) or isinstance(days, bool)):
            raise ValueError("retention_days must be a number of days or null")
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise ValueError("retention_count must be a whole number or null")
        return cls(
            host=host.strip(),
            port=port,
            public_base_url=base.strip(),
            desktop_notifications=bool(data.get("desktop_notifications", True)),
            retention_days=None if days is None else float(days),
            retention_count=count,
        )


def default_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load_settings(
    path: Path | None = None, *, moved_listener: Mapping[str, Any] | None = None
) -> ListenerSettings:
    """The saved settings, or the defaults. `moved_listener` is the address that older
    profiles files kept per connection (`LoadedProfiles.moved_listener`): when no settings
    were saved yet, it becomes the listener's, and is saved at once.

    A file that cannot be read as settings is set aside (never overwritten) and the
    defaults are used; the reason is logged.
    """
    path = path or default_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _adopt(path, moved_listener)
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("the listener settings %s could not be read (%s); using defaults", path, exc)
        return ListenerSettings()
    try:
        return ListenerSettings.from_json(json.loads(raw))
    except ValueError as exc:
        kept = path.with_name(path.name + ".damaged")
        with contextlib.suppress(OSError):
            os.replace(path, kept)
        log.warning("the listener settings were damaged (%s), set aside as %s", exc, kept.name)
        return ListenerSettings()


def _adopt(path: Path, moved: Mapping[str, Any] | None) -> ListenerSettings:
    if not moved:
        return ListenerSettings()
    try:
        settings = ListenerSettings.from_json(
            {"host": moved.get("host", "127.0.0.1"), "port": moved.get("port", DEFAULT_PORT)}
        )
    except ValueError as exc:
        log.warning("the listener address of the old profiles was not usable (%s)", exc)
        return ListenerSettings()
    try:
        save_settings(settings, path)
    except OSError as exc:
        log.warning("the listener settings could not be saved (%s)", exc)
    return settings


def save_settings(settings: ListenerSettings, path: Path | None = None) -> None:
    """Write atomically: readers see the old file or the new one, never half of one."""
    paths.write_atomically(path or default_path(), json.dumps(settings.to_json(), indent=2) + "\n")
