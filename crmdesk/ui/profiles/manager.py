"""ProfileManager: the Connections dialog. Create, edit, duplicate, delete and test
connections of every kind.

Non-modal and kept by the main window: closing it hides it, so half-typed changes are still
there when it is opened again. While the form has unsaved changes the list is locked, so
switching connections can never drop them silently.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import Exchange, kind_info, kinds
from crmdesk.profiles import KeyringState, Profile
from crmdesk.ui.inspector import show_in_inspector
from crmdesk.ui.profiles.ask import confirm
from crmdesk.ui.profiles.book import ProfileSignals
from crmdesk.ui.profiles.connection_test import TestOutcome, test_connection
from crmdesk.ui.profiles.form import PRODUCTION_RED, ProfileForm, color_icon
from crmdesk.ui.tasks import Op, TaskRunner

_ID = Qt.ItemDataRole.UserRole


class ProfileManager(QDialog):
    def __init__(self, signals: ProfileSignals, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileManager")
        self.setWindowTitle("Connections")
        self._book = signals.book
        self._tasks = tasks
        self._test_lane = tasks.lane()
        self._drafts: dict[str, Profile] = {}  # new connections not saved yet
        self._current: str | None = None
        self.dirty = False
        self.exchange: Exchange | None = None

        self.list = QListWidget(self)
        self.list.setAccessibleName("Connections")
        self.list.currentItemChanged.connect(self._selected)
        self.new_button = QPushButton("&New", self)
        self.duplicate_button = QPushButton("D&uplicate", self)
        self.delete_button = QPushButton("&Delete…", self)
        self.new_button.clicked.connect(self.new)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.delete_button.clicked.connect(self.delete)
        list_buttons = QHBoxLayout()
        for button in (self.new_button, self.duplicate_button, self.delete_button):
            list_buttons.addWidget(button)
        self.list_note = QLabel("", self)
        self.list_note.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addLayout(list_buttons)
        left.addWidget(self.list_note)

        self.form = ProfileForm(self)
        self.form.edited.connect(self._edited)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        *others, last = [escape(kind_info(kind).label) for kind in kinds()]
        self.placeholder = QLabel(
            "<p><b>No connection chosen.</b></p>"
            "<p>Pick one on the left, or click <b>New</b> to set up a connection to "
            f"{', '.join(others)} or {last}.</p>"
            "<p>Secrets go to the system keyring, never into a file.</p>",
            self,
        )
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        # The form, or the words that stand in for it while no connection is chosen.
        self.form_area = QStackedWidget(self)
        self.form_area.addWidget(self.placeholder)
        self.form_area.addWidget(scroll)
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.clicked.connect(self.test)
        self.test_result = QLabel("", self)
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.exchange_button = QPushButton("Show e&xchange", self)
        self.exchange_button.setToolTip("The raw request and reply of the test (secrets redacted)")
        self.exchange_button.clicked.connect(self.show_exchange)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        test_row.addWidget(self.exchange_button)
        self.status = QLabel("", self)
        self.status.setObjectName("managerStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Save)
        self.revert_button = self.buttons.addButton(
            "&Revert", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        self.close_button.clicked.connect(self.close)
        right = QVBoxLayout()
        right.addWidget(self.form_area, 1)
        right.addLayout(test_row)
        right.addWidget(self.status)
        right.addWidget(self.buttons)
        row = QHBoxLayout(self)
        row.addLayout(left, 2)
        row.addLayout(right, 5)
        self.resize(900, 640)

        signals.added.connect(self._book_changed)
        signals.edited.connect(self._book_changed)
        signals.removed.connect(self._book_changed)
        signals.keyringChanged.connect(self._update_secrets_note)
        self._fill_list()
        self._update_secrets_note()
        self._update_buttons()

    # -- what the window asks --------------------------------------------------------------

    def show_connection(self, profile_id: str | None = None, note: str = "") -> None:
        """Bring the dialog up, on `profile_id` if given (and nothing is being edited)."""
        if profile_id is not None and not self.dirty:
            self._select(profile_id)
        if note:
            self.status.setText(note)
        self.show()
        self.raise_()

    # -- the list --------------------------------------------------------------------------

    def new(self) -> None:
        kind = kinds()[0]
        draft = Profile("New connection", kind, kind_info(kind).default_base_url)
        self._add_draft(draft, {})

    def duplicate(self) -> None:
        if self._current is None:
            return
        original = self._profile(self._current)
        copy = original.copy_as_new(f"{original.name} (copy)")
        credentials = self.form.credentials()
        self._add_draft(copy, credentials)
        self.status.setText("A copy, with the same credentials. Save it to keep it.")

    def delete(self) -> None:
        if self._current is None:
            return
        profile_id = self._current
        if profile_id in self._drafts:
            self._drop_draft(profile_id)
            return
        profile = self._profile(profile_id)

        async def work() -> bool:
            sure = await confirm(
                self,
                "Delete connection",
                f"Delete the connection <b>{escape(profile.name)}</b>?",
                "Delete",
                detail="Its credentials are removed from the keyring too. This cannot be undone.",
            )
            if sure:
                await self._book.delete(profile_id)
            return sure

        Op(work, name="delete connection").success(
            lambda done: self.status.setText(f"Deleted {profile.name}." if done else "")
        ).run(self._tasks)

    def _add_draft(self, draft: Profile, credentials: dict[str, str]) -> None:
        self._drafts[draft.id] = draft
        self._fill_list()
        self._select(draft.id, credentials=credentials)
        self._edited()  # a draft is unsaved by definition

    def _drop_draft(self, profile_id: str) -> None:
        self._drafts.pop(profile_id, None)
        self.dirty = False
        self._current = None
        self._fill_list()

    def _fill_list(self) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        book = self._book
        for profile in (*book.saved, *book.session_only, *self._drafts.values()):
            words = profile.name
            tip = f"{kind_info(profile.kind).label} · {profile.base_url or 'default'}"
            if profile.id in self._drafts:
                words += "  (not saved)"
            elif self._session_only(profile.id):
                words += "  (sandbox, not saved)"
                tip += "\nA connection of this session only: changes last until you quit."
            item = QListWidgetItem(words, self.list)
            item.setData(_ID, profile.id)
            item.setToolTip(tip)
            color = PRODUCTION_RED if profile.production else profile.color
            if color:
                item.setIcon(color_icon(color))
            if profile.id == self._current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        if self._current is None and self.list.count():
            self.list.setCurrentRow(0)
        self._update_buttons()

    def _select(self, profile_id: str, credentials: dict[str, str] | None = None) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None and item.data(_ID) == profile_id:
                self.list.setCurrentItem(item)
        if credentials is not None and profile_id in self._drafts:
            self._show(self._drafts[profile_id], credentials)

    def _selected(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self._current = None
            self._update_buttons()
            return
        profile_id = item.data(_ID)
        self._current = profile_id
        self._clear_test()
        if profile_id in self._drafts:
            self._show(self._drafts[profile_id], {})
            return
        profile = self._profile(profile_id)
        self.form.setEnabled(False)
        # Credentials come from the keyring: never on the GUI thread, never blocking it.
        Op(lambda: self._book.credentials(profile_id), name="read credentials").success(
            lambda credentials: (
                self._show(profile, credentials) if self._current == profile_id else None
            )
        ).run(self._tasks)

    def _show(self, profile: Profile, credentials: dict[str, str]) -> None:
        self.form.set_profile(profile, credentials, new=profile.id in self._drafts)
        self.form.setEnabled(True)
        self.dirty = profile.id in self._drafts
        self._update_buttons()

    def _book_changed(self, _profile_id: str) -> None:
        if not self.dirty:
            self._fill_list()

    def _session_only(self, profile_id: str | None) -> bool:
        return (
            profile_id is not None
            and profile_id not in self._drafts
            and not self._book.is_saved(profile_id)
        )

    def _profile(self, profile_id: str) -> Profile:
        return self._drafts.get(profile_id) or self._book.connections.profile(profile_id)

    # -- editing ---------------------------------------------------------------------------

    def _edited(self) -> None:
        self.dirty = True
        self._clear_test()
        self._update_buttons()

    def save(self) -> None:
        try:
            profile = self.form.profile()
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        credentials = self.form.credentials()
        if self._session_only(profile.id):
            change = Op(lambda: self._book.edit_session(profile, credentials), name="change")
            change.success(lambda _none: self._changed_for_session(profile)).run(self._tasks)
            return
        Op(lambda: self._book.save(profile, credentials), name="save connection").success(
            lambda where: self._saved(profile, where)
        ).run(self._tasks)

    def _changed_for_session(self, profile: Profile) -> None:
        self.dirty = False
        self._fill_list()
        self._select(profile.id)
        self.status.setText(
            f"Changed {profile.name} for this session. Sandbox connections are never saved: "
            "they are as the demo made them next time."
        )

    def _saved(self, profile: Profile, where: KeyringState) -> None:
        self._drafts.pop(profile.id, None)
        self.dirty = False
        self._current = profile.id
        self._fill_list()
        self._select(profile.id)
        place = (
            "in the system keyring"
            if where is KeyringState.KEYRING
            else "for this session only (no usable keyring)"
        )
        self.status.setText(f"Saved {profile.name}. Its credentials are kept {place}.")

    def revert(self) -> None:
        if self._current in self._drafts:
            self._drop_draft(self._current)
            return
        self.dirty = False
        item = self.list.currentItem()
        self._selected(item)

    def _update_buttons(self) -> None:
        has = self._current is not None
        self.list.setEnabled(not self.dirty)
        self.list_note.setText(
            "Save or revert your changes to switch connections." if self.dirty else ""
        )
        self.new_button.setEnabled(not self.dirty)
        session_only = self._session_only(self._current)
        # A sandbox connection lives as long as the demo: it cannot be deleted or copied
        # into a saved one (its address changes every run).
        self.duplicate_button.setEnabled(has and not self.dirty and not session_only)
        self.delete_button.setEnabled(has and not session_only)
        self.delete_button.setText("&Discard" if self._current in self._drafts else "&Delete…")
        self.save_button.setEnabled(has and self.dirty)
        self.save_button.setText("Apply for this session" if session_only else "&Save")
        self.revert_button.setEnabled(has and self.dirty)
        self.form.setVisible(has)
        self.form_area.setCurrentIndex(1 if has else 0)
        self.test_button.setEnabled(has)
        self.exchange_button.setEnabled(self.exchange is not None)

    def _update_secrets_note(self) -> None:
        state = self._book.keyring_state
        if state is KeyringState.SESSION_ONLY:
            self.form.set_secrets_note(
                "⚠ No usable system keyring: credentials are kept for this session only."
            )
        else:
            self.form.set_secrets_note(
                "Credentials are kept in the system keyring, never in a file."
            )

    # -- test connection -------------------------------------------------------------------

    def test(self) -> None:
        try:
            profile = self.form.profile()
        except ValueError as exc:
            self._tested(TestOutcome(False, str(exc)))
            return
        credentials = self.form.credentials()
        self.test_result.setText("Testing…")
        self.test_result.setStyleSheet("")
        self.test_button.setEnabled(False)
        connections = self._book.connections
        Op(
            lambda: test_connection(profile, credentials, connections), name=f"test {profile.name}"
        ).success(self._tested).finally_(lambda: self.test_button.setEnabled(True)).run_in(
            self._test_lane
        )

    def _tested(self, outcome: TestOutcome) -> None:
        self.exchange = outcome.exchange
        mark = "✔" if outcome.ok else "✘"
        self.test_result.setText(f"{mark} {outcome.words}")
        self.test_result.setStyleSheet("color: #2e7d32;" if outcome.ok else "color: #c62828;")
        self._update_buttons()

    def _clear_test(self) -> None:
        self._test_lane.cancel()
        self.exchange = None
        self.test_result.setText("")
        self.test_button.setEnabled(self._current is not None)
        self.exchange_button.setEnabled(False)

    def show_exchange(self) -> None:
        if self.exchange is None:
            return
        show_in_inspector(self, self.exchange)
