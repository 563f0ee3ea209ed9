"""InspectorTools: what the inspector does with calls. Copy them as commands, export them as
HAR, import HAR files and curl commands, edit and send them again, compare two, and set how
much history is kept. The buttons under the list, the list's menu and the details' buttons
all come here, so each thing is done one way."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMenu, QPushButton, QSizePolicy, QToolButton, QWidget

from crmdesk.api import Exchange
from crmdesk.history import ImportedEntry, replay_request
from crmdesk.ui.context import UiContext
from crmdesk.ui.inspector.details import ExchangeDetails
from crmdesk.ui.inspector.rows import Row
from crmdesk.ui.inspector.share import (
    CurlDialog,
    Format,
    open_dialog,
    open_har,
    save_dialog,
    texts_for,
    write_har,
)
from crmdesk.ui.tasks import Op

if TYPE_CHECKING:
    # Loaded when first used, not at start-up (the window opens without them).
    from crmdesk.ui.inspector.compare import CompareWindow
    from crmdesk.ui.inspector.dock import InspectorDock
    from crmdesk.ui.inspector.replay import ReplayEditor
    from crmdesk.ui.inspector.settings_dialog import HistorySettingsDialog


class InspectorTools:
    """Owned by the dock; `buttons()` go under its list."""

    def __init__(self, dock: InspectorDock, context: UiContext) -> None:
        self._dock = dock
        self._context = context
        self._tasks = context.tasks
        self.notice = QLabel(dock)
        self.notice.setObjectName("inspectorNotice")
        # Long words must not push the details aside: the whole text is in the tooltip.
        self.notice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.import_button = QToolButton(dock)
        self.import_button.setObjectName("importCalls")
        self.import_button.setText("Import")
        self.import_button.setToolTip("Bring in a HAR file or a curl command to look at and replay")
        self.import_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.import_button)
        menu.addAction("HAR file…", self.ask_import_har)
        menu.addAction("curl command…", self.paste_curl)
        self.import_button.setMenu(menu)
        self.export_button = QPushButton("Export HAR…", dock)
        self.export_button.setObjectName("exportHar")
        self.export_button.setToolTip("Save the selected calls as a HAR file (secrets redacted)")
        self.export_button.clicked.connect(self.ask_export)
        self.compare_button = QPushButton("Compare", dock)
        self.compare_button.setObjectName("compareCalls")
        self.compare_button.setToolTip("Select two calls to see how they differ")
        self.compare_button.clicked.connect(self.compare_selected)
        self.settings_button = QPushButton("History…", dock)
        self.settings_button.setObjectName("historySettings")
        self.settings_button.setToolTip("How much history is kept, and how much there is")
        self.settings_button.clicked.connect(self.open_settings)
        self.compare_window: CompareWindow | None = None
        self.editor: ReplayEditor | None = None
        self.settings: HistorySettingsDialog | None = None
        self.curl_dialog: CurlDialog | None = None
        self.file_dialog: QWidget | None = None
        self.update(0)

    def buttons(self) -> list[QWidget]:
        return [
            self.notice,
            self.import_button,
            self.export_button,
            self.compare_button,
            self.settings_button,
        ]

    def update(self, selected: int) -> None:
        self.export_button.setEnabled(selected > 0)
        self.compare_button.setEnabled(selected == 2)

    def fill_menu(self, menu: QMenu) -> None:
        """The list's right-click menu, for the selected calls."""
        count = len(self._dock.selected_rows())
        for fmt in Format:
            action = menu.addAction(fmt.label)
            action.triggered.connect(lambda _checked=False, f=fmt: self.copy(f))
        menu.addSeparator()
        calls = "this call" if count == 1 else f"these {count} calls"
        menu.addAction(f"Export {calls} as HAR…", self.ask_export)
        resend = menu.addAction("Edit && resend…", self.replay_current)
        resend.setEnabled(count == 1)
        compare = menu.addAction("Compare these two", self.compare_selected)
        compare.setEnabled(count == 2)

    def wire_details(self, details: ExchangeDetails) -> None:
        def copy(fmt: Format) -> None:
            self._copy_exchanges(fmt, [details.exchange])

        def export() -> None:
            self._ask_export([details.exchange] if details.exchange is not None else [])

        def replay() -> None:
            self.replay(details.exchange, details.row)

        details.copyRequested.connect(copy)
        details.exportRequested.connect(export)
        details.replayRequested.connect(replay)
        details.compareOriginalRequested.connect(self._compare_with_original)

    def say(self, words: str, *, problem: bool = False) -> None:
        self.notice.setStyleSheet("color: #b71c1c;" if problem else "color: #2e7d32;")
        self.notice.setText(escape(words))
        self.notice.setToolTip(words)

    # -- copy and export -------------------------------------------------------------------

    def copy(self, fmt: Format) -> asyncio.Task[None]:
        """The selected calls on the clipboard, as `fmt`."""
        ids = [row.id for row in reversed(self._dock.selected_rows())]

        def found(exchanges: list[Exchange]) -> None:
            self._copy_exchanges(fmt, exchanges)

        return (
            Op(lambda: self._dock.source.get_all(ids), name="copy calls")
            .success(found)
            .run(self._tasks)
        )

    def _copy_exchanges(self, fmt: Format, exchanges: Sequence[Exchange | None]) -> None:
        found = [exchange for exchange in exchanges if exchange is not None]
        if not found:
            self.say("Nothing to copy: pick a call first.", problem=True)
            return
        QGuiApplication.clipboard().setText(texts_for(fmt, found))
        what = fmt.label.removeprefix("Copy ").removeprefix("as ")
        calls = "1 call" if len(found) == 1 else f"{len(found)} calls"
        self.say(f"Copied {calls} ({what}).")

    def ask_export(self) -> None:
        """Ask where to save the selected calls as HAR, then save them there."""
        ids = [row.id for row in reversed(self._dock.selected_rows())]

        def chosen(path: Path) -> None:
            def found(exchanges: list[Exchange]) -> None:
                self._export(path, exchanges)

            Op(lambda: self._dock.source.get_all(ids), name="gather calls for HAR").success(
                found
            ).run(self._tasks)

        if ids:
            self.file_dialog = save_dialog(self._dock, len(ids), chosen)

    def _ask_export(self, exchanges: list[Exchange]) -> None:
        def chosen(path: Path) -> None:
            self._export(path, exchanges)

        if exchanges:
            self.file_dialog = save_dialog(self._dock, len(exchanges), chosen)

    def _export(self, path: Path, exchanges: list[Exchange]) -> None:
        async def write() -> int | str:
            try:
                return await write_har(path, exchanges)
            except OSError as exc:
                return f"{path.name} could not be written: {exc.strerror or exc}."

        def written(outcome: int | str) -> None:
            if isinstance(outcome, str):
                self.say(outcome, problem=True)
                return
            calls = "1 call" if outcome == 1 else f"{outcome} calls"
            self.say(f"Saved {calls} to {path.name} (secrets redacted).")

        Op(write, name="export HAR").success(written).run(self._tasks)

    # -- import ----------------------------------------------------------------------------

    def ask_import_har(self) -> None:
        def chosen(path: Path) -> None:
            self.import_har(path)

        self.file_dialog = open_dialog(self._dock, chosen)

    def import_har(self, path: Path) -> asyncio.Task[None]:
        async def read() -> list[ImportedEntry] | str:
            try:
                return await open_har(path)
            except ValueError as exc:
                return str(exc)

        def done(outcome: list[ImportedEntry] | str) -> None:
            if isinstance(outcome, str):
                self.say(outcome, problem=True)
            else:
                self._imported(outcome, path.name)

        return Op(read, name="import HAR").success(done).run(self._tasks)

    def paste_curl(self) -> CurlDialog:
        dialog = CurlDialog(self._dock)
        dialog.imported.connect(lambda entry: self._imported([entry], "the curl command"))
        dialog.open()
        self.curl_dialog = dialog
        return dialog

    def _imported(self, entries: list[ImportedEntry], what: str) -> None:
        if not entries:
            self.say(f"{what} holds no calls.", problem=True)
            return
        kept = self._dock.feed.add_imported(entries)
        self._dock.select(kept[-1].exchange.id)
        calls = "1 call" if len(entries) == 1 else f"{len(entries)} calls"
        self.say(f"Imported {calls} from {what} (secrets removed).")

    # -- replay and compare ----------------------------------------------------------------

    def replay_current(self) -> None:
        row = self._dock.current_row()
        if row is None:
            return

        def found(exchange: Exchange | None) -> None:
            self.replay(exchange, row)

        Op(lambda: self._dock.source.get(row.id), name="edit a call").success(found).run(
            self._tasks
        )

    def replay(self, exchange: Exchange | None, row: Row | None) -> ReplayEditor | None:
        """An editor on the request of `exchange` (or of the imported entry it shows)."""
        if exchange is None:
            return None
        from crmdesk.ui.inspector.replay import ReplayEditor

        imported = self._dock.source.imported(exchange.id)
        request = imported.request if imported is not None else replay_request(exchange)
        editor = ReplayEditor(self._context.desk, self._tasks, exchange, request, self._dock)
        editor.sent.connect(lambda sent: self._replayed(sent, exchange.id))
        editor.compareRequested.connect(self.compare_exchanges)
        editor.show()
        self.editor = editor
        return editor

    def _replayed(self, sent: Exchange, original_id: str) -> None:
        self._dock.feed.reveal(sent)
        self._dock.feed.link(sent.id, original_id)
        self._dock.select(sent.id)

    def compare_selected(self) -> None:
        rows = self._dock.selected_rows()
        if len(rows) != 2:
            self.say("Select exactly two calls to compare them.", problem=True)
            return
        older, newer = sorted(rows, key=lambda row: row.key)

        def found(both: list[Exchange]) -> None:
            if len(both) == 2:
                self.compare_exchanges(both[0], both[1])
            else:
                self.say("One of these calls is no longer kept.", problem=True)

        ids = [older.id, newer.id]
        Op(lambda: self._dock.source.get_all(ids), name="compare calls").success(found).run(
            self._tasks
        )

    def compare_exchanges(self, first: Exchange, second: Exchange) -> CompareWindow:
        if self.compare_window is None:
            from crmdesk.ui.inspector.compare import CompareWindow

            self.compare_window = CompareWindow(self._dock.window())
            self.compare_window.destroyed.connect(self._compare_closed)
        self.compare_window.compare(first, second)
        self.compare_window.show()
        self.compare_window.raise_()
        return self.compare_window

    def _compare_closed(self) -> None:
        self.compare_window = None

    def _compare_with_original(self) -> None:
        details = self._dock.details
        row, shown = details.row, details.exchange
        original = self._dock.feed.original_of(row.id) if row is not None else None
        if original is None or shown is None:
            return

        def found(first: Exchange | None) -> None:
            if first is not None:
                self.compare_exchanges(first, shown)
            else:
                self.say("The original call is no longer kept.", problem=True)

        Op(lambda: self._dock.source.get(original), name="compare with the original").success(
            found
        ).run(self._tasks)

    # -- history settings ------------------------------------------------------------------

    def open_settings(self) -> HistorySettingsDialog:
        if self.settings is None:
            from crmdesk.ui.inspector.settings_dialog import HistorySettingsDialog

            self.settings = HistorySettingsDialog(self._context.desk, self._tasks, self._dock)
            self.settings.destroyed.connect(self._settings_closed)
        self.settings.refresh()
        self.settings.open()
        return self.settings

    def _settings_closed(self) -> None:
        self.settings = None
