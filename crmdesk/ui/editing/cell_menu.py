"""The record entries of the grid's right-click menu, contributed to the browser's menus
(crmdesk.ui.browser.menus): edit the cell, open the record, revert the cell or the records,
review & save, the entity's actions in a submenu, and delete. Each goes through the same path
as its button or Record-menu entry; what cannot be done here is shown disabled, with why."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from crmdesk.ui.browser.listing import plural
from crmdesk.ui.browser.menus import CellContributor, CellMenuContext
from crmdesk.ui.editing.action_flow import ActionTarget, refusal
from crmdesk.ui.editing.actions_menu import add_actions
from crmdesk.ui.editing.naming import record_words, singular
from crmdesk.ui.editing.overlay import why_not_editable

if TYPE_CHECKING:
    from crmdesk.ui.editing.grid import GridEditing
    from crmdesk.ui.editing.window import RecordEditing

# After any contributor at 10 and before the browser's own copy entries (100 and up).
ORDER = 20


def record_entries(editing: RecordEditing) -> CellContributor:
    """The contributor for `window.tabs.menus.add_cell_contributor(…, order=ORDER)`."""

    def contribute(menu: QMenu, cell: CellMenuContext) -> None:
        grid = editing.grid_of(cell.browser)
        if grid is not None:
            _RecordEntries(editing, grid, cell).add_to(menu)

    return contribute


def _entry(
    menu: QMenu, text: str, do: Callable[[], object], *, keys: str = "", why_not: str | None = None
) -> QAction:
    """An entry; `keys` shown at the right as a reminder (the grid's own keys do the work),
    `why_not` disables it and says why."""
    action = menu.addAction(f"{text}\t{keys}" if keys else text)
    action.triggered.connect(lambda _checked=False: do())
    if why_not:
        action.setEnabled(False)
        action.setToolTip(why_not)
        action.setStatusTip(why_not)
    return action


class _RecordEntries:
    """The entries for one right-click: the clicked cell, its record and the selection."""

    def __init__(self, editing: RecordEditing, grid: GridEditing, cell: CellMenuContext) -> None:
        self.editing, self.grid, self.cell = editing, grid, cell
        browser = cell.browser
        self.session, self.entity = browser.session, browser.entity
        self.record = cell.record
        self.noun = singular(self.entity.label).lower()

    def add_to(self, menu: QMenu) -> None:
        menu.setToolTipsVisible(True)
        self._edit_and_open(menu)
        menu.addSeparator()
        self._revert_and_save(menu)
        menu.addSeparator()
        self._actions_and_delete(menu)

    # -- the cell and the record ----------------------------------------------------------

    def _edit_and_open(self, menu: QMenu) -> None:
        cell, grid = self.cell, self.grid
        why = why_not_editable(self.session, self.entity, cell.field)
        if why is None and self.session.backend is None:
            why = f"{self.session.name} is not connected."
        if self.entity.can_update:  # where nothing is ever editable, no entry says so
            _entry(
                menu,
                "&Edit cell",
                lambda: grid.edit_cell(cell.row, cell.column),
                keys="F2",
                why_not=f"This cell cannot be changed: {why}" if why else None,
            )
        record_id, name = self.record.id, self.entity.name
        _entry(
            menu,
            "&Open record",
            lambda: self.editing.open_record(self.session, name, record_id),
            keys="Enter",
        )

    # -- unsaved changes ------------------------------------------------------------------

    def _revert_and_save(self, menu: QMenu) -> None:
        grid, pending = self.grid, self.editing.pending
        cells = grid.changed_cells_selected()
        if cells:
            only_this = cells == [grid.overlay.key_at(self.cell.row, self.cell.column)]
            _entry(
                menu,
                "Revert &cell" if only_this else f"Revert {plural(len(cells), 'changed cell')}",
                grid.revert_selected_cells,
                keys="Esc",
            )
        changed = grid.records_with_changes(self.cell.selected_rows)
        if changed:
            words = "Revert &record" if len(changed) == 1 else f"Revert {len(changed):,} &records"
            _entry(menu, words, lambda: grid.revert_records(changed))
        key = (self.session.id, self.entity.name)
        count = pending.unsaved(*key)
        if count == 0:
            return
        why = refusal(self.session, self.entity)
        session, entity = self.session, self.entity
        everywhere = set(pending.edits.of_entity(*key))
        if changed and set(changed) < everywhere:
            which = f"this {self.noun}" if len(changed) == 1 else f"these {len(changed):,} records"
            _entry(
                menu,
                f"Review && save {which}…",
                lambda: self.editing.review(session, entity, tuple(changed)),
                why_not=why,
            )
        _entry(
            menu,
            f"Review && &save {plural(count, 'change')}…",
            lambda: self.editing.review(session, entity),
            keys="Ctrl+S",
            why_not=why,
        )

    # -- what else can be done with the record ----------------------------------------------

    def _actions_and_delete(self, menu: QMenu) -> None:
        session, entity, record = self.session, self.entity, self.record
        if entity.actions:
            submenu = menu.addMenu("&Actions")
            submenu.setObjectName("cellActionsMenu")
            target = ActionTarget(session, entity, record.id, record_words(entity, record))
            add_actions(submenu, target, self.editing.flow)
        if entity.can_delete:
            _entry(
                menu,
                f"&Delete {self.noun} {record.id}…",
                lambda: self.editing.delete_record(session, entity, record),
                why_not=refusal(session, entity),
            )
