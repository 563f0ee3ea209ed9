"""ProfileStore: the profiles file (JSON in the config directory), read forgivingly and
written atomically.

What can go wrong on load is reported in words, never raised: a file that is not JSON is set
aside as a backup and the app starts with no profiles; a single bad profile is skipped, and
the file is copied aside before anything overwrites it, so nothing the user had is ever lost.
The methods block on disk: the UI calls them through `asyncio.to_thread`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crmdesk import paths
from crmdesk.api import kinds
from crmdesk.paths import write_atomically
from crmdesk.profiles.migrations import CURRENT, SchemaError, migrate, version_of
from crmdesk.profiles.model import Profile

FILE_NAME = "profiles.json"


@dataclass(frozen=True, slots=True)
class LoadedProfiles:
    """What the file held, and what had to be set aside or skipped (in words)."""

    profiles: tuple[Profile, ...] = ()
    last_used: str | None = None
    problems: tuple[str, ...] = ()
    backup: Path | None = None
    # The listener address profiles had before schema 3, for crmdesk.inbox.load_settings().
    moved_listener: Mapping[str, Any] | None = None


class ProfileStore:
    def __init__(self, path: Path | None = None, *, known_kinds: Iterable[str] | None = None):
        self.path = path or paths.config_dir() / FILE_NAME
        self._kinds = tuple(kinds() if known_kinds is None else known_kinds)
        self._moved_listener: dict[str, Any] | None = None

    def load(self) -> LoadedProfiles:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return LoadedProfiles()
        except OSError as exc:
            # Unreadable (permissions, a directory in the way): leave it where it is.
            return LoadedProfiles(problems=(f"The profiles file could not be read: {exc}.",))
        try:
            stored = json.loads(raw.decode("utf-8"))
            version = version_of(stored)
            document = migrate(stored)
        except (UnicodeDecodeError, json.JSONDecodeError, SchemaError) as exc:
            backup = self._set_aside("corrupt", move=True)
            return LoadedProfiles(
                problems=(
                    f"The profiles file was damaged ({_reason(exc)}) and was set aside as "
                    f"{backup.name}; crmdesk started without it.",
                ),
                backup=backup,
            )
        problems: list[str] = []
        if version < CURRENT:
            problems += self._keep_migrated(document, version)
        moved = document.get("moved_listener")
        self._moved_listener = dict(moved) if isinstance(moved, dict) else None
        if document["schema"] > CURRENT:
            problems.append(
                f"The profiles file was written by a newer crmdesk (schema {document['schema']});"
                " what this version does not know is dropped when it saves."
            )
        profiles: list[Profile] = []
        seen: set[str] = set()
        for number, entry in enumerate(document.get("profiles", []), start=1):
            try:
                profile = Profile.from_json(entry, known_kinds=self._kinds)
            except ValueError as exc:
                problems.append(f"Connection {_label(entry, number)} was skipped: {exc}.")
                continue
            if profile.id in seen:
                problems.append(f"Connection {_label(entry, number)} was skipped: duplicate id.")
                continue
            seen.add(profile.id)
            profiles.append(profile)
        kept: Path | None = None
        if problems:
            kept = self._set_aside("backup", move=False)
            problems.append(f"The file as it was is kept as {kept.name}.")
        last_used = document.get("last_used")
        return LoadedProfiles(
            profiles=tuple(profiles),
            last_used=last_used if last_used in seen else None,
            problems=tuple(problems),
            backup=kept,
            moved_listener=self._moved_listener,
        )

    def _keep_migrated(self, document: dict[str, Any], version: int) -> list[str]:
        # Written back at once: a migration makes notification tokens, and a token must be the
        # same next time (it is the address the user registers with the server).
        try:
            self._set_aside(f"schema{version}", move=False)
            write_atomically(self.path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        except OSError as exc:
            return [f"The profiles file was brought up to date but could not be saved: {exc}."]
        return []

    def save(self, profiles: Iterable[Profile], last_used: str | None = None) -> None:
        document = {
            "schema": CURRENT,
            "profiles": [profile.to_json() for profile in profiles],
            "last_used": last_used,
        }
        if self._moved_listener is not None:
            document["moved_listener"] = self._moved_listener
        write_atomically(self.path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")

    def _set_aside(self, why: str, *, move: bool) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = self.path.with_name(f"{self.path.name}.{why}-{stamp}")
        if move:
            os.replace(self.path, backup)
        else:
            shutil.copy2(self.path, backup)
        return backup


def _reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"not JSON at line {exc.lineno}"
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(exc)


def _label(entry: object, number: int) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"#{number} ({name!r})" if isinstance(name, str) and name else f"#{number}"
