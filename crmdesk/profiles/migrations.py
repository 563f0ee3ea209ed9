"""The profiles file's schema versions and the steps that bring an older file up to date.

napari's pattern: one number in the file, one small function per step, applied in order on
load. A step takes the whole document and returns the next version's document; it never
drops a profile, only reshapes it.

- 0: a bare JSON list of profiles (the hand-written files of early builds).
- 1: `{"schema": 1, "profiles": [...]}`.
- 2: aicore profiles carry `notifications` (listener address and answer mode); the file
  remembers the last used connection as `last_used`.
- 3: one listener for the whole app: `host` and `port` leave the profiles (the first
  enabled connection's address is kept once, as `moved_listener`, for the listener settings
  to adopt when they do not exist yet), and every connection whose server notifies (aicore,
  getresponse) has `notifications` with a random `token`, the path of its address.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

CURRENT = 3

Document = dict[str, Any]


class SchemaError(ValueError):
    """The document is not a profiles file of any version this build knows how to read."""


def _v0_to_v1(document: Any) -> Document:
    return {"schema": 1, "profiles": document}


def _v1_to_v2(document: Document) -> Document:
    profiles = []
    for entry in document.get("profiles", []):
        if isinstance(entry, dict) and entry.get("kind") == "aicore":
            entry = {"notifications": _DEFAULT_NOTIFICATIONS, **entry}
        profiles.append(entry)
    return {**document, "schema": 2, "profiles": profiles, "last_used": None}


_DEFAULT_NOTIFICATIONS = {"enabled": False, "host": "127.0.0.1", "port": 8765, "auth": "key"}
# The kinds whose servers notify as of schema 3 (a fact of that version, not the registry's).
_NOTIFYING_AT_V3 = ("aicore", "getresponse")


def _v2_to_v3(document: Document) -> Document:
    moved: dict[str, Any] | None = None
    profiles = []
    for entry in document.get("profiles", []):
        if isinstance(entry, dict) and entry.get("kind") in _NOTIFYING_AT_V3:
            old = entry.get("notifications")
            old = old if isinstance(old, dict) else {}
            if moved is None and old.get("enabled") is True and "port" in old:
                moved = {"host": old.get("host", "127.0.0.1"), "port": old["port"]}
            notifications = {k: v for k, v in old.items() if k not in ("host", "port")}
            notifications.setdefault("enabled", False)
            notifications.setdefault("auth", "key")
            notifications.setdefault("token", secrets.token_urlsafe(32))
            entry = {**entry, "notifications": notifications}
        profiles.append(entry)
    upgraded = {**document, "schema": 3, "profiles": profiles}
    if moved is not None:
        upgraded["moved_listener"] = moved
    return upgraded


_STEPS: dict[int, Callable[[Any], Document]] = {0: _v0_to_v1, 1: _v1_to_v2, 2: _v2_to_v3}


def version_of(document: Any) -> int:
    if isinstance(document, list):
        return 0
    if not isinstance(document, dict):
        raise SchemaError("the file holds neither a list nor an object of profiles")
    schema = document.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise SchemaError(f"the file's schema version {schema!r} is not a version number")
    if not isinstance(document.get("profiles", []), list):
        raise SchemaError("the file's profiles are not a list")
    return schema


def migrate(document: Any) -> Document:
    """`document` brought up to CURRENT. A newer version is returned as it is, for the caller
    to read tolerantly (and keep a copy of: this build would drop what it does not know)."""
    version = version_of(document)
    while version < CURRENT:
        document = _STEPS[version](document)
        version = version_of(document)
    result: Document = document
    return result
