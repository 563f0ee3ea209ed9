"""MainWindow: connections on the left, entity tabs in the middle, the status bar below.

Thin on purpose: it composes the typed parts (ConnectionsPane, EntityTabs, StatusLine,
MainActions) and connects them; the behaviour lives in those parts.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from crmdesk.api import EntityInfo
from crmdesk.ui.actions import MainAction, MainActions
from crmdesk.ui.browser import EntityBrowser
from crmdesk.ui.connections_pane import ConnectionsPane
from crmdesk.ui.context import UiContext
from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.status_bar import StatusLine
from crmdesk.ui.tabs import EntityTabs

DEFAULT_SIZE = (1440, 900)
_DOCK_AREAS = (
    Qt.DockWidgetArea.LeftDockWidgetArea
    | Qt.DockWidgetArea.RightDockWidgetArea
    | Qt.DockWidgetArea.BottomDockWidgetArea
)


class MainWindow(QMainWindow):
    """The one main window. `closed` fires when the user closes it: time to shut down."""

    closed = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("crmdesk")
        self.setDockNestingEnabled(True)
        self._context = context
        self.main_actions = MainActions(self)
        self.connections = ConnectionsPane(self)
        self.connections_dock = _dock("Connections", "connectionsDock", self.connections, self)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.connections_dock)
        self.tabs = EntityTabs(context.tasks, context.settings, self)
        self.setCentralWidget(self.tabs)
        self.status = StatusLine(self.statusBar())
        self.sessions: dict[str, ConnectionSession] = {}
        self._followed: ConnectionSession | None = None
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

    # -- wiring ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        act = self.main_actions
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(act[MainAction.CLOSE_TAB])
        file_menu.addSeparator()
        file_menu.addAction(act[MainAction.QUIT])
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(act[MainAction.REFRESH])
        view_menu.addSeparator()
        view_menu.addAction(self.connections_dock.toggleViewAction())
        go_menu = self.menuBar().addMenu("&Go")
        for name in (
            MainAction.FIRST_PAGE,
            MainAction.PREVIOUS_PAGE,
            MainAction.NEXT_PAGE,
            MainAction.LAST_PAGE,
        ):
            go_menu.addAction(act[name])

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
            self.setWindowTitle(f"{browser.title} — crmdesk")
        else:
            self.setWindowTitle("crmdesk")
        self._update_actions()

    def _session_changed(self, session: ConnectionSession) -> None:
        if session is self._followed:
            self.status.follow(session)

    def _follow(self, session: ConnectionSession | None) -> None:
        self._followed = session
        self.status.follow(session)

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
        """Overrides QWidget.closeEvent: keep the layout, stop loading, then say we closed."""
        self._context.settings.save_window(self.saveGeometry(), self.saveState())
        self.tabs.save_all()
        self.tabs.stop_all()
        # Stop listening to the connection's governor: it outlives this window.
        self.status.follow(None)
        self._context.settings.sync()
        event.accept()
        self.closed.emit()


def _dock(title: str, name: str, content: QWidget, parent: QMainWindow) -> QDockWidget:
    dock = QDockWidget(title, parent)
    dock.setObjectName(name)
    dock.setAllowedAreas(_DOCK_AREAS)
    dock.setWidget(content)
    return dock
