"""Right-click menus of the grid's cells and column headers, built by contributors.

Every browser of the window shares one `BrowserMenus` (EntityTabs owns it). A contributor is
a function that adds its actions for the cell or header clicked; they run in `order`, lowest
first, with a separator between contributors that added something. The browser's own (copy,
open the related record, sort, columns) are registered by `standard_menus()` at order 100 and
up; record editing adds Edit, Open record, Revert and the entity's actions, e.g. at order 10:

    window.tabs.menus.add_cell_contributor(add_edit_actions, order=10)

    def add_edit_actions(menu: QMenu, cell: CellMenuContext) -> None:
        if cell.record is not None and cell.browser.entity.can_update:
            menu.addAction("Edit", lambda: ...)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QWidget

from crmdesk.api import FieldSpec, Record

if TYPE_CHECKING:
    from crmdesk.ui.browser.browser import EntityBrowser


@dataclass(frozen=True, slots=True)
class CellMenuContext:
    """The cell right-clicked: its browser, row and column, record and field (None: the id's
    own column), and the rows of the selection (which includes the clicked cell)."""

    browser: EntityBrowser
    row: int
    column: int
    record: Record
    field: FieldSpec | None
    selected_rows: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class HeaderMenuContext:
    """The column header right-clicked (column -1: the empty space after the last one)."""

    browser: EntityBrowser
    column: int
    field: FieldSpec | None


CellContributor = Callable[[QMenu, CellMenuContext], None]
HeaderContributor = Callable[[QMenu, HeaderMenuContext], None]


class BrowserMenus:
    """The contributors to every browser's cell and header menus; with `standard`, the
    browser's own (crmdesk.ui.browser.standard_menus, loaded when a menu first opens)."""

    def __init__(self, *, standard: bool = False) -> None:
        self._cells: list[tuple[int, int, CellContributor]] = []
        self._headers: list[tuple[int, int, HeaderContributor]] = []
        if standard:
            for name, order in _STANDARD_CELL:
                self.add_cell_contributor(_standard(name), order=order)
            for name, order in _STANDARD_HEADER:
                self.add_header_contributor(_standard(name), order=order)

    def add_cell_contributor(self, contributor: CellContributor, *, order: int = 50) -> None:
        self._cells.append((order, len(self._cells), contributor))
        self._cells.sort(key=lambda entry: entry[:2])

    def add_header_contributor(self, contributor: HeaderContributor, *, order: int = 50) -> None:
        self._headers.append((order, len(self._headers), contributor))
        self._headers.sort(key=lambda entry: entry[:2])

    def cell_menu(self, parent: QWidget, cell: CellMenuContext) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("cellMenu")
        for _order, _n, contributor in self._cells:
            _separate(menu)
            contributor(menu, cell)
        _tidy(menu)
        return menu

    def header_menu(self, parent: QWidget, header: HeaderMenuContext) -> QMenu:
        menu = QMenu(parent)
        menu.setObjectName("headerMenu")
        for _order, _n, contributor in self._headers:
            _separate(menu)
            contributor(menu, header)
        _tidy(menu)
        return menu


_STANDARD_CELL = (("copy_items", 100), ("record_items", 110), ("column_item", 120))
_STANDARD_HEADER = (("sort_items", 100), ("column_items", 110))


def _standard(name: str) -> Callable[[QMenu, Any], None]:
    def contribute(menu: QMenu, context: Any) -> None:
        from crmdesk.ui.browser import standard_menus

        getattr(standard_menus, name)(menu, context)

    return contribute


def popup_cell_menu(browser: EntityBrowser, at: QPoint) -> QMenu | None:
    """The menu of the cell at `at` (viewport coordinates); a click outside the selection
    selects that cell first, as spreadsheets do."""
    table = browser.table
    index = table.indexAt(at)
    if not index.isValid():
        return None
    selection = table.selectionModel()
    if selection is not None and not selection.isSelected(index):
        table.setCurrentIndex(index)
    rows = tuple(sorted({i.row() for i in selection.selectedIndexes()})) if selection else ()
    cell = CellMenuContext(
        browser,
        index.row(),
        index.column(),
        browser.model.record_at(index.row()),
        browser.model.field_at(index.column()),
        rows or (index.row(),),
    )
    menu = browser.menus.cell_menu(browser, cell)
    menu.popup(table.viewport().mapToGlobal(at))
    return menu


def popup_header_menu(browser: EntityBrowser, at: QPoint) -> QMenu:
    header = browser.table.horizontalHeader()
    column = header.logicalIndexAt(at)
    context = HeaderMenuContext(browser, column, browser.model.field_at(column))
    menu = browser.menus.header_menu(browser, context)
    menu.popup(header.mapToGlobal(at))
    return menu


def _separate(menu: QMenu) -> None:
    actions = menu.actions()
    if actions and not actions[-1].isSeparator():
        menu.addSeparator()


def _tidy(menu: QMenu) -> None:
    actions = menu.actions()
    if actions and actions[-1].isSeparator():
        menu.removeAction(actions[-1])
