"""GridEditing: record editing attached to one entity browser: the overlay of pending edits,
the type-fitted cell editors, the keys (F2, typing, double-click edit; Enter opens the record;
Esc reverts), the editing bars, and a refresh when a write changed its records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QBoxLayout, QToolTip

from crmdesk.api import Record
from crmdesk.desk import RecordsChanged
from crmdesk.editing import EditsChanged
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.editing.action_flow import ActionTarget
from crmdesk.ui.editing.bars import PendingStrip, RecordBar
from crmdesk.ui.editing.delegates import FieldDelegate
from crmdesk.ui.editing.marks import MarkRole, paint_mark, read_only_tip
from crmdesk.ui.editing.naming import record_words, singular
from crmdesk.ui.editing.overlay import EditOverlay, why_not_editable
from crmdesk.ui.editing.pending import CellKey

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing

_EDIT_TRIGGERS = (
    QAbstractItemView.EditTrigger.DoubleClicked
    | QAbstractItemView.EditTrigger.EditKeyPressed
    | QAbstractItemView.EditTrigger.AnyKeyPressed
)


class GridEditing(QObject):
    """Lives as long as its browser (its child); `editing.grid_of(browser)` finds it."""

    def __init__(self, browser: EntityBrowser, editing: RecordEditing) -> None:
        super().__init__(browser)
        self.setObjectName("gridEditing")
        self.browser = browser
        self.editing = editing
        session, entity = browser.session, browser.entity
        self.overlay = EditOverlay(browser.model, editing.pending, session, entity)
        # The record and column of the current cell, kept over a refresh of the page.
        self._place: tuple[str, int] | None = None
        self.delegate = FieldDelegate(browser.model, browser.table)
        table = browser.table
        table.setItemDelegate(self.delegate)
        table.paint_over = self._paint_marks
        table.setEditTriggers(_EDIT_TRIGGERS)
        table.activated.connect(self._activated)
        table.installEventFilter(self)
        self.bar = RecordBar(entity.label, editing.flow, self.target, browser)
        self.strip = PendingStrip(browser)
        layout = browser.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(layout.indexOf(table), self.bar)
        layout.insertWidget(layout.indexOf(browser.paging), self.strip)
        self._wire()
        unsubscribe = editing.desk.changes.subscribe(self._records_changed)
        # A plain function, not a method of this object: it runs as the browser goes.
        browser.destroyed.connect(lambda *_args: unsubscribe())
        self.update()

    def _wire(self) -> None:
        editing, browser = self.editing, self.browser
        self.bar.new_button.clicked.connect(
            lambda: editing.new_record(browser.session, browser.entity)
        )
        self.bar.open_button.clicked.connect(self.open_current)
        self.bar.delete_button.clicked.connect(self.delete_current)
        self.strip.save_button.clicked.connect(
            lambda: editing.review(browser.session, browser.entity)
        )
        self.strip.revert_button.clicked.connect(
            lambda: editing.pending.revert_all(browser.session.id, browser.entity.name)
        )
        editing.pending.changed.connect(self._edits_changed)
        browser.pageShown.connect(lambda _page: self._page_shown())
        browser.table.selectionModel().currentChanged.connect(self._current_changed)

    def _paint_marks(self, painter: QPainter, area: QRect) -> None:
        """The corner mark of each changed, refused or failed cell in `area`: the cells of the
        page's marked records only, so a page without edits costs one lookup a paint."""
        browser = self.browser
        marked = self.editing.pending.marked_records(browser.session.id, browser.entity.name)
        if not marked:
            return
        model, table = browser.model, browser.table
        for row in range(model.rowCount()):
            if model.record_at(row).id not in marked:
                continue
            for column in range(model.columnCount()):
                index = model.index(row, column)
                mark = index.data(MarkRole)
                rect = table.visualRect(index)
                if mark and rect.intersects(area):
                    paint_mark(painter, rect, mark)

    # -- the record under the cursor -----------------------------------------------------------

    def current_record(self) -> Record | None:
        index = self.browser.table.currentIndex()
        if not index.isValid() or index.row() >= self.browser.model.rowCount():
            return None
        return self.browser.model.record_at(index.row())

    def target(self) -> ActionTarget | None:
        record = self.current_record()
        if record is None:
            return None
        browser = self.browser
        words = record_words(browser.entity, record)
        return ActionTarget(browser.session, browser.entity, record.id, words)

    def open_current(self) -> None:
        record = self.current_record()
        if record is not None:
            self.editing.open_record(self.browser.session, self.browser.entity.name, record.id)

    def delete_current(self) -> None:
        record = self.current_record()
        if record is not None:
            self.editing.delete_record(self.browser.session, self.browser.entity, record)

    def revert_current(self) -> None:
        record = self.current_record()
        if record is not None:
            browser = self.browser
            self.editing.pending.revert(browser.session.id, browser.entity.name, record.id, None)

    def edit_cell(self, row: int, column: int) -> None:
        """Open the cell's editor, as F2 on it does."""
        table = self.browser.table
        index = self.browser.model.index(row, column)
        table.setCurrentIndex(index)
        table.edit(index)

    def changed_cells_selected(self) -> list[CellKey]:
        """The selected cells (or the current one) holding an unsaved change or refused text."""
        table = self.browser.table
        indexes = table.selectionModel().selectedIndexes()
        current = table.currentIndex()
        pending = self.editing.pending
        keys = []
        for index in indexes or ([current] if current.isValid() else []):
            key = self.overlay.key_at(index.row(), index.column())
            if key is not None and (pending.edits.get(*key) or pending.refused(key)):
                keys.append(key)
        return keys

    def revert_selected_cells(self) -> int:
        """Esc outside an editor: the selected cells' unsaved changes go. How many went."""
        keys = self.changed_cells_selected()
        for key in keys:
            self.editing.pending.revert(*key)
        return len(keys)

    def records_with_changes(self, rows: tuple[int, ...]) -> list[str]:
        """The ids of the records on these rows that hold unsaved changes or refused text."""
        browser, pending = self.browser, self.editing.pending
        session_id, entity = browser.key
        refused = {key[2] for key in pending.refused_cells(session_id, entity)}
        ids = []
        for row in rows:
            if 0 <= row < browser.model.rowCount():
                record_id = browser.model.record_at(row).id
                if pending.edits.of_record(session_id, entity, record_id) or record_id in refused:
                    ids.append(record_id)
        return ids

    def revert_records(self, record_ids: list[str]) -> None:
        session_id, entity = self.browser.key
        for record_id in record_ids:
            self.editing.pending.revert(session_id, entity, record_id, None)

    # -- Qt ------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Overrides QObject.eventFilter on the table: Esc reverts the selected cells' changes
        (an open editor handles its own Esc first); F2 on a locked cell says why it is."""
        if watched is self.browser.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            table = self.browser.table
            editing = table.state() == QAbstractItemView.State.EditingState
            if event.key() == Qt.Key.Key_Escape and not editing:
                return self.revert_selected_cells() > 0
            if event.key() == Qt.Key.Key_F2 and not editing:
                return self._say_why_locked(table.currentIndex())
        return super().eventFilter(watched, event)

    def _say_why_locked(self, index: QModelIndex) -> bool:
        if not index.isValid() or index.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        browser = self.browser
        spec = browser.model.field_at(index.column())
        why = why_not_editable(browser.session, browser.entity, spec)
        text = read_only_tip(spec, why) if spec is not None and why else (why or "")
        table = browser.table
        where = table.viewport().mapToGlobal(table.visualRect(index).bottomLeft())
        QToolTip.showText(where, text or "This cell cannot be edited.", table)
        return True

    # -- keeping the bars up to date -------------------------------------------------------------

    def update(self) -> None:
        browser, editing = self.browser, self.editing
        session, entity = browser.session, browser.entity
        read_only = session.profile.read_only
        why_not = (
            f"{session.name} is read-only: no editing, creating, deleting or actions."
            if read_only
            else ""
        )
        self.bar.set_allowed(
            create=entity.can_create and not read_only,
            delete=entity.can_delete and not read_only,
            actions=bool(entity.actions),
            why_not=why_not,
        )
        has_record = self.current_record() is not None
        self.bar.open_button.setEnabled(has_record)
        self.bar.delete_button.setEnabled(has_record)
        self.bar.actions_button.setEnabled(has_record)
        pending = editing.pending
        refused = len(
            [
                k
                for k in pending.refused_cells(session.id, entity.name)
                if pending.edits.get(*k) is None
            ]
        )
        failed = pending.failures(session.id, entity.name)
        self.strip.show_count(
            pending.edits.count(session.id, entity.name),
            pending.edits.record_count(session.id, entity.name),
            singular(entity.label).lower(),
            refused,
            tuple(failed.values()),
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() < self.browser.model.rowCount():
            record = self.browser.model.record_at(current.row())
            self._place = (record.id, current.column())
        self.update()

    def _page_shown(self) -> None:
        """A page came (after a save's refresh, say): the cell the person was on is current
        again when its record is on it, so the record's buttons and keys still act on it."""
        table, model = self.browser.table, self.browser.model
        if self._place is not None and not table.currentIndex().isValid():
            record_id, column = self._place
            for row in range(model.rowCount()):
                if model.record_at(row).id == record_id:
                    table.setCurrentIndex(model.index(row, column))
                    break
        self.update()

    def _activated(self, index: QModelIndex) -> None:
        # Enter, or a double-click that did not start an edit (a locked cell): the record.
        if index.isValid():
            self.open_current()

    def _edits_changed(self, change: EditsChanged) -> None:
        if (change.connection_id, change.entity) == self.browser.key:
            self.update()

    def _records_changed(self, change: RecordsChanged) -> None:
        if (change.connection_id, change.entity) == self.browser.key:
            self.browser.refresh()
