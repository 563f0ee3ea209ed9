"""The browser's own right-click actions: copy, open the related record, filter by a value,
sort, and show or hide columns (contributors to `BrowserMenus`, order 100 and up, named in
menus.py so this module loads only when a menu first opens)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from crmdesk.exporting import CopyFormat
from crmdesk.ui.browser.columns import ColumnLayout
from crmdesk.ui.browser.menus import BrowserMenus, CellMenuContext, HeaderMenuContext
from crmdesk.ui.browser.page_model import LINK_ROLE, RAW_ROLE

if TYPE_CHECKING:
    from crmdesk.ui.browser.browser import EntityBrowser


def standard_menus() -> BrowserMenus:
    """A BrowserMenus with the browser's own actions, as EntityTabs makes it."""
    return BrowserMenus(standard=True)


def copy_items(menu: QMenu, cell: CellMenuContext) -> None:
    browser = cell.browser
    copy = menu.addAction("&Copy", lambda: browser.copy_selection(CopyFormat.TSV))
    copy.setShortcut("Ctrl+C")
    titled = menu.addAction(
        "Copy with column &titles", lambda: browser.copy_selection(CopyFormat.TSV, True)
    )
    titled.setShortcut("Ctrl+Shift+C")
    more = menu.addMenu("Copy &as")
    for fmt, words in (
        (CopyFormat.CSV, "&CSV"),
        (CopyFormat.JSON, "&JSON (raw values)"),
        (CopyFormat.MARKDOWN, "&Markdown table"),
    ):
        more.addAction(words, _copier(browser, fmt))


def _copier(browser: EntityBrowser, fmt: CopyFormat) -> Callable[[], None]:
    return lambda: browser.copy_selection(fmt, True)


def record_items(menu: QMenu, cell: CellMenuContext) -> None:
    browser = cell.browser
    index = browser.model.index(cell.row, cell.column)
    link = index.data(LINK_ROLE)
    if link is not None:
        entity, record_id = link
        label = browser.entity_label(entity)
        menu.addAction(
            f"&Open {label} {record_id}", lambda: browser.open_related(entity, record_id)
        )
    raw = index.data(RAW_ROLE)
    name = cell.field.name if cell.field is not None else None
    if name is not None and isinstance(raw, str | int | float) and str(raw) != "":
        text = str(raw)
        shown = text if len(text) <= 30 else text[:29] + "…"
        where = browser.finding.place(name)
        if where is not None:
            label = cell.field.label if cell.field is not None else name
            menu.addAction(
                f"&Filter: {label} = {shown} ({where})",
                lambda: browser.finding.filter_by(name, text),
            )


def column_item(menu: QMenu, cell: CellMenuContext) -> None:
    browser = cell.browser
    label = browser.model.column_label(cell.column)
    menu.addAction(
        f"&Hide column “{label}”", lambda: browser.columns.set_visible(cell.column, False)
    )


def sort_items(menu: QMenu, header: HeaderMenuContext) -> None:
    spec = header.field
    if header.column < 0:
        return
    browser = header.browser
    if spec is None or not spec.sortable:
        note = menu.addAction(browser.why_not_sortable(spec))
        note.setEnabled(False)
        return
    menu.addAction("Sort &ascending ▲", lambda: browser.sort_by(spec.name, descending=False))
    menu.addAction("Sort &descending ▼", lambda: browser.sort_by(spec.name, descending=True))
    menu.addAction("&Unsorted (the server's order)", lambda: browser.sort_by(None))


def _shower(layout: ColumnLayout, column: int) -> Callable[[bool], None]:
    return lambda on: layout.set_visible(column, on)


def column_items(menu: QMenu, header: HeaderMenuContext) -> None:
    browser = header.browser
    layout = browser.columns
    if header.column >= 0:
        label = browser.model.column_label(header.column)
        menu.addAction(f"&Hide “{label}”", lambda: layout.set_visible(header.column, False))
    shown = menu.addMenu("&Show columns")
    for state in layout.states():
        action = shown.addAction(state.label)
        action.setCheckable(True)
        action.setChecked(state.visible)
        action.toggled.connect(_shower(layout, state.column))
    menu.addAction("Show &all columns", layout.show_all)
    menu.addAction("&Columns…", browser.choose_columns)
    menu.addAction("&Reset columns to defaults", layout.reset)
