"""UI state kept between runs (window layout, open tabs, columns, page sizes) in an INI file.

It lives under `crmdesk.paths.config_dir()`, so CRMDESK_HOME (portable mode, tests) moves it
too. Only layout goes here: never profiles, and never anything secret.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from crmdesk import paths

FILE_NAME = "ui-state.ini"


class UiSettings:
    """Typed access to the persisted UI state, so keys are spelled in one place."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or paths.ensure(paths.config_dir()) / FILE_NAME
        self._store = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def path(self) -> Path:
        return Path(self._store.fileName())

    def sync(self) -> None:
        self._store.sync()

    # -- the main window -----------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def save_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)

    # -- one entity of one connection ------------------------------------------------------

    def columns(self, profile_id: str, entity: str) -> list[dict[str, Any]] | None:
        """The columns as last laid out, in order: {"key", "width", "hidden"} each."""
        value = self._store.value(_entity_key(profile_id, entity, "columns"))
        try:
            found = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None
        if not isinstance(found, list):
            return None
        return [c for c in found if isinstance(c, dict) and isinstance(c.get("key"), str)]

    def save_columns(self, profile_id: str, entity: str, columns: list[dict[str, Any]]) -> None:
        self._store.setValue(_entity_key(profile_id, entity, "columns"), json.dumps(columns))

    def forget_columns(self, profile_id: str, entity: str) -> None:
        self._store.remove(_entity_key(profile_id, entity, "columns"))

    def forget_connection(self, profile_id: str) -> None:
        """Everything kept for a deleted connection's entities, and its remembered tabs."""
        self._store.remove(f"entities/{_safe(profile_id)}")
        kept = [tab for tab in self.open_tabs() if tab[0] != profile_id]
        self.save_open_tabs(kept)

    def page_size(self, profile_id: str, entity: str) -> int | None:
        value = self._store.value(_entity_key(profile_id, entity, "page_size"))
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def save_page_size(self, profile_id: str, entity: str, size: int) -> None:
        self._store.setValue(_entity_key(profile_id, entity, "page_size"), size)

    # -- the tabs open when the window closed ---------------------------------------------

    def open_tabs(self) -> list[tuple[str, str]]:
        """(connection id, entity) of each tab open at the last close, in tab order."""
        value = self._store.value("window/tabs")
        try:
            found = json.loads(value) if isinstance(value, str) else []
        except ValueError:
            return []
        return [
            (str(tab[0]), str(tab[1]))
            for tab in found
            if isinstance(tab, list) and len(tab) == 2 and all(isinstance(t, str) for t in tab)
        ]

    def save_open_tabs(self, tabs: list[tuple[str, str]]) -> None:
        self._store.setValue("window/tabs", json.dumps([list(tab) for tab in tabs]))

    def current_tab(self) -> tuple[str, str] | None:
        value = self._store.value("window/current_tab")
        try:
            found = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None
        if isinstance(found, list) and len(found) == 2 and all(isinstance(t, str) for t in found):
            return (found[0], found[1])
        return None

    def save_current_tab(self, tab: tuple[str, str] | None) -> None:
        self._store.setValue("window/current_tab", json.dumps(list(tab) if tab else None))

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _safe(part: str) -> str:
    # QSettings treats "/" as a group separator; ids and entity names must not add levels.
    return part.replace("/", "_")


def _entity_key(profile_id: str, entity: str, what: str) -> str:
    return f"entities/{_safe(profile_id)}/{_safe(entity)}/{what}"
