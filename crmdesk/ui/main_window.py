"""MainWindow: connections on the left, entity tabs in the middle, the status bar below.

Thin on purpose: it composes the typed parts (ConnectionsPane, EntityTabs, StatusLine,
MainActions) and connects them; the behaviour lives in those parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from crmdesk.api import EntityInfo, Exchange
from crmdesk.profiles import Profile
from crmdesk.ui.actions import MainAction, MainActions
from crmdesk.ui.connections_pane import ConnectionsPane
from crmdesk.ui.context import UiContext
from crmdesk.ui.editing.window import RecordEditing
from crmdesk.ui.help import ShortcutsDialog, about_box
from crmdesk.ui.inbox import InboxDock
from crmdesk.ui.inspector import InspectorDock
from crmdesk.ui.open_tabs import restore_tabs
from crmdesk.ui.problems import ProblemBar
from crmdesk.ui.profiles.banners import ProductionBand, title_words
from crmdesk.ui.profiles.credentials import CredentialsPrompt
from crmdesk.ui.profiles.window import ProfileControls
from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.status_bar import StatusLine
from crmdesk.ui.tabs import EntityTabs
from crmdesk.ui.tasks import Op

if TYPE_CHECKING:
    # Loaded with the first tab, not at start-up (the browser is most of the UI's code).
    from crmdesk.ui.browser import EntityBrowser

DEFAULT_SIZE = (1440, 900)
_DOCK_AREAS = (
    Qt.DockWidgetArea.LeftDockWidgetArea
    | Qt.DockWidgetArea.RightDockWidgetArea
    | Qt.DockWidgetArea.BottomDockWidgetArea
)


class MainWindow(QMainWindow):
    """The one main window. `closed` fires when the user closes it: time to shut down."""

    closed = Signal()

    def __init__(
        self, context: UiContext, parent: QWidget | None = None, *, sandbox: Any | None = None
    ) -> None:
        super().__init__(parent)
        # The demo's running sandbox (crmdesk.sandbox.Sandbox), for its Sandbox menu.
        self.sandbox = sandbox
        self.setObjectName("mainWindow")
        self.setWindowTitle("crmdesk")
        self.setDockNestingEnabled(True)
        self._context = context
        self.main_actions = MainActions(self)
        self.connections = ConnectionsPane(self)
        # Narrow enough for a 1024-pixel screen, wide enough to read connection names.
        self.connections.setMinimumWidth(170)
        self.connections_dock = _dock("Connections", "connectionsDock", self.connections, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.connections_dock)
        self.tabs = EntityTabs(context.tasks, context.settings, self)
        self.band = ProductionBand(self)
        self.problems = ProblemBar(self.show_exchange, self)
        self.inspector = InspectorDock(context, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.inspector)
        self.tabs.menus.add_cell_contributor(self.inspector.record_menu_item, order=130)
        context.tasks.report_api_error = self.problems.report
        self.profiles = (
            ProfileControls(context.profile_signals, context.tasks, self)
            if context.profile_signals is not None
            else None
        )
        self.setCentralWidget(self._centre())
        self.status = StatusLine(self.statusBar(), context.tasks)
        self.sessions: dict[str, ConnectionSession] = {}
        self._followed: ConnectionSession | None = None
        self.editing = RecordEditing(
            self,
            context.desk,
            context.tasks,
            self.tabs,
            self.status,
            self.main_actions,
            lambda: self._followed,
        )
        self.inbox = InboxDock.attach(self, context)
        self._may_close = False
        self._build_menus()
        self._wire()
        # Connections without their secrets (imported, or a keyring for one session only)
        # ask for them when opened.
        self.credentials = CredentialsPrompt(context.desk.secrets, self)
        for profile in context.connections.profiles:
            self._add_session(self._session_of(profile))
        self._restore_layout()
        self._update_actions()

    # -- what the application asks of the window --------------------------------------------

    def connect_and_open(self, session: ConnectionSession) -> None:
        """Connect `session`, then open the entity a sales-ops person wants first."""

        def opened() -> None:
            if session.state is ConnectionState.CONNECTING:
                return
            session.changed.disconnect(opened)
            entity = session.preferred_entity()
            if session.state is ConnectionState.CONNECTED and entity is not None:
                self.open_entity(session, entity)

        session.changed.connect(opened)
        self._follow(session)
        session.open()

    def open_entity(self, session: ConnectionSession, entity: EntityInfo) -> EntityBrowser:
        return self.tabs.open(session, entity)

    def show_exchange(self, exchange: Exchange) -> None:
        """The one place the window shows a raw exchange (an error's "Details…"): the
        inspector, brought forward with it selected."""
        self.inspector.show_exchange(exchange)

    def _open_related(self, browser: EntityBrowser, entity: str, record_id: str) -> None:
        """A related record (or an id naming another entity): its entity's tab, opened on it."""
        info = browser.session.entity(entity)
        if info is None:
            self.statusBar().showMessage(
                f"{browser.session.name} has no entity {entity!r} to open {record_id} in.", 8_000
            )
            return
        self.open_entity(browser.session, info).open_related(entity, record_id)

    def restore_tabs(self) -> int:
        """Reopen the tabs that were open when the window last closed; how many it asked for."""
        return restore_tabs(self, self._context.settings)

    def reopen_last_used(self) -> ConnectionSession | None:
        """Connect the connection used last time (saved ones only), as a user expects."""
        book = self._context.book
        session = self.sessions.get(book.last_used or "") if book is not None else None
        if session is not None:
            self.connect_and_open(session)
        return session

    # -- connections added, edited or deleted in the Connections dialog ---------------------

    def _profile_added(self, profile_id: str) -> None:
        self._add_session(self._session_of(self._context.connections.profile(profile_id)))

    def _session_of(self, profile: Profile) -> ConnectionSession:
        context = self._context
        return ConnectionSession(
            profile, context.connections, context.tasks, self, credentials=self.credentials
        )

    def _profile_edited(self, profile_id: str) -> None:
        session = self.sessions.get(profile_id)
        if session is None:
            return
        old, entities = session.profile, session.entities
        # Its tabs were made with the old address and credentials: close them. Their unsaved
        # changes stay pending; record editing says where they are and offers them again.
        closed = self._close_tabs_of(session)
        session.reset(self._context.connections.profile(profile_id))
        if session is self._followed:
            self._follow(session)
        self.editing.connection_changes.edited(session, old, entities, closed)

    def _profile_removed(self, profile_id: str) -> None:
        # Its columns, page sizes and remembered tabs go with it.
        self._context.settings.forget_connection(profile_id)
        session = self.sessions.pop(profile_id, None)
        if session is None:
            return
        self._close_tabs_of(session)
        # Its unsaved changes can no longer be sent: they go only when the person says so.
        self.editing.connection_changes.removed(session.id, session.name, session.entities)
        self.connections.remove(session)
        if session is self._followed:
            self._follow(None)
        session.deleteLater()

    def _close_tabs_of(self, session: ConnectionSession) -> list[str]:
        """Close the connection's tabs, its record forms too; the entities of its lists."""
        lists = [b.entity.name for b in self.tabs.browsers() if b.session is session]
        for page in self.tabs.pages():
            if getattr(page, "session", None) is session:
                self.tabs.close_tab(self.tabs.tabs.indexOf(page))
        return lists

    # -- wiring ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        act = self.main_actions
        file_menu = self.menuBar().addMenu("&File")
        if self.profiles is not None:
            file_menu.addAction(act[MainAction.CONNECTIONS])
            file_menu.addAction(act[MainAction.IMPORT_PROFILES])
            file_menu.addAction(act[MainAction.EXPORT_PROFILES])
            file_menu.addSeparator()
        file_menu.addAction(act[MainAction.EXPORT])
        file_menu.addAction(act[MainAction.CLOSE_TAB])
        file_menu.addSeparator()
        file_menu.addAction(act[MainAction.QUIT])
        edit_menu = self.menuBar().addMenu("&Edit")
        record_menu = self.menuBar().addMenu("&Record")
        view_menu = self.menuBar().addMenu("&View")
        for name in (MainAction.REFRESH, MainAction.FIND, MainAction.OPEN_BY_ID):
            view_menu.addAction(act[name])
        view_menu.addAction(act[MainAction.COLUMNS])
        view_menu.addSeparator()
        view_menu.addAction(self.connections_dock.toggleViewAction())
        view_menu.addAction(self.inspector.toggleViewAction())
        view_menu.addAction(self.inbox.toggleViewAction())
        self.editing.fill_menus(edit_menu, record_menu, view_menu)
        go_menu = self.menuBar().addMenu("&Go")
        for name in (
            MainAction.FIRST_PAGE,
            MainAction.PREVIOUS_PAGE,
            MainAction.NEXT_PAGE,
            MainAction.LAST_PAGE,
        ):
            go_menu.addAction(act[name])
        go_menu.addSeparator()
        go_menu.addAction(act[MainAction.NEXT_TAB])
        go_menu.addAction(act[MainAction.PREVIOUS_TAB])
        if self.sandbox is not None:
            # Loaded only in the demo: the sandbox's fault names come with the emulators.
            from crmdesk.ui.sandbox_menu import SandboxMenu

            self.sandbox_menu: SandboxMenu | None = SandboxMenu(
                self.menuBar(), self.sandbox, self._current_session, self._say
            )
            self.inbox.add_demo_menu(self.sandbox_menu, self.sandbox)
        else:
            self.sandbox_menu = None
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(act[MainAction.SHORTCUTS])
        help_menu.addAction(act[MainAction.ABOUT])

    def _wire(self) -> None:
        act = self.main_actions
        act[MainAction.QUIT].triggered.connect(self.close)
        act[MainAction.CLOSE_TAB].triggered.connect(self.tabs.close_current)
        act[MainAction.REFRESH].triggered.connect(lambda: self._on_browser(lambda b: b.refresh()))
        act[MainAction.FIRST_PAGE].triggered.connect(
            lambda: self._on_browser(lambda b: b.first_page())
        )
        act[MainAction.PREVIOUS_PAGE].triggered.connect(
            lambda: self._on_browser(lambda b: b.previous_page())
        )
        act[MainAction.NEXT_PAGE].triggered.connect(
            lambda: self._on_browser(lambda b: b.next_page())
        )
        act[MainAction.LAST_PAGE].triggered.connect(
            lambda: self._on_browser(lambda b: b.last_page())
        )
        act[MainAction.EXPORT].triggered.connect(lambda: self._on_browser(_ask_export))
        act[MainAction.FIND].triggered.connect(
            lambda: self._on_browser(lambda b: b.filters.focus_filter())
        )
        act[MainAction.OPEN_BY_ID].triggered.connect(
            lambda: self._on_browser(lambda b: b.filters.focus_find())
        )
        act[MainAction.COLUMNS].triggered.connect(lambda: self._on_browser(_choose_columns))
        act[MainAction.NEXT_TAB].triggered.connect(lambda: self.tabs.step(1))
        act[MainAction.PREVIOUS_TAB].triggered.connect(lambda: self.tabs.step(-1))
        act[MainAction.SHORTCUTS].triggered.connect(self.show_shortcuts)
        act[MainAction.ABOUT].triggered.connect(self.show_about)
        if self.profiles is not None:
            controls = self.profiles
            act[MainAction.CONNECTIONS].triggered.connect(lambda: controls.open_manager())
            act[MainAction.IMPORT_PROFILES].triggered.connect(controls.ask_import)
            act[MainAction.EXPORT_PROFILES].triggered.connect(controls.ask_export)
            controls.signals.added.connect(self._profile_added)
            controls.signals.edited.connect(self._profile_edited)
            controls.signals.removed.connect(self._profile_removed)
        self.connections.entityActivated.connect(self.open_entity)
        self.tabs.currentBrowserChanged.connect(self._current_browser_changed)
        self.tabs.navigationChanged.connect(self._update_actions)
        self.tabs.said.connect(self._say)
        self.tabs.relatedRequested.connect(self._open_related)

    def _add_session(self, session: ConnectionSession) -> None:
        self.sessions[session.id] = session
        self.connections.add(session)
        session.changed.connect(lambda: self._session_changed(session))

    def _on_browser(self, method: Callable[[EntityBrowser], None]) -> None:
        browser = self.tabs.current()
        if browser is not None:
            method(browser)

    def _current_browser_changed(self, browser: EntityBrowser | None) -> None:
        if browser is not None:
            self._follow(browser.session)
            self.connections.select(browser.session, browser.entity.name)
        else:
            self._follow(self._followed)
        self._update_actions()

    def _session_changed(self, session: ConnectionSession) -> None:
        if session is self._followed:
            self.status.follow(session)
        book = self._context.book
        if book is not None and session.state is ConnectionState.CONNECTED:
            self._context.tasks.start(
                Op(lambda: book.remember_last_used(session.id), name="remember last used")
            )

    def _follow(self, session: ConnectionSession | None) -> None:
        self._followed = session
        self.status.follow(session)
        profile = session.profile if session is not None else None
        self.band.follow(profile)
        browser = self.tabs.current()
        self.setWindowTitle(title_words(profile, browser.title if browser is not None else None))
        self.editing.update()

    def _update_actions(self) -> None:
        browser = self.tabs.current()
        act = self.main_actions
        for name in (
            MainAction.REFRESH,
            MainAction.CLOSE_TAB,
            MainAction.EXPORT,
            MainAction.FIND,
            MainAction.OPEN_BY_ID,
            MainAction.COLUMNS,
        ):
            act[name].setEnabled(browser is not None)
        several = self.tabs.tabs.count() > 1
        act[MainAction.NEXT_TAB].setEnabled(several)
        act[MainAction.PREVIOUS_TAB].setEnabled(several)
        back = browser is not None and browser.can_go_back
        act[MainAction.FIRST_PAGE].setEnabled(back)
        act[MainAction.PREVIOUS_PAGE].setEnabled(back)
        act[MainAction.NEXT_PAGE].setEnabled(browser is not None and browser.can_go_forward)
        act[MainAction.LAST_PAGE].setEnabled(browser is not None and browser.can_go_last)

    def show_shortcuts(self) -> QDialog:
        dialog = ShortcutsDialog(self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def show_about(self) -> QMessageBox:
        box = about_box(self)
        box.finished.connect(box.deleteLater)
        box.open()
        return box

    def _current_session(self) -> ConnectionSession | None:
        browser = self.tabs.current()
        return browser.session if browser is not None else self._followed

    def _say(self, words: str) -> None:
        self.statusBar().showMessage(words, 10_000)

    def _centre(self) -> QWidget:
        """Banners and the band above the tabs: what the user must not miss comes first."""
        bars = self.profiles.bars if self.profiles is not None else []
        return _column([*bars, self.problems, self.band, self.tabs])

    def _close_if_allowed(self, allowed: bool) -> None:
        if allowed:
            self._may_close = True
            self.close()

    # -- layout kept between runs ---------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = self._context.settings
        geometry = settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(*_fitting(DEFAULT_SIZE, self.screen().availableGeometry().size()))
            self.resizeDocks([self.connections_dock], [260], Qt.Orientation.Horizontal)
            # Room for a reply's body beside the list of calls, the records still in view.
            self.resizeDocks([self.inspector], [self.height() * 2 // 5], Qt.Orientation.Vertical)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Overrides QWidget.closeEvent: with unsaved changes, ask first (and stay open until
        the answer lets it close); then keep the layout and the open tabs, stop loading and
        say we closed."""
        if not self._may_close and self.editing.pending.unsaved():
            event.ignore()
            self._context.tasks.start(
                Op(self.editing.ask_before_quitting, name="ask before quitting").success(
                    self._close_if_allowed
                )
            )
            return
        self.editing.close()
        settings = self._context.settings
        settings.save_window(self.saveGeometry(), self.saveState())
        settings.save_open_tabs([browser.key for browser in self.tabs.browsers()])
        current = self.tabs.current()
        settings.save_current_tab(current.key if current is not None else None)
        self.tabs.save_all()
        self.tabs.stop_all()
        # Stop listening to the connection's governor: it outlives this window.
        self.status.follow(None)
        self._context.settings.sync()
        event.accept()
        self.closed.emit()


def _fitting(wanted: tuple[int, int], screen: QSize) -> tuple[int, int]:
    """The default size, or the screen's (less a margin for the frame) when that is smaller."""
    return (min(wanted[0], screen.width() - 16), min(wanted[1], screen.height() - 40))


def _ask_export(browser: EntityBrowser) -> None:
    browser.exporter.ask()


def _choose_columns(browser: EntityBrowser) -> None:
    browser.choose_columns()


def _column(widgets: list[QWidget]) -> QWidget:
    box = QWidget()
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    for widget in widgets:
        column.addWidget(widget, 1 if isinstance(widget, EntityTabs) else 0)
    return box


def _dock(title: str, name: str, content: QWidget, parent: QMainWindow) -> QDockWidget:
    dock = QDockWidget(title, parent)
    dock.setObjectName(name)
    dock.setAllowedAreas(_DOCK_AREAS)
    dock.setWidget(content)
    return dock
