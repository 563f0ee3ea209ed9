"""ProfileControls: the main window's part for connections: the Connections dialog, import
and export, the keyring and profiles-file banners, and the write guard.

Composed into MainWindow (qutebrowser's typed sub-objects) so the window stays thin.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFileDialog, QWidget

from crmdesk.profiles import Imported, KeyringState
from crmdesk.ui.profiles.banners import NoticeBanner, keyring_notice
from crmdesk.ui.profiles.book import ProfileSignals
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.tasks import Op, TaskRunner

if TYPE_CHECKING:
    from crmdesk.ui.inbox.addresses import NotificationAddresses
    from crmdesk.ui.profiles.manager import ProfileManager

_FILTER = "crmdesk connections (*.json);;All files (*)"


class ProfileControls:
    def __init__(self, signals: ProfileSignals, tasks: TaskRunner, window: QWidget) -> None:
        self.signals = signals
        self.book = book = signals.book
        self._tasks = tasks
        self._window = window
        self.keyring_banner = NoticeBanner("keyringBanner", window)
        self.file_banner = NoticeBanner("profilesFileBanner", window)
        self.guard = WriteGuard(window)
        self.manager: ProfileManager | None = None
        # Set by the inbox: the connection form then shows whole notification addresses.
        self.addresses: NotificationAddresses | None = None
        self.file_dialog: QFileDialog | None = None
        signals.keyringChanged.connect(self._keyring_changed)
        signals.problems.connect(self._file_problems)
        # The signals outlive the window (the keyring check may end after it is gone, at
        # quit): stop listening when its banners go.
        window.destroyed.connect(lambda _window=None: self._stop_listening())
        if book.load_problems:
            self._file_problems(list(book.load_problems))
        self._keyring_changed()
        # Find out early whether secrets will last, so the banner is up before anyone types;
        # in a task, because a locked keyring may take its whole timeout to say so. Queued
        # behind the first paint: loading keyring on its thread competes with start-up.
        QTimer.singleShot(0, lambda: Op(book.secrets.check, name="check the keyring").run(tasks))

    @property
    def bars(self) -> list[QWidget]:
        return [self.keyring_banner, self.file_banner]

    def open_manager(self, profile_id: str | None = None, note: str = "") -> ProfileManager:
        if self.manager is None:
            # Loaded on first use: start-up does not wait for a dialog nobody opened yet.
            from crmdesk.ui.profiles.manager import ProfileManager

            self.manager = ProfileManager(self.signals, self._tasks, self._window)
            if self.addresses is not None:
                self.manager.form.set_addresses(self.addresses)
        self.manager.show_connection(profile_id, note)
        return self.manager

    # -- import and export -----------------------------------------------------------------

    def ask_import(self) -> QFileDialog:
        dialog = self._file_dialog("Import connections", QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda name: self.import_file(Path(name)))
        dialog.open()
        return dialog

    def ask_export(self) -> QFileDialog:
        dialog = self._file_dialog("Export connections", QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("json")
        dialog.selectFile("crmdesk-connections.json")
        dialog.fileSelected.connect(lambda name: self.export_file(Path(name)))
        dialog.open()
        return dialog

    def import_file(self, path: Path) -> None:
        async def work() -> Imported | str:
            try:
                return await self.book.import_from(path)
            except ValueError as exc:
                return str(exc)

        Op(work, name="import connections").success(self._imported).run(self._tasks)

    def export_file(self, path: Path) -> None:
        Op(lambda: self.book.export_to(path), name="export connections").success(
            lambda count: self._say(
                f"Exported {count} connection{'s' if count != 1 else ''} to {path.name}, "
                "without passwords or keys."
            )
        ).failure(lambda error: self._say(error.summary)).run(self._tasks)

    def _imported(self, outcome: Imported | str) -> None:
        if isinstance(outcome, str):
            self.file_banner.show_notice(f"<b>Nothing imported.</b> {escape(outcome)}")
            return
        lines = [f"Imported {len(outcome.profiles)} connection(s). Type the credentials of each:"]
        for profile in outcome.profiles:
            lines.append(f"• {profile.name}: {', '.join(outcome.needs[profile.id])}")
        lines += list(outcome.problems)
        first = outcome.profiles[0].id if outcome.profiles else None
        self.open_manager(first, "\n".join(lines))

    def _file_dialog(self, title: str, mode: QFileDialog.AcceptMode) -> QFileDialog:
        # An instance opened with open(), never the static getOpenFileName (a nested loop).
        dialog = QFileDialog(self._window, title)
        dialog.setObjectName("profilesFileDialog")
        dialog.setAcceptMode(mode)
        dialog.setNameFilter(_FILTER)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        return dialog

    def _say(self, text: str) -> None:
        status = getattr(self._window, "statusBar", None)
        if status is not None:
            status().showMessage(text, 10_000)

    # -- banners ---------------------------------------------------------------------------

    def _stop_listening(self) -> None:
        self.signals.keyringChanged.disconnect(self._keyring_changed)
        self.signals.problems.disconnect(self._file_problems)

    def _keyring_changed(self) -> None:
        if self.book.keyring_state is KeyringState.SESSION_ONLY:
            self.keyring_banner.show_notice(keyring_notice(self.book.secrets.reason))
        else:
            self.keyring_banner.hide()

    def _file_problems(self, problems: list[str]) -> None:
        items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
        self.file_banner.show_notice(
            f"<b>Some saved connections could not be read.</b><ul>{items}</ul>"
        )
