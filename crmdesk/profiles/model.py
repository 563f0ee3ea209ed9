"""Profile: one saved connection, everything but its secrets, and how it reads and writes JSON."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Self

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


class NotificationAuth(StrEnum):
    """How the app answers the aicore server's `authenticate` push (DESIGN 'Notifications')."""

    KEY = "key"  # MD5 of login id + password + the server's key: the password never travels
    PASSIVE = "passive"  # OK now, then the authenticate_notifications command
    PLAIN = "plain"  # the plain password in the reply: only when the user chooses it


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """Where the notification listener of an aicore connection listens. Stored only for now."""

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = 8765
    auth: NotificationAuth = NotificationAuth.KEY

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "host": self.host, "port": self.port, "auth": self.auth}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, Mapping):
            raise ValueError("notification settings must be an object")
        port = data.get("port", 8765)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise ValueError(f"notification port {port!r} is not a port number")
        host = data.get("host", "127.0.0.1")
        if not isinstance(host, str) or not host.strip():
            raise ValueError("notification host must be a name or address")
        return cls(
            enabled=bool(data.get("enabled", False)),
            host=host.strip(),
            port=port,
            auth=NotificationAuth(data.get("auth", "key")),
        )


# Kinds whose server pushes notifications to the app.
NOTIFYING_KINDS = frozenset({"aicore"})


@dataclass(frozen=True, slots=True)
class Profile:
    """A connection as the user set it up. Secrets live in the keyring, keyed by `id`.

    `production` makes the connection visibly different and asks before every write;
    `read_only` stops writes before they reach the network.
    """

    name: str
    kind: str
    base_url: str
    options: Mapping[str, Any] = field(default_factory=dict)
    production: bool = False
    read_only: bool = False
    color: str = ""
    notifications: NotificationSettings | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        if self.notifications is None and self.kind in NOTIFYING_KINDS:
            object.__setattr__(self, "notifications", NotificationSettings())

    def copy_as_new(self, name: str) -> Profile:
        """The same setup under a new id (and so with no secrets of its own yet)."""
        return replace(self, name=name, id=uuid.uuid4().hex)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "base_url": self.base_url,
            "options": {name: _jsonable(value) for name, value in self.options.items()},
            "production": self.production,
            "read_only": self.read_only,
            "color": self.color,
        }
        if self.notifications is not None:
            data["notifications"] = self.notifications.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any, *, known_kinds: tuple[str, ...]) -> Profile:
        """Read one stored profile; ValueError says in words what is wrong with it."""
        if not isinstance(data, Mapping):
            raise ValueError("it is not an object")
        name = _text(data, "name", required=True)
        kind = _text(data, "kind", required=True)
        if kind not in known_kinds:
            raise ValueError(f"crmdesk does not speak the kind of API {kind!r}")
        options = data.get("options", {})
        if not isinstance(options, Mapping):
            raise ValueError("options must be an object")
        color = _text(data, "color")
        if color and not _COLOR.match(color):
            raise ValueError(f"colour {color!r} is not #rrggbb")
        notifications = data.get("notifications")
        profile_id = _text(data, "id") or uuid.uuid4().hex
        return cls(
            name=name,
            kind=kind,
            base_url=_text(data, "base_url"),
            options=dict(options),
            production=_flag(data, "production"),
            read_only=_flag(data, "read_only"),
            color=color,
            notifications=(
                NotificationSettings.from_json(notifications) if notifications is not None else None
            ),
            id=profile_id,
        )


def _text(data: Mapping[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text")
    if required and not value.strip():
        raise ValueError(f"it has no {key}")
    return value.strip()


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false")
    return value


def _jsonable(value: Any) -> Any:
    # Options such as custom_entities default to tuples; JSON has lists.
    return list(value) if isinstance(value, tuple) else value
