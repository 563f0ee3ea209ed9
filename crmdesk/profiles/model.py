"""Profile: one saved connection, everything but its secrets, and how it reads and writes JSON."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Self

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")


class NotificationAuth(StrEnum):
    """How the app answers the aicore server's `authenticate` push (DESIGN 'Notifications')."""

    KEY = "key"  # MD5 of login id + password + the server's key: the password never travels
    PASSIVE = "passive"  # OK now, then the authenticate_notifications command
    PLAIN = "plain"  # the plain password in the reply: only when the user chooses it


def new_token() -> str:
    """A random path token for a connection's notification address (a capability: whoever
    knows it can post to the inbox)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    """A connection's part of the notification listener: whether it listens, how it answers
    the aicore server's `authenticate`, and the random token of its URL path. Where the
    listener listens is one setting for the whole app (crmdesk.inbox.settings)."""

    enabled: bool = False
    auth: NotificationAuth = NotificationAuth.KEY
    token: str = field(default_factory=new_token)

    def to_json(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "auth": self.auth, "token": self.token}

    @classmethod
    def from_json(cls, data: Any) -> Self:
        if not isinstance(data, Mapping):
            raise ValueError("notification settings must be an object")
        token = data.get("token")
        if not isinstance(token, str) or not _TOKEN.match(token):
            # A token that cannot be a URL path never worked: the connection gets a new one.
            token = new_token()
        return cls(
            enabled=bool(data.get("enabled", False)),
            auth=NotificationAuth(data.get("auth", "key")),
            token=token,
        )

    def with_new_token(self) -> NotificationSettings:
        return replace(self, token=new_token())


def notifies(kind: str) -> bool:
    """Whether a kind's server pushes notifications to the app. Imports the kind's backend
    module: call it where the kind's details are needed anyway, not on every profile."""
    from crmdesk.api import kind_info

    try:
        return kind_info(kind).notifications is not None
    except ValueError:
        return False


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

    def copy_as_new(self, name: str) -> Profile:
        """The same setup under a new id (and so with no secrets of its own yet), and a new
        notification token: two connections never share an address."""
        notifications = self.notifications.with_new_token() if self.notifications else None
        return replace(self, name=name, id=uuid.uuid4().hex, notifications=notifications)

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
