"""MainWindow: connections on the left, entity tabs in the middle, the status bar below.

Thin on purpose: it composes the typed parts (ConnectionsPane, EntityTabs, StatusLine,
MainActions) and connects them; the behaviour lives in those parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QVBoxLayout, QWidget

from crmdesk.api import EntityInfo, Exchange
from crmdesk.ui.actions import MainAction, MainActions
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.connections_pane import ConnectionsPane
from crmdesk.ui.context import UiContext
from crmdesk.ui.editing.window import RecordEditing
from crmdesk.ui.exchange_view import ExchangeWindow
from crmdesk.ui.inbox import InboxDock
from crmdesk.ui.problems import ProblemBar
from crmdesk.ui.profiles.banners import ProductionBand, title_words
from crmdesk.ui.profiles.window import ProfileControls
from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.status_bar import StatusLine
from crmdesk.ui.tabs import EntityTabs
from crmdesk.ui.tasks import Op

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
        self.connections_dock = _dock("Connections", "connectionsDock", self.connections, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.connections_dock)
        self.tabs = EntityTabs(context.tasks, context.settings, self)
        self.band = ProductionBand(self)
        self.problems = ProblemBar(self.show_exchange, self)
        self.exchange_window: ExchangeWindow | None = None
        context.tasks.report_api_error = self.problems.report
        self.profiles = (
            ProfileControls(context.profile_signals, context.tasks, self)
            if context.profile_signals is not None
            else None
        )
        self.setCentralWidget(self._centre())
        self.status = StatusLine(self.statusBar())
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
        for profile in context.connections.profiles:
            self._add_session(ConnectionSession(profile, context.connections, context.tasks, self))
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
        """The one place the window shows a raw exchange (an error's "Details…")."""
        if self.exchange_window is not None:
            self.exchange_window.close()
        window = ExchangeWindow(exchange, self)
        window.destroyed.connect(lambda: setattr(self, "exchange_window", None))
        self.exchange_window = window
        window.show()

    def reopen_last_used(self) -> ConnectionSession | None:
        """Connect the connection used last time (saved ones only), as a user expects."""
        book = self._context.book
        session = self.sessions.get(book.last_used or "") if book is not None else None
        if session is not None:
            self.connect_and_open(session)
        return session

    # -- connections added, edited or deleted in the Connections dialog ---------------------

    def _profile_added(self, profile_id: str) -> None:
        profile = self._context.connections.profile(profile_id)
        self._add_session(
            ConnectionSession(profile, self._context.connections, self._context.tasks, self)
        )

    def _profile_edited(self, profile_id: str) -> None:
        session = self.sessions.get(profile_id)
        if session is None:
            return
        # Its tabs were made with the old address and credentials: close them.
        self._close_tabs_of(session)
        session.reset(self._context.connections.profile(profile_id))
        if session is self._followed:
            self._follow(session)

    def _profile_removed(self, profile_id: str) -> None:
        session = self.sessions.pop(profile_id, None)
        if session is None:
            return
        self._close_tabs_of(session)
        self.connections.remove(session)
        if session is self._followed:
            self._follow(None)
        session.deleteLater()

    def _close_tabs_of(self, session: ConnectionSession) -> None:
        for browser in self.tabs.browsers():
            if browser.session is session:
                self.tabs.close_tab(self.tabs.tabs.indexOf(browser))

    # -- wiring ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        act = self.main_actions
        file_menu = self.menuBar().addMenu("&File")
        if self.profiles is not None:
            file_menu.addAction(act[MainAction.CONNECTIONS])
            file_menu.addAction(act[MainAction.IMPORT_PROFILES])
            file_menu.addAction(act[MainAction.EXPORT_PROFILES])
            file_menu.addSeparator()
        file_menu.addAction(act[MainAction.CLOSE_TAB])
        file_menu.addSeparator()
        file_menu.addAction(act[MainAction.QUIT])
        edit_menu = self.menuBar().addMenu("&Edit")
        record_menu = self.menuBar().addMenu("&Record")
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(act[MainAction.REFRESH])
        view_menu.addSeparator()
        view_menu.addAction(self.connections_dock.toggleViewAction())
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
        if self.sandbox is not None:
            self.inbox.add_demo_menu(self.menuBar(), self.sandbox)

    def _wire(self) -> None:
        act = self.main_actions
        act[MainAction.QUIT].triggered.connect(self.close)
        act[MainAction.CLOSE_TAB].triggered.connect(self.tabs.close_current)
        act[MainAction.REFRESH].triggered.connect(lambda: self._on_browser(EntityBrowser.refresh))
        act[MainAction.FIRST_PAGE].triggered.connect(
            lambda: self._on_browser(EntityBrowser.first_page)
        )
        act[MainAction.PREVIOUS_PAGE].triggered.connect(
            lambda: self._on_browser(EntityBrowser.previous_page)
        )
        act[MainAction.NEXT_PAGE].triggered.connect(
            lambda: self._on_browser(EntityBrowser.next_page)
        )
        act[MainAction.LAST_PAGE].triggered.connect(
            lambda: self._on_browser(EntityBrowser.last_page)
        )
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
        act[MainAction.REFRESH].setEnabled(browser is not None)
        act[MainAction.CLOSE_TAB].setEnabled(browser is not None)
        back = browser is not None and browser.can_go_back
        act[MainAction.FIRST_PAGE].setEnabled(back)
        act[MainAction.PREVIOUS_PAGE].setEnabled(back)
        act[MainAction.NEXT_PAGE].setEnabled(browser is not None and browser.can_go_forward)
        act[MainAction.LAST_PAGE].setEnabled(browser is not None and browser.can_go_last)

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
            self.resize(*DEFAULT_SIZE)
            self.resizeDocks([self.connections_dock], [300], Qt.Orientation.Horizontal)
        state = settings.window_state()
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Overrides QWidget.closeEvent: with unsaved changes, ask first (and stay open until
        the answer lets it close); then keep the layout, stop loading and say we closed."""
        if not self._may_close and self.editing.pending.unsaved():
            event.ignore()
            self._context.tasks.start(
                Op(self.editing.ask_before_quitting, name="ask before quitting").success(
                    self._close_if_allowed
                )
            )
            return
        self.editing.close()
        self._context.settings.save_window(self.saveGeometry(), self.saveState())
        self.tabs.save_all()
        self.tabs.stop_all()
        # Stop listening to the connection's governor: it outlives this window.
        self.status.follow(None)
        self._context.settings.sync()
        event.accept()
        self.closed.emit()


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
