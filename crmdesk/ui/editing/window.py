"""RecordEditing: record editing for the main window: the pending edits' signal, the write
guard, the grid editing of every browser, record forms in tabs, review & save, create, delete,
actions, undo, the change log, the status bar's unsaved count, and the questions before a tab
or the window closes with unsaved changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from crmdesk.api import EntityInfo, Record
from crmdesk.desk import Desk
from crmdesk.ui.actions import MainAction, MainActions
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.browser.listing import plural
from crmdesk.ui.editing.action_flow import ActionFlow
from crmdesk.ui.editing.actions_menu import add_actions
from crmdesk.ui.editing.cell_menu import ORDER, record_entries
from crmdesk.ui.editing.closing import ask_unsaved
from crmdesk.ui.editing.connection_changes import ConnectionChanges
from crmdesk.ui.editing.grid import GridEditing
from crmdesk.ui.editing.naming import record_words
from crmdesk.ui.editing.pending import PendingSignals
from crmdesk.ui.editing.record_form import RecordForm
from crmdesk.ui.editing.record_writes import RecordWrites
from crmdesk.ui.editing.review import ReviewDialog
from crmdesk.ui.editing.undo import UndoFlow
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.status_bar import StatusLine
from crmdesk.ui.tabs import EntityTabs
from crmdesk.ui.tasks import TaskRunner


class RecordEditing(QObject):
    """Owned by the main window; every browser and form reaches editing through it."""

    def __init__(
        self,
        window: QMainWindow,
        desk: Desk,
        tasks: TaskRunner,
        tabs: EntityTabs,
        status: StatusLine,
        actions: MainActions,
        current_session: Callable[[], ConnectionSession | None],
    ) -> None:
        super().__init__(window)
        self.window, self.desk, self.tasks, self.tabs = window, desk, tasks, tabs
        self._status = status
        self._actions = actions
        self._current_session = current_session
        self.pending = PendingSignals(desk.edits, self)
        self.guard = WriteGuard(window)
        self.flow = ActionFlow(window, tasks, self.guard, lambda: desk.changelog)
        self.flow.openRequested.connect(self.open_record)
        self.writes = RecordWrites(self)
        self.undo = UndoFlow(self)
        self.connection_changes = ConnectionChanges(self)
        self.reviews: dict[tuple[str, str], ReviewDialog] = {}
        self.change_log_window: QWidget | None = None
        tabs.on_browser_opened.append(self.attach)
        tabs.ask_before_closing = self.ask_before_closing_tab
        tabs.has_unsaved = lambda widget: self._unsaved_in(widget) > 0
        tabs.tabs.currentChanged.connect(lambda _index: self.update())
        tabs.menus.add_cell_contributor(record_entries(self), order=ORDER)
        self.pending.changed.connect(lambda _change: self.update())
        window.statusBar().messageChanged.connect(
            lambda words: self.update() if not words else None
        )
        self._wire_actions()

    # -- the window's parts --------------------------------------------------------------------

    def attach(self, browser: EntityBrowser) -> None:
        GridEditing(browser, self)

    @staticmethod
    def grid_of(browser: EntityBrowser) -> GridEditing | None:
        return browser.findChild(GridEditing, "gridEditing")

    def current_grid(self) -> GridEditing | None:
        widget = self.tabs.tabs.currentWidget()
        return self.grid_of(widget) if isinstance(widget, EntityBrowser) else None

    def current_form(self) -> RecordForm | None:
        widget = self.tabs.tabs.currentWidget()
        return widget if isinstance(widget, RecordForm) else None

    def fill_menus(self, edit: QMenu, record: QMenu, view: QMenu) -> None:
        act = self._actions
        for name in (MainAction.REVIEW_AND_SAVE, MainAction.REVERT_RECORD, MainAction.REVERT_ALL):
            edit.addAction(act[name])
        edit.addSeparator()
        edit.addAction(act[MainAction.UNDO_LAST_SAVE])
        for name in (MainAction.NEW_RECORD, MainAction.OPEN_RECORD, MainAction.DELETE_RECORD):
            record.addAction(act[name])
        record.addSeparator()
        self.actions_menu = record.addMenu("&Actions")
        self.actions_menu.setObjectName("recordActionsMenu")
        self.actions_menu.aboutToShow.connect(self._fill_actions_menu)
        view.addAction(act[MainAction.CHANGE_LOG])

    def _wire_actions(self) -> None:
        act = self._actions
        act[MainAction.REVIEW_AND_SAVE].triggered.connect(self.review_current)
        act[MainAction.REVERT_RECORD].triggered.connect(self.revert_current_record)
        act[MainAction.REVERT_ALL].triggered.connect(self.revert_current_list)
        act[MainAction.UNDO_LAST_SAVE].triggered.connect(self.undo_current)
        act[MainAction.NEW_RECORD].triggered.connect(self.new_for_current)
        act[MainAction.OPEN_RECORD].triggered.connect(self.open_current)
        act[MainAction.DELETE_RECORD].triggered.connect(self.delete_current)
        act[MainAction.CHANGE_LOG].triggered.connect(self.show_change_log)

    def _fill_actions_menu(self) -> None:
        self.actions_menu.clear()
        grid, form = self.current_grid(), self.current_form()
        target = grid.target() if grid is not None else form.target() if form is not None else None
        if not add_actions(self.actions_menu, target, self.flow):
            self.actions_menu.addAction("No actions for this record").setEnabled(False)

    def update(self) -> None:
        """The menus and the status bar's count, for the tab in front."""
        grid, form = self.current_grid(), self.current_form()
        where = grid.browser if grid is not None else form
        session = where.session if where is not None else self._current_session()
        entity = where.entity if where is not None else None
        writable = session is not None and not session.profile.read_only
        act = self._actions
        has_edits = session is not None and self.pending.unsaved(session.id) > 0
        act[MainAction.REVIEW_AND_SAVE].setEnabled(has_edits and writable)
        act[MainAction.REVERT_ALL].setEnabled(has_edits)
        act[MainAction.REVERT_RECORD].setEnabled(where is not None and has_edits)
        act[MainAction.UNDO_LAST_SAVE].setEnabled(writable)
        act[MainAction.NEW_RECORD].setEnabled(writable and entity is not None and entity.can_create)
        act[MainAction.OPEN_RECORD].setEnabled(grid is not None)
        can_delete = writable and entity is not None and entity.can_delete
        act[MainAction.DELETE_RECORD].setEnabled(can_delete and where is not None)
        self._show_count(session)

    def _show_count(self, session: ConnectionSession | None) -> None:
        label = self._status.pending_changes
        everywhere = self.pending.unsaved()
        here = self.pending.unsaved(session.id) if session is not None else 0
        if everywhere == 0:
            label.hide()
            return
        text = f"{plural(here, 'unsaved change')}" if session is not None else ""
        others = everywhere - here
        if others:
            text += (
                f" ({others:,} more on other connections)"
                if text
                else plural(others, "unsaved change")
            )
        label.setText(f'<span style="color:#8a5a00">●</span> {text}')
        label.setToolTip("Press Ctrl+S to review and save them; nothing is sent before you do.")
        # A sentence shown for a while hides the bar's left side; shown over it, the count
        # would be drawn across it. It comes back when the sentence goes.
        label.setVisible(not self.window.statusBar().currentMessage())

    # -- opening records -------------------------------------------------------------------------

    def open_record(self, session: ConnectionSession, entity_name: str, record_id: str) -> None:
        info = session.entity(entity_name)
        if info is None:
            return
        for page in self.tabs.pages():
            if isinstance(page, RecordForm) and page.key == (session.id, entity_name, record_id):
                self.tabs.tabs.setCurrentWidget(page)
                return
        self._show_form(RecordForm(session, info, record_id, self, self.tabs.tabs))

    def new_record(self, session: ConnectionSession, entity: EntityInfo) -> RecordForm:
        form = RecordForm(session, entity, None, self, self.tabs.tabs)
        self._show_form(form)
        return form

    def _show_form(self, form: RecordForm) -> None:
        self.tabs.add_page(form, form.title, f"{form.title} of {form.session.name}")
        form.load()

    def open_current(self) -> None:
        grid = self.current_grid()
        if grid is not None:
            grid.open_current()

    def new_for_current(self) -> None:
        grid, form = self.current_grid(), self.current_form()
        where = grid.browser if grid is not None else form
        if where is not None and where.entity.can_create:
            self.new_record(where.session, where.entity)

    # -- saving, reverting ---------------------------------------------------------------------

    def review(
        self,
        session: ConnectionSession,
        entity: EntityInfo,
        record_ids: tuple[str, ...] | None = None,
    ) -> ReviewDialog:
        old = self.reviews.pop((session.id, entity.name), None)
        if old is not None:
            old.close()
        dialog = ReviewDialog(
            session,
            entity,
            self.pending,
            self.tasks,
            self.guard,
            self.window,
            record_ids=record_ids,
            name_of=lambda rid: self.name_of(session, entity, rid),
            changelog=self.desk.changelog,
        )
        self.reviews[(session.id, entity.name)] = dialog
        dialog.destroyed.connect(lambda *_: self.reviews.pop((session.id, entity.name), None))
        dialog.start()
        return dialog

    def review_current(self) -> None:
        grid, form = self.current_grid(), self.current_form()
        if grid is not None:
            self.review(grid.browser.session, grid.browser.entity)
        elif form is not None:
            form.review()
        else:
            self.review_everything()

    def review_everything(self) -> list[ReviewDialog]:
        """One review per list that has unsaved changes (the window is closing, say)."""
        opened = []
        sessions = {s.id: s for s in self._sessions()}
        for connection_id, entity_name in self._lists_with_edits():
            session = sessions.get(connection_id)
            info = session.entity(entity_name) if session is not None else None
            if session is not None and info is not None:
                opened.append(self.review(session, info))
        return opened

    def revert_current_record(self) -> None:
        grid, form = self.current_grid(), self.current_form()
        if grid is not None:
            grid.revert_current()
        elif form is not None:
            form.revert()

    def revert_current_list(self) -> None:
        grid, form = self.current_grid(), self.current_form()
        where = grid.browser if grid is not None else form
        if where is not None:
            self.pending.revert_all(where.session.id, where.entity.name)

    def name_of(self, session: ConnectionSession, entity: EntityInfo, record_id: str) -> str:
        """The record in words, from any open list or form that shows it."""
        for page in self.tabs.pages():
            if isinstance(page, EntityBrowser) and page.key == (session.id, entity.name):
                model = page.model
                for row in range(model.rowCount()):
                    if model.record_at(row).id == record_id:
                        return record_words(entity, model.record_at(row))
            if isinstance(page, RecordForm) and page.key == (session.id, entity.name, record_id):
                return record_words(entity, page.record, record_id)
        return record_words(entity, None, record_id)

    # -- create and delete -------------------------------------------------------------------

    def create_record(self, form: RecordForm, values: dict[str, Any]) -> None:
        self.writes.create(form, values)

    def delete_record(self, session: ConnectionSession, entity: EntityInfo, record: Record) -> None:
        self.writes.delete(session, entity, record)

    def delete_current(self) -> None:
        grid, form = self.current_grid(), self.current_form()
        if grid is not None:
            grid.delete_current()
        elif form is not None:
            form.delete()

    # -- actions, undo and the log --------------------------------------------------------------

    def undo_current(self) -> None:
        session = self._current_session()
        if session is not None:
            self.undo.start(session)

    def show_change_log(self) -> QWidget:
        from crmdesk.ui.editing.change_log import ChangeLogWindow

        if self.change_log_window is None:
            window = ChangeLogWindow(self.desk.changelog, self.tasks, self, self.window)
            window.destroyed.connect(lambda *_: setattr(self, "change_log_window", None))
            self.change_log_window = window
        self.change_log_window.show()
        self.change_log_window.raise_()
        return self.change_log_window

    # -- closing with unsaved changes ----------------------------------------------------------

    def _sessions(self) -> list[ConnectionSession]:
        seen: dict[str, ConnectionSession] = {}
        for page in self.tabs.pages():
            session = getattr(page, "session", None)
            if isinstance(session, ConnectionSession):
                seen[session.id] = session
        sessions = getattr(self.window, "sessions", {})
        seen.update({s.id: s for s in sessions.values()} if isinstance(sessions, dict) else {})
        return list(seen.values())

    def _lists_with_edits(self) -> list[tuple[str, str]]:
        lists: dict[tuple[str, str], None] = {}
        for session in self._sessions():
            for info in session.entities:
                if self.pending.unsaved(session.id, info.name):
                    lists[(session.id, info.name)] = None
        return list(lists)

    def _unsaved_in(self, widget: QWidget) -> int:
        if isinstance(widget, EntityBrowser):
            return self.pending.unsaved(widget.session.id, widget.entity.name)
        if isinstance(widget, RecordForm) and widget.record_id is not None:
            key = (widget.session.id, widget.entity.name, widget.record_id)
            return len(self.pending.edits.of_record(*key))
        return 0

    async def ask_before_closing_tab(self, widget: QWidget) -> bool:
        """True when the tab may close: no unsaved changes, or the person chose to discard
        them. "Save…" opens the review and keeps the tab."""
        if isinstance(widget, EntityBrowser):
            session, entity, record_id = widget.session, widget.entity, None
        elif isinstance(widget, RecordForm) and widget.record_id is not None:
            session, entity, record_id = widget.session, widget.entity, widget.record_id
        else:
            return True
        if record_id is None:
            count = self.pending.unsaved(session.id, entity.name)
        else:
            count = len(self.pending.edits.of_record(session.id, entity.name, record_id))
        if count == 0:
            return True
        where = (
            f"{entity.label} of {session.name}"
            if record_id is None
            else widget.windowTitle() or record_id
        )
        answer = await ask_unsaved(self.window, plural(count, "unsaved change") + f" in {where}")
        if answer == "discard":
            if record_id is None:
                self.pending.revert_all(session.id, entity.name)
            else:
                self.pending.revert(session.id, entity.name, record_id, None)
            return True
        if answer == "save":
            self.review(session, entity, (record_id,) if record_id else None)
        return False

    async def ask_before_quitting(self) -> bool:
        """True when the window may close (nothing unsaved, or discarded)."""
        count = self.pending.unsaved()
        if count == 0:
            return True
        lists = len(self._lists_with_edits())
        answer = await ask_unsaved(
            self.window,
            f"{plural(count, 'unsaved change')} in {plural(lists, 'list')}",
            quitting=True,
        )
        if answer == "discard":
            self.pending.revert_all()
            return True
        if answer == "save":
            self.review_everything()
        return False

    def say(self, words: str) -> None:
        """A sentence in the status bar (what became of something done out of sight)."""
        self.window.statusBar().showMessage(words, 15_000)

    def close(self) -> None:
        self.pending.close()
