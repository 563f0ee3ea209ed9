"""InboxDock: the live notification inbox of the main window (issue 12, item 4).

A list of what the connections' servers pushed (received at, connection, type, summary),
unread in bold and counted on the dock's title and the tray icon, filters, the selected
message whole, mark read and unread, "Open related record", and where each connection's
server must send (its address, copy, what the listener last saw, how to reach it from
outside). The list is `InboxModel` over the store; this module wires it to the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMenu,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.desk import Notifications
from crmdesk.inbox import InboxChange, InboxQuery, StoredMessage
from crmdesk.ui.context import UiContext
from crmdesk.ui.inbox.addresses import (
    ListenerAddresses,
    NotificationAddresses,
)
from crmdesk.ui.inbox.details import MessageDetails
from crmdesk.ui.inbox.filters import InboxFilters
from crmdesk.ui.inbox.message_list import MessageList
from crmdesk.ui.inbox.model import InboxModel
from crmdesk.ui.inbox.related import RelatedRecords
from crmdesk.ui.inbox.settings_flow import InboxSettings
from crmdesk.ui.inbox.store_ops import StoreOps
from crmdesk.ui.inbox.tray import InboxTray
from crmdesk.ui.session import ConnectionSession

if TYPE_CHECKING:
    from crmdesk.ui.inbox.demo_menu import NotificationBursts
    from crmdesk.ui.main_window import MainWindow
    from crmdesk.ui.sandbox_menu import SandboxMenu

T = TypeVar("T")
CHOICES_MS = 3000  # the filters' connection and type lists follow the store this often
STATE_MS = 1000  # the title's listener words and the addresses page, while shown
NOT_KEPT = "The notification inbox could not be opened this session (see the log file)."


class InboxDock(QDockWidget):
    """The inbox dock. `InboxDock.attach(window, context)` makes it and docks it."""

    def __init__(
        self,
        context: UiContext,
        related: RelatedRecords,
        say: Callable[[str], None],
        current_session: Callable[[], ConnectionSession | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Inbox", parent)
        self.setObjectName("inboxDock")
        self._context = context
        self._say = say
        self._current_session = current_session
        self.related = related
        self.notifications: Notifications | None = context.desk.notifications
        self.bursts: NotificationBursts | None = None
        self.pages = QTabWidget(self)
        self.pages.setObjectName("inboxPages")
        self.pages.setDocumentMode(True)
        self.addresses = ListenerAddresses(self)
        self.addresses.copied.connect(lambda url: self._say(f"Copied {url}"))
        self.filters = InboxFilters(self)
        self.details = MessageDetails(self, calls=related.can_show_calls)
        self.view: MessageList | None = None
        desktop = notifications_on(self.notifications)
        self.tray = InboxTray(self, enabled=desktop)
        self.ops = StoreOps(context.desk, context.tasks, say)
        self.settings = InboxSettings(
            self.notifications,
            self.tray,
            self.filters.desktop_notifications,
            self.ops,
            say,
            self,
        )
        self.settings.saved.append(self._settings_saved)
        self.addresses.settingsWanted.connect(lambda: self.settings.ask_listener_settings())
        self.tray.activated.connect(self.bring_forward)
        self._arrived: list[int] = []
        self._unsubscribe: Callable[[], None] = lambda: None
        notifications = self.notifications
        if notifications is None:
            self.model: InboxModel | None = None
            self.pages.addTab(_words(NOT_KEPT, self), "Messages")
        else:
            self.model = InboxModel(notifications.store, context.tasks, self)
            self.pages.addTab(self._messages_page(self.model), "Messages")
            unsubscribe = notifications.store.subscribe(self._store_changed)
            self._unsubscribe = unsubscribe
            self.destroyed.connect(lambda *_args: unsubscribe())
        self.pages.addTab(self.addresses, "Where to send notifications")
        self.pages.currentChanged.connect(lambda _index: self.show_state())
        self.setWidget(self.pages)
        self.visibilityChanged.connect(self._visibility_changed)
        self._choices_stale = True
        self._timer = QTimer(self)
        self._timer.setInterval(STATE_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._ticks = 0
        self.show_state()
        if self.model is not None:
            QTimer.singleShot(0, lambda: self.model.refresh() if self.model is not None else None)

    @classmethod
    def attach(cls, window: MainWindow, context: UiContext) -> InboxDock:
        """Make the inbox dock of `window`, at the bottom, tabbed behind any dock there."""

        def say(words: str) -> None:
            window.statusBar().showMessage(words, 10_000)

        related = RelatedRecords(
            window.sessions, window.editing, say, window, follow=window.inspector.follow_record
        )
        dock = cls(context, related, say, lambda: _current_session(window), window)
        if window.profiles is not None and dock.notifications is not None:
            window.profiles.addresses = NotificationAddresses(dock.notifications)
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        window.addDockWidget(bottom, dock)
        window.closed.connect(dock.stop)
        # A strip below the tabs, not half the window (a saved layout replaces it).
        window.resizeDocks([dock], [270], Qt.Orientation.Vertical)
        for other in window.findChildren(QDockWidget):
            if other is not dock and window.dockWidgetArea(other) == bottom:
                window.tabifyDockWidget(other, dock)
                other.raise_()  # the inbox behind the inspector, as in the sketch
                break
        return dock

    def stop(self) -> None:
        """The window closed: no more queries or notices (the Desk closes the store next)."""
        self._timer.stop()
        self._unsubscribe()
        self.tray.hide()
        if self.model is not None:
            self.model.stop()

    def add_demo_menu(self, menu: SandboxMenu, sandbox: Any) -> None:
        """The demo's "Push a burst of notifications", in its Sandbox menu."""
        from crmdesk.ui.inbox.demo_menu import NotificationBursts

        self.bursts = NotificationBursts(
            sandbox,
            self.notifications,
            lambda: list(self._context.connections.profiles),
            self._current_session,
            self._say,
        )
        self.bursts.add_to(menu)

    # -- the messages page --------------------------------------------------------------------

    def _messages_page(self, model: InboxModel) -> QWidget:
        view = self.view = MessageList(model, self)
        view.customContextMenuRequested.connect(self._context_menu)
        view.selectionModel().selectionChanged.connect(lambda *_args: self._selected())
        model.refreshed.connect(self._refreshed)
        model.modelReset.connect(self._reselect)
        self.filters.changed.connect(self._filter)
        self.filters.mark_all.clicked.connect(self.mark_all_read)
        self.filters.retention.triggered.connect(lambda: self.settings.ask_retention())
        self.filters.listener_settings.triggered.connect(
            lambda: self.settings.ask_listener_settings()
        )
        self.details.readWanted.connect(self.mark_selected)
        self.details.openRecordWanted.connect(self.related.open)
        self.details.callsWanted.connect(self.related.show_calls)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([720, 480])  # in proportion; kept whatever the details show
        page = QWidget(self)
        column = QVBoxLayout(page)
        column.setContentsMargins(4, 4, 4, 0)
        column.addWidget(self.filters)
        column.addWidget(split, 1)
        return page

    def _filter(self, query: InboxQuery) -> None:
        if self.model is not None:
            self.model.set_query(query)

    def selected_messages(self) -> list[StoredMessage]:
        return self.view.selected_messages() if self.view is not None else []

    def _selected(self) -> None:
        chosen = self.selected_messages()
        if len(chosen) == 1:
            message = chosen[0]
            self.details.show_message(message)
            if not message.read:
                self._mark([message], True)  # seen whole: read, as a mail client does
        elif chosen:
            self.details.show_many(len(chosen), sum(not m.read for m in chosen))
        elif self.details.message is None:
            self.details.show_nothing()

    def _refreshed(self, added: int) -> None:
        if self.view is not None:
            self.view.keep_place(added)
        shown = self.details.message
        if shown is not None and self.model is not None:
            row = self.model.row_of_id(shown.id)
            fresh = self.model.message_at(row) if row is not None else None
            if fresh is not None and fresh != shown:
                self.details.show_message(fresh)
        self.show_state()

    def _reselect(self) -> None:
        shown = self.details.message
        if shown is not None and self.view is not None:
            self.view.select_message(shown.id)

    # -- read, unread, all read -----------------------------------------------------------------

    def mark_selected(self, read: bool) -> None:
        self._mark(self.selected_messages() or _one(self.details.message), read)

    def _mark(self, messages: list[StoredMessage], read: bool) -> None:
        notifications = self.notifications
        if notifications is None or self.model is None or not messages:
            return
        ids = {message.id for message in messages}
        self.model.set_read_locally(ids, read)
        shown = self.details.message
        if shown is not None and shown.id in ids:
            self.details.show_message(replace(shown, read=read))
        self.ops.run(lambda: notifications.store.mark_read(sorted(ids), read), "mark messages read")

    def mark_all_read(self) -> None:
        notifications = self.notifications
        if notifications is None:
            return
        query = self.filters.query()
        self.ops.run(
            lambda: notifications.store.mark_all_read(query),
            "mark every message read",
            lambda count: self._say(f"Marked {count:,} message{'s' if count != 1 else ''} read."),
        )

    def _context_menu(self, at: QPoint) -> None:
        chosen = self.selected_messages()
        if not chosen:
            return
        assert self.view is not None
        menu = QMenu(self.view)
        menu.addAction("Mark read", lambda: self._mark(chosen, True))
        menu.addAction("Mark unread", lambda: self._mark(chosen, False))
        if len(chosen) == 1 and chosen[0].link is not None:
            menu.addSeparator()
            menu.addAction("Open related record", lambda: self.related.open(chosen[0]))
            if self.related.can_show_calls:
                menu.addAction(
                    "Its calls in the inspector", lambda: self.related.show_calls(chosen[0])
                )
        menu.popup(self.view.viewport().mapToGlobal(at))

    # -- live: the store's changes, the title, the tray ----------------------------------------

    def _store_changed(self, change: InboxChange) -> None:
        if self.model is not None:
            self.model.store_changed(change)
        if change.added:
            self._arrived.extend(change.added)
            self._choices_stale = True

    def _visibility_changed(self, visible: bool) -> None:
        if self.model is not None:
            self.model.set_live(visible)
        if visible:
            self.show_state()

    def _tick(self) -> None:
        self._ticks += 1
        self.show_state()
        self._tell_desktop()
        if self._choices_stale and self._ticks % (CHOICES_MS // STATE_MS) == 0:
            self._update_choices()

    def show_state(self) -> None:
        """The title's count and listener words, the tray's badge, the addresses page."""
        notifications = self.notifications
        if notifications is None:
            self.setWindowTitle("Inbox (not kept this session)")
            return
        unread = notifications.store.unread
        self.setWindowTitle(f"Inbox ({unread:,} unread) — {_short_listening(notifications)}")
        self.tray.set_unread(unread)
        if self.isVisible() and self.pages.currentWidget() is self.addresses:
            self.addresses.show_state(notifications, list(self._context.connections.profiles))

    def _tell_desktop(self) -> None:
        arrived, self._arrived = self._arrived, []
        notifications = self.notifications
        if not arrived or notifications is None:
            return
        if not self.tray.shows_news:
            self.tray.arrived(len(arrived), "", "")  # nothing to show: no summary needed
            return

        def tell(latest: list[StoredMessage]) -> None:
            summary, where = (latest[0].summary, latest[0].connection_name) if latest else ("", "")
            self.tray.arrived(len(arrived), summary, where)

        self.ops.run(lambda: notifications.store.get(arrived[-1:]), "read the latest message", tell)

    def _update_choices(self) -> None:
        notifications = self.notifications
        if notifications is None:
            return
        self._choices_stale = False
        store = notifications.store

        async def choices() -> tuple[Any, list[str]]:
            return await store.connections(), await store.types()

        self.ops.run(
            choices,
            "list the inbox's connections and types",
            lambda found: self.filters.set_choices(*found),
        )

    def _settings_saved(self) -> None:
        if self.bursts is not None:
            self.bursts.register_all()  # the demo's servers: the listener may have moved
        self.show_state()

    def bring_forward(self) -> None:
        window = self.window()
        window.showNormal()
        window.raise_()
        window.activateWindow()
        self.show()
        self.raise_()


def notifications_on(notifications: Notifications | None) -> bool:
    return notifications.settings.desktop_notifications if notifications is not None else False


def _current_session(window: MainWindow) -> ConnectionSession | None:
    browser = window.tabs.current()
    if browser is not None:
        return browser.session
    form = window.editing.current_form()
    return form.session if form is not None else None


def _short_listening(notifications: Notifications) -> str:
    listener = notifications.listener
    if listener is not None and listener.running:
        return f"listening on {listener.host}:{listener.port}"
    return "not listening: the port is taken" if notifications.problem else "not listening yet"


def _one(message: StoredMessage | None) -> list[StoredMessage]:
    return [message] if message is not None else []


def _words(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
