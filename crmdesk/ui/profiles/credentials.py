"""Asking for the credentials a connection lacks when it is opened (after an import, or when
the keyring kept them for one session only), in words, instead of failing with API field
names.

`CredentialsPrompt` is what a ConnectionSession awaits before connecting: it opens a small
dialog with `open()` and awaits its answer (never `exec()` inside a coroutine, B1.6), then
keeps what was typed where the connection's secrets live (the keyring, or this session).
"""

from __future__ import annotations

import asyncio
from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import CredentialField, kind_info
from crmdesk.profiles import KeyringState, Profile, SecretStore
from crmdesk.ui.profiles.ask import answer_of


class CredentialsDialog(QDialog):
    """One box per missing credential; secret ones are masked."""

    def __init__(
        self,
        profile: Profile,
        missing: tuple[CredentialField, ...],
        where: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("credentialsDialog")
        self.setWindowTitle(f"Connect to {profile.name}")
        intro = QLabel(
            f"<b>{escape(profile.name)}</b> needs these to connect. They are kept {where}.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.boxes: dict[str, QLineEdit] = {}
        for field in missing:
            box = QLineEdit(self)
            box.setAccessibleName(field.label)
            if field.secret:
                box.setEchoMode(QLineEdit.EchoMode.Password)
            box.textChanged.connect(self._typed)
            form.addRow(field.label, box)
            self.boxes[field.name] = box
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.connect_button = self.buttons.addButton(
            "Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.buttons)
        self._typed()

    def values(self) -> dict[str, str]:
        return {name: box.text() for name, box in self.boxes.items()}

    def _typed(self) -> None:
        self.connect_button.setEnabled(all(box.text() for box in self.boxes.values()))


class CredentialsPrompt:
    """Awaited by a session before it connects: True when it has every credential it needs."""

    def __init__(self, secrets: SecretStore, parent: QWidget) -> None:
        self._secrets = secrets
        self._parent = parent
        self.dialog: CredentialsDialog | None = None

    async def __call__(self, profile: Profile) -> bool:
        stored = await self._secrets.get(profile.id)
        fields = kind_info(profile.kind).credentials
        missing = tuple(field for field in fields if not stored.get(field.name))
        if not missing:
            return True
        where = (
            "in the system keyring"
            if self._secrets.state is KeyringState.KEYRING
            else "for this session only (there is no usable keyring)"
        )
        dialog = CredentialsDialog(profile, missing, where, self._parent)
        self.dialog = dialog
        try:
            answer = await answer_of(dialog)
        except asyncio.CancelledError:
            dialog.reject()  # the connection was closed or changed while asking
            raise
        finally:
            self.dialog = None
            dialog.deleteLater()
        if answer != QDialog.DialogCode.Accepted:
            return False
        await self._secrets.put(profile.id, {**stored, **dialog.values()})
        return True
