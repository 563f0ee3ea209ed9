"""The profiles file's schema versions and the steps that bring an older file up to date.

napari's pattern: one number in the file, one small function per step, applied in order on
load. A step takes the whole document and returns the next version's document; it never
drops a profile, only reshapes it.

- 0: a bare JSON list of profiles (the hand-written files of early builds).
- 1: `{"schema": 1, "profiles": [...]}`.
- 2: aicore profiles carry `notifications` (listener address and answer mode); the file
  remembers the last used connection as `last_used`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CURRENT = 2

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

_STEPS: dict[int, Callable[[Any], Document]] = {0: _v0_to_v1, 1: _v1_to_v2}


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
