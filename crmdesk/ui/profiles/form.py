"""ProfileForm: the fields of one connection, generated from what its kind needs (KindInfo).

Nothing here knows a kind by name: credentials, options and their help come from the
registry, so a sixth kind gets a form for free. Secret credentials are masked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import KindInfo, NotificationProtocol, OptionField, kind_info, kinds
from crmdesk.inbox import route_path
from crmdesk.profiles import NotificationAuth, NotificationSettings, Profile
from crmdesk.ui.inbox.addresses import AddressField, NotificationAddresses

_AUTH_WORDS = {
    NotificationAuth.KEY: "Key: answer with an MD5 of login, password and key (recommended)",
    NotificationAuth.PASSIVE: "Passive: accept, then confirm with authenticate_notifications",
    NotificationAuth.PLAIN: "Plain: send the password itself (not recommended)",
}
PRODUCTION_RED = "#c62828"


class ProfileForm(QWidget):
    """Edits one profile and its credentials. `edited` fires on every change the user makes."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile = Profile("", kinds()[0], "")
        self._color = ""
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("What you call this connection, e.g. Acme Ltd")
        self.kind = QComboBox(self)
        for kind in kinds():
            self.kind.addItem(kind_info(kind).label, kind)
        self.base_url = QLineEdit(self)
        self.base_url_help = _help_label(self)
        self.color = QPushButton("Choose…", self)
        self.color.clicked.connect(self._choose_color)
        self.production = QCheckBox("Production: show it in red and ask before every write", self)
        self.read_only = QCheckBox("Read-only: never send a change", self)
        top = QFormLayout()
        top.addRow("&Name", self.name)
        top.addRow("&API", self.kind)
        top.addRow("&Address", self.base_url)
        top.addRow("", self.base_url_help)
        top.addRow("&Colour", self.color)
        top.addRow("", self.production)
        top.addRow("", self.read_only)
        self.credentials_box = QGroupBox("Credentials", self)
        self.credentials_layout = QFormLayout(self.credentials_box)
        self.secrets_note = _help_label(self)
        self.options_box = QGroupBox("Options", self)
        self.options_layout = QFormLayout(self.options_box)
        self.notifications_box = QGroupBox("Notifications from the server", self)
        self.notify = QCheckBox("Listen for notifications", self.notifications_box)
        # This connection's address on the app's one listener (read-only, with Copy); only
        # its path where the window gave the form no listener to ask (`set_addresses`).
        self.notify_address = AddressField(self.notifications_box)
        self.notify_reach = _help_label(self.notifications_box)
        self.addresses: NotificationAddresses | None = None
        self.notify_auth = QComboBox(self.notifications_box)
        for auth, words in _AUTH_WORDS.items():
            self.notify_auth.addItem(words, auth.value)
        self.notify_warning = _help_label(self.notifications_box)
        notify = QFormLayout(self.notifications_box)
        notify.addRow("", self.notify)
        notify.addRow("Address", self.notify_address)
        notify.addRow("", self.notify_reach)
        notify.addRow("Answer", self.notify_auth)
        notify.addRow("", self.notify_warning)
        self._notify_layout = notify
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(top)
        column.addWidget(self.credentials_box)
        column.addWidget(self.secrets_note)
        column.addWidget(self.options_box)
        column.addWidget(self.notifications_box)
        column.addStretch(1)
        self.secret_fields: dict[str, QLineEdit] = {}
        self.option_fields: dict[str, tuple[OptionField, QWidget]] = {}
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for widget in (self.name, self.base_url):
            widget.textEdited.connect(self._changed)
        for box in (self.production, self.read_only, self.notify):
            box.toggled.connect(self._changed)
        self.notify.toggled.connect(lambda _on: self._show_address())
        self._notifications = NotificationSettings()
        self.notify_auth.currentIndexChanged.connect(self._auth_changed)
        self._build_kind(kind_info(self._profile.kind))

    # -- in and out ------------------------------------------------------------------------

    def set_profile(self, profile: Profile, credentials: dict[str, str], *, new: bool) -> None:
        """Show `profile`; the kind can change only before a connection is first saved."""
        self._profile = profile
        self.blockSignals(True)
        try:
            self.kind.setCurrentIndex(max(0, self.kind.findData(profile.kind)))
            self.kind.setEnabled(new)
            self._build_kind(kind_info(profile.kind))
            self.name.setText(profile.name)
            self.base_url.setText(profile.base_url)
            self._set_color(profile.color)
            self.production.setChecked(profile.production)
            self.read_only.setChecked(profile.read_only)
            for name, field in self.secret_fields.items():
                field.setText(credentials.get(name, ""))
            for name, (option, widget) in self.option_fields.items():
                _set_option(widget, profile.options.get(name, option.default))
            # A connection made before it notified gets its token here, kept from now on.
            settings = profile.notifications or NotificationSettings()
            self._notifications = settings
            self.notify.setChecked(settings.enabled)
            self._show_address()
            self.notify_auth.setCurrentIndex(self.notify_auth.findData(settings.auth.value))
            self._auth_changed(emit=False)
        finally:
            self.blockSignals(False)

    def profile(self) -> Profile:
        """The profile as typed (same id). ValueError says in words what is missing."""
        name = self.name.text().strip()
        if not name:
            raise ValueError("Give the connection a name.")
        kind = self.kind.currentData()
        options = {
            name: _get_option(option, widget)
            for name, (option, widget) in self.option_fields.items()
        }
        notifications = None
        if kind_info(kind).notifications is not None:
            notifications = replace(
                self._notifications,
                enabled=self.notify.isChecked(),
                auth=NotificationAuth(self.notify_auth.currentData()),
            )
        return replace(
            self._profile,
            name=name,
            kind=kind,
            base_url=self.base_url.text().strip(),
            options=options,
            production=self.production.isChecked(),
            read_only=self.read_only.isChecked(),
            color=self._color,
            notifications=notifications,
        )

    def set_addresses(self, addresses: NotificationAddresses) -> None:
        """Show whole addresses (and how to reach them) from the app's listener."""
        self.addresses = addresses
        self._show_address()

    def _show_address(self) -> None:
        token = self._notifications.token
        if self.addresses is None:
            self.notify_address.set_address(route_path(token))
            self.notify_reach.setText("")
            return
        self.notify_address.set_address(self.addresses.address(token))
        first = (
            "Register this address with the server."
            if self.notify.isChecked()
            else "Register this address with the server once the connection is saved with "
            "“Listen for notifications” on."
        )
        self.notify_reach.setText(f"{first} {self.addresses.reach()}")

    def credentials(self) -> dict[str, str]:
        return {name: field.text() for name, field in self.secret_fields.items() if field.text()}

    def set_secrets_note(self, text: str) -> None:
        self.secrets_note.setText(text)

    # -- the parts that depend on the kind -------------------------------------------------

    def _changed(self, *_value: object) -> None:
        self.edited.emit()

    def _kind_changed(self) -> None:
        self._build_kind(kind_info(self.kind.currentData()))
        self.edited.emit()

    def _build_kind(self, info: KindInfo) -> None:
        _clear(self.credentials_layout)
        _clear(self.options_layout)
        self.secret_fields = {}
        self.option_fields = {}
        self.base_url.setPlaceholderText(info.default_base_url or "https://…")
        self.base_url_help.setText(info.base_url_help)
        for credential in info.credentials:
            field = QLineEdit(self.credentials_box)
            field.setObjectName(f"credential_{credential.name}")
            field.setAccessibleName(credential.label)
            if credential.secret:
                field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textEdited.connect(self._changed)
            self.credentials_layout.addRow(credential.label, field)
            self.secret_fields[credential.name] = field
        for option in info.options:
            widget = _option_widget(option, self.options_box)
            widget.setToolTip(option.help)
            _connect_option(widget, self._changed)
            self.options_layout.addRow(option.label, widget)
            if option.help:
                self.options_layout.addRow("", _help_label(self.options_box, option.help))
            self.option_fields[option.name] = (option, widget)
        self.options_box.setVisible(bool(info.options))
        self.notifications_box.setVisible(info.notifications is not None)
        # Only the aicore push protocol has an authenticate to answer.
        aicore = info.notifications is NotificationProtocol.AICORE_PUSH
        self._notify_layout.setRowVisible(self.notify_auth, aicore)
        self._notify_layout.setRowVisible(self.notify_warning, aicore)

    def _auth_changed(self, *_args: object, emit: bool = True) -> None:
        plain = self.notify_auth.currentData() == NotificationAuth.PLAIN.value
        self.notify_warning.setText(
            "⚠ Plain sends the API password to whoever calls the listener. Use it only when "
            "the server cannot do key or passive."
            if plain
            else ""
        )
        if emit:
            self.edited.emit()

    # -- colour ----------------------------------------------------------------------------

    def _choose_color(self) -> None:
        # open(), not exec(): a nested event loop would stall the app's coroutines (B1.6).
        dialog = QColorDialog(QColor(self._color or PRODUCTION_RED), self)
        dialog.setWindowTitle("Colour of this connection")
        dialog.colorSelected.connect(lambda color: self._picked(color.name()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _picked(self, color: str) -> None:
        self._set_color(color)
        self.edited.emit()

    def _set_color(self, color: str) -> None:
        self._color = color
        self.color.setText(color or "None (choose…)")
        self.color.setIcon(color_icon(color) if color else QIcon())


def color_icon(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


def _help_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")  # palette(mid) is too faint to read on Fusion
    return label


def _option_widget(option: OptionField, parent: QWidget) -> QWidget:
    default = option.default
    widget: QWidget
    if isinstance(default, bool):
        widget = QCheckBox(parent)
    elif isinstance(default, int):
        widget = QSpinBox(parent)
        widget.setRange(0, 1_000_000)
    elif isinstance(default, float):
        widget = QDoubleSpinBox(parent)
        widget.setRange(0, 86_400)
    else:
        widget = QLineEdit(parent)
        if isinstance(default, tuple | list):
            widget.setPlaceholderText("names separated by commas")
    widget.setObjectName(f"option_{option.name}")
    return widget


def _connect_option(widget: QWidget, callback: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.toggled.connect(callback)
    elif isinstance(widget, QSpinBox | QDoubleSpinBox):
        widget.valueChanged.connect(callback)
    elif isinstance(widget, QLineEdit):
        widget.textEdited.connect(callback)


def _set_option(widget: QWidget, value: Any) -> None:
    if isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))
    elif isinstance(widget, QDoubleSpinBox):
        widget.setValue(float(value or 0))
    elif isinstance(widget, QLineEdit):
        is_list = isinstance(value, tuple | list)
        widget.setText(", ".join(map(str, value)) if is_list else str(value or ""))


def _get_option(option: OptionField, widget: QWidget) -> Any:
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    if isinstance(widget, QDoubleSpinBox):
        return widget.value()
    assert isinstance(widget, QLineEdit)
    text = widget.text().strip()
    if isinstance(option.default, tuple | list):
        return [part.strip() for part in text.split(",") if part.strip()]
    return text


def _clear(layout: QFormLayout) -> None:
    while layout.rowCount():
        layout.removeRow(0)
