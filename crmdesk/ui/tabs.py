"""EntityTabs: the entity browsers in the middle of the window, one tab per connection + entity."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QWidget

from crmdesk.api import EntityInfo
from crmdesk.ui.browser.menus import BrowserMenus
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.settings import UiSettings
from crmdesk.ui.tasks import Op, TaskRunner

if TYPE_CHECKING:
    # The browser loads with the first tab opened, not at start-up.
    from crmdesk.ui.browser import EntityBrowser

NO_TABS_TEXT = "Open an entity from Connections on the left to browse its records."


class EntityTabs(QStackedWidget):
    """Closable tabs of browsers, or a sentence saying how to open one.

    `menus` holds the right-click menu contributors every browser of the window shares.
    """

    currentBrowserChanged = Signal(object)  # EntityBrowser | None
    pageShown = Signal(object)  # EntityBrowser
    loadFailed = Signal(object, object)  # EntityBrowser, ApiError
    navigationChanged = Signal()
    said = Signal(str)  # a sentence for the status bar
    relatedRequested = Signal(object, str, str)  # EntityBrowser, entity, record id

    def __init__(self, tasks: TaskRunner, settings: UiSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self._tasks = tasks
        self._settings = settings
        # Record editing plugs in here: it attaches to each new browser, and a tab with
        # unsaved changes asks before it closes (None: it closes at once).
        self.on_browser_opened: list[Callable[[EntityBrowser], None]] = []
        self.ask_before_closing: Callable[[QWidget], Awaitable[bool]] | None = None
        self.has_unsaved: Callable[[QWidget], bool] = lambda _widget: True
        self.menus = BrowserMenus(standard=True)
        self.tabs = QTabWidget(self)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.ask_and_close)
        self.tabs.currentChanged.connect(self._current_changed)
        self.placeholder = QLabel(NO_TABS_TEXT, self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setStyleSheet("color: palette(mid); font-size: 13pt;")
        self.addWidget(self.placeholder)
        self.addWidget(self.tabs)

    def browsers(self) -> list[EntityBrowser]:
        return [b for b in (self._browser_at(i) for i in range(self.tabs.count())) if b is not None]

    def current(self) -> EntityBrowser | None:
        return self._browser_at(self.tabs.currentIndex())

    def _browser_at(self, index: int) -> EntityBrowser | None:
        if index < 0 or index >= self.tabs.count():
            return None
        from crmdesk.ui.browser import EntityBrowser  # loaded by the first tab already

        widget = self.tabs.widget(index)
        return widget if isinstance(widget, EntityBrowser) else None

    def open(self, session: ConnectionSession, entity: EntityInfo) -> EntityBrowser:
        """Focus the tab of this connection's entity, opening it (and its first page) if new."""
        for browser in self.browsers():
            if browser.key == (session.id, entity.name):
                self.tabs.setCurrentWidget(browser)
                return browser
        from crmdesk.ui.browser import EntityBrowser

        browser = EntityBrowser(
            session, entity, self._tasks, self._settings, self.tabs, menus=self.menus
        )
        browser.pageShown.connect(lambda _page: self.pageShown.emit(browser))
        browser.loadFailed.connect(lambda error: self.loadFailed.emit(browser, error))
        browser.navigationChanged.connect(self.navigationChanged)
        for attach in self.on_browser_opened:
            attach(browser)
        browser.said.connect(self.said)
        browser.relatedRequested.connect(
            lambda name, record_id: self.relatedRequested.emit(browser, name, record_id)
        )
        index = self.tabs.addTab(browser, entity.label)
        self.tabs.setTabToolTip(index, f"{entity.label} of {session.name}")
        self._retitle()
        self.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(index)
        browser.start()
        return browser

    def add_page(self, widget: QWidget, title: str, tip: str) -> None:
        """A tab that is not a browser (a record's form), shown in front."""
        index = self.tabs.addTab(widget, title)
        self.tabs.setTabToolTip(index, tip)
        self.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(index)

    def pages(self) -> list[QWidget]:
        widgets = (self.tabs.widget(index) for index in range(self.tabs.count()))
        return [widget for widget in widgets if widget is not None]

    def ask_and_close(self, index: int) -> None:
        """The tab's ✕ or Ctrl+W: close it, after asking when it holds unsaved changes."""
        widget = self.tabs.widget(index)
        ask = self.ask_before_closing
        if widget is None or ask is None or not self.has_unsaved(widget):
            self.close_tab(index)
            return
        self._tasks.start(
            Op(lambda: ask(widget), name="ask before closing a tab").success(
                lambda close: self.close_tab(self.tabs.indexOf(widget)) if close else None
            )
        )

    def step(self, by: int) -> None:
        """Ctrl+Tab and Ctrl+Shift+Tab: the next or previous tab, round the end."""
        count = self.tabs.count()
        if count > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + by) % count)

    def close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is None:
            return
        browser = self._browser_at(index)
        if browser is not None:
            browser.save_state()
            browser.stop()
        self.tabs.removeTab(index)
        widget.deleteLater()
        self._retitle()
        if self.tabs.count() == 0:
            self.setCurrentWidget(self.placeholder)

    def close_current(self) -> None:
        if self.tabs.currentIndex() >= 0:
            self.ask_and_close(self.tabs.currentIndex())

    def save_all(self) -> None:
        for browser in self.browsers():
            browser.save_state()

    def stop_all(self) -> None:
        for browser in self.browsers():
            browser.stop()

    def _retitle(self) -> None:
        """Name a tab by its entity alone, or with its connection while another shares the name."""
        browsers = self.browsers()
        labels = [browser.entity.label for browser in browsers]
        for browser in browsers:
            shared = labels.count(browser.entity.label) > 1
            text = browser.title if shared else browser.entity.label
            self.tabs.setTabText(self.tabs.indexOf(browser), text)

    def _current_changed(self, _index: int) -> None:
        self.currentBrowserChanged.emit(self.current())
