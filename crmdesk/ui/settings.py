"""UI state kept between runs (window layout, columns, page sizes) in an INI file.

It lives under `crmdesk.paths.config_dir()`, so CRMDESK_HOME (portable mode, tests) moves it
too. Only layout goes here: never profiles, and never anything secret.
"""

from __future__ import annotations

from pathlib import Path

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

    def header_state(self, profile_id: str, entity: str) -> QByteArray | None:
        return self._bytes(_entity_key(profile_id, entity, "header"))

    def save_header_state(self, profile_id: str, entity: str, state: QByteArray) -> None:
        self._store.setValue(_entity_key(profile_id, entity, "header"), state)

    def page_size(self, profile_id: str, entity: str) -> int | None:
        value = self._store.value(_entity_key(profile_id, entity, "page_size"))
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def save_page_size(self, profile_id: str, entity: str, size: int) -> None:
        self._store.setValue(_entity_key(profile_id, entity, "page_size"), size)

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def _entity_key(profile_id: str, entity: str, what: str) -> str:
    # QSettings treats "/" as a group separator; ids and entity names must not add levels.
    safe = [part.replace("/", "_") for part in (profile_id, entity)]
    return f"entities/{safe[0]}/{safe[1]}/{what}"
