"""The main window's actions, declared as data: one name, one registration each (Picard's idea).

Widgets never invent QActions of their own; they look them up here by `MainAction`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget


class MainAction(StrEnum):
    CONNECTIONS = "connections"
    IMPORT_PROFILES = "import_profiles"
    EXPORT_PROFILES = "export_profiles"
    EXPORT = "export"
    REFRESH = "refresh"
    FIND = "find"
    OPEN_BY_ID = "open_by_id"
    COLUMNS = "columns"
    CLOSE_TAB = "close_tab"
    QUIT = "quit"
    FIRST_PAGE = "first_page"
    PREVIOUS_PAGE = "previous_page"
    NEXT_PAGE = "next_page"
    LAST_PAGE = "last_page"
    REVIEW_AND_SAVE = "review_and_save"
    REVERT_RECORD = "revert_record"
    REVERT_ALL = "revert_all"
    UNDO_LAST_SAVE = "undo_last_save"
    NEW_RECORD = "new_record"
    OPEN_RECORD = "open_record"
    DELETE_RECORD = "delete_record"
    CHANGE_LOG = "change_log"
    NEXT_TAB = "next_tab"
    PREVIOUS_TAB = "previous_tab"
    SHORTCUTS = "shortcuts"
    ABOUT = "about"


@dataclass(frozen=True, slots=True)
class ActionSpec:
    text: str
    tip: str
    shortcuts: tuple[str, ...] = ()
    icon: QStyle.StandardPixmap | None = None


_SPECS: dict[MainAction, ActionSpec] = {}


def _register(action: MainAction, spec: ActionSpec) -> None:
    if action in _SPECS:
        raise ValueError(f"{action} is registered twice")
    _SPECS[action] = spec


_register(
    MainAction.CONNECTIONS,
    ActionSpec("C&onnections…", "Add, edit, test and delete connections", ("Ctrl+Shift+O",)),
)
_register(
    MainAction.IMPORT_PROFILES,
    ActionSpec("&Import connections…", "Add connections from a file a colleague exported"),
)
_register(
    MainAction.EXPORT_PROFILES,
    ActionSpec("&Export connections…", "Save your connections to a file, without any secret"),
)
_register(
    MainAction.REFRESH,
    ActionSpec(
        "&Refresh",
        "Load the page on screen again from the server",
        ("F5", "Ctrl+R"),
        QStyle.StandardPixmap.SP_BrowserReload,
    ),
)
_register(
    MainAction.EXPORT,
    ActionSpec(
        "&Export view…",
        "Save every page of the current view (filter, sort, visible columns) to a file",
        ("Ctrl+E",),
    ),
)
_register(
    MainAction.FIND,
    ActionSpec("&Filter…", "Filter the current list by a field's value", ("Ctrl+F",)),
)
_register(
    MainAction.OPEN_BY_ID,
    ActionSpec("&Open by id or URL…", "Open one record from its id or a link to it", ("Ctrl+L",)),
)
_register(
    MainAction.COLUMNS,
    ActionSpec("C&olumns…", "Show, hide and reorder the current list's columns"),
)
_register(MainAction.CLOSE_TAB, ActionSpec("&Close tab", "Close the current tab", ("Ctrl+W",)))
_register(MainAction.QUIT, ActionSpec("&Quit", "Close every connection and quit", ("Ctrl+Q",)))
_register(
    MainAction.FIRST_PAGE,
    ActionSpec("&First page", "Go to the first page", ("Alt+Home",)),
)
_register(
    MainAction.PREVIOUS_PAGE,
    ActionSpec("&Previous page", "Go to the previous page", ("Alt+Left",)),
)
_register(
    MainAction.NEXT_PAGE,
    ActionSpec("&Next page", "Go to the next page", ("Alt+Right",)),
)
_register(
    MainAction.LAST_PAGE,
    ActionSpec("&Last page", "Go to the last page", ("Alt+End",)),
)
# As in every tabbed tool: browsers, editors, spreadsheets.
_register(
    MainAction.NEXT_TAB,
    ActionSpec("Ne&xt tab", "Show the tab to the right", ("Ctrl+Tab", "Ctrl+PgDown")),
)
_register(
    MainAction.PREVIOUS_TAB,
    ActionSpec("Pre&vious tab", "Show the tab to the left", ("Ctrl+Shift+Tab", "Ctrl+PgUp")),
)
_register(
    MainAction.SHORTCUTS,
    ActionSpec("&Keyboard shortcuts", "Every key crmdesk answers to", ("F1",)),
)
_register(MainAction.ABOUT, ActionSpec("&About crmdesk", "Version and what crmdesk is"))

# Keys the record grid answers to itself (not window actions), for the shortcuts list.
GRID_KEYS: tuple[tuple[str, str], ...] = (
    ("Ctrl+C", "Copy the selected cells (tab-separated, for a spreadsheet)"),
    ("Ctrl+Shift+C", "Copy the selected cells with the column titles"),
    ("Ctrl+Click", "Open the record a linked id points at"),
    ("Esc", "Stop a page that is loading; go back from a record to its list"),
    ("Tab / Shift+Tab", "Leave the grid for the next or previous control"),
    ("Arrows, Shift+Arrows", "Move around the grid, select cells"),
    ("Enter (in the filter)", "Add the condition typed"),
)


def action_specs() -> tuple[tuple[MainAction, ActionSpec], ...]:
    """Every registered action, in registration order (the shortcuts list)."""
    return tuple(_SPECS.items())


_register(
    MainAction.REVIEW_AND_SAVE,
    ActionSpec(
        "Review && &save…",
        "See exactly what the unsaved changes will send, then send them",
        ("Ctrl+S",),
        QStyle.StandardPixmap.SP_DialogSaveButton,
    ),
)
_register(
    MainAction.REVERT_RECORD,
    ActionSpec("Revert &record", "Forget the unsaved changes of the selected record"),
)
_register(
    MainAction.REVERT_ALL,
    ActionSpec("Revert &all", "Forget every unsaved change of this list", ("Ctrl+Shift+R",)),
)
_register(
    MainAction.UNDO_LAST_SAVE,
    ActionSpec(
        "&Undo last save…",
        "Put back the values the last save on this connection replaced, where the API allows",
        ("Ctrl+Shift+Z",),
    ),
)
_register(
    MainAction.NEW_RECORD,
    ActionSpec("&New record…", "An empty form for a new record of this list", ("Ctrl+N",)),
)
_register(
    MainAction.OPEN_RECORD,
    ActionSpec("&Open record", "Every field of the selected record, in a tab of its own"),
)
_register(
    MainAction.DELETE_RECORD,
    ActionSpec("&Delete record…", "Delete the selected record from the server; asks first"),
)
_register(
    MainAction.CHANGE_LOG,
    ActionSpec(
        "Change &log",
        "Every change saved from crmdesk: before, after, when and how it went",
        ("Ctrl+Shift+L",),
    ),
)


class MainActions:
    """One QAction per `MainAction`, owned by the main window."""

    def __init__(self, parent: QWidget) -> None:
        self._actions = {name: _build(name, spec, parent) for name, spec in _SPECS.items()}

    def __getitem__(self, name: MainAction) -> QAction:
        return self._actions[name]


def _build(name: MainAction, spec: ActionSpec, parent: QWidget) -> QAction:
    action = QAction(spec.text, parent)
    action.setObjectName(f"action_{name.value}")
    shortcuts = [QKeySequence(text) for text in spec.shortcuts]
    action.setShortcuts(shortcuts)
    native = QKeySequence.SequenceFormat.NativeText
    first = f" ({shortcuts[0].toString(native)})" if shortcuts else ""
    action.setToolTip(spec.tip + first)
    action.setStatusTip(spec.tip)
    if spec.icon is not None:
        action.setIcon(parent.style().standardIcon(spec.icon))
    return action
