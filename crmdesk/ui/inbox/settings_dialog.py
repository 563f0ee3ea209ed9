"""The inbox's two small dialogs: the listener's settings (host, port, public base URL,
desktop notifications) and how long messages are kept (days and count).

Both are opened with `open()` (never `exec()`, STACK-NOTES B1.6) and say what the user chose
with `chosen(ListenerSettings)`; the dock saves it through `Notifications.set_settings`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.inbox import ListenerSettings
from crmdesk.ui.inbox.addresses import LOOPBACK

_HOSTS = (
    ("127.0.0.1", "127.0.0.1: this computer only (recommended)"),
    ("0.0.0.0", "0.0.0.0: every network interface"),
)


def beyond_loopback_warning(host: str, port: int) -> str:
    if host.strip() in LOOPBACK:
        return ""
    return (
        f"⚠ Anything that can reach this computer can post to port {port}; the random token "
        "in each address is then the only guard. Prefer 127.0.0.1 and a tunnel (see Public "
        "base URL) unless the server is on your own network."
    )


def check_public_url(text: str) -> str:
    """ "" if `text` is empty or an http(s) address with a host; else why not, in words."""
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "The public base URL must start with https:// (or http://) and name a host."
    if parts.query or parts.fragment:
        return "The public base URL takes no ?query or #fragment: the token path follows it."
    return ""


class _Chooser(QDialog):
    """A settings dialog that closes only on settings that hold (`typed` reads them, or says
    why not with ValueError)."""

    chosen = Signal(object)  # ListenerSettings

    def __init__(
        self,
        title: str,
        settings: ListenerSettings,
        typed: Callable[[], ListenerSettings],
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.settings = settings
        self._typed = typed
        self.problem = QLabel(self)
        self.problem.setObjectName("settingsProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b3261e;")
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.finished.connect(self.deleteLater)

    def accept(self) -> None:
        """Overrides QDialog.accept: close only with settings that hold, else say why."""
        try:
            settings = self._typed()
        except ValueError as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:])
            self.problem.show()
            return
        self.chosen.emit(settings)
        super().accept()


class ListenerSettingsDialog(_Chooser):
    """Where the listener listens, the address servers are given, and desktop notices."""

    def __init__(
        self, settings: ListenerSettings, now: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__("Listener settings", settings, self.typed, parent)
        self.setObjectName("listenerSettingsDialog")
        self.host = QComboBox(self)
        self.host.setEditable(True)
        for host, words in _HOSTS:
            self.host.addItem(words, host)
        self.host.setToolTip("The address crmdesk listens on; type another to choose one")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(settings.port or 8765)
        self.public_url = QLineEdit(settings.public_base_url, self)
        self.public_url.setPlaceholderText("https://your-tunnel.example (empty: as listened)")
        self.desktop = QCheckBox("Show a desktop notification when messages arrive", self)
        self.desktop.setChecked(settings.desktop_notifications)
        self.warning = _note(self)
        self.warning.setStyleSheet("color: #8a5a00;")
        self.note = _note(
            self,
            "A new host or port takes effect when you save: the listener moves there at once "
            "(servers send again what it misses meanwhile). Tell each server its new address. "
            "The public base URL is what the addresses show, for a server that reaches crmdesk "
            "through a tunnel (ssh -R, ngrok, cloudflared) forwarding to 127.0.0.1 and the port.",
        )
        index = self.host.findData(settings.host)
        if index >= 0:
            self.host.setCurrentIndex(index)
        else:
            self.host.setEditText(settings.host)
        self.host.currentTextChanged.connect(self._warn)
        self.port.valueChanged.connect(self._warn)
        form = QFormLayout()
        form.addRow("&Host", self.host)
        form.addRow("", self.warning)
        form.addRow("&Port", self.port)
        form.addRow("P&ublic base URL", self.public_url)
        form.addRow("", self.desktop)
        self.now = _note(self, now)
        self.now.setVisible(bool(now))
        column = QVBoxLayout(self)
        column.addWidget(self.now)
        column.addLayout(form)
        column.addWidget(self.note)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        self.setMinimumWidth(580)
        self._warn()

    def chosen_host(self) -> str:
        text = self.host.currentText().strip()
        for host, words in _HOSTS:
            if text == words:
                return host
        return text

    def typed(self) -> ListenerSettings:
        public = self.public_url.text().strip()
        problem = check_public_url(public)
        if problem:
            raise ValueError(problem)
        return replace(
            self.settings,
            host=self.chosen_host(),
            port=self.port.value(),
            public_base_url=public.rstrip("/"),
            desktop_notifications=self.desktop.isChecked(),
        )

    def _warn(self, *_args: object) -> None:
        words = beyond_loopback_warning(self.chosen_host(), self.port.value())
        self.warning.setText(words)
        self.warning.setVisible(bool(words))


class RetentionDialog(_Chooser):
    """How long the inbox keeps messages: by age, by count, or both."""

    def __init__(self, settings: ListenerSettings, parent: QWidget | None = None) -> None:
        super().__init__("Keep messages", settings, self.typed, parent)
        self.setObjectName("retentionDialog")
        self.days = QSpinBox(self)
        self.days.setRange(1, 36_500)
        self.days.setSuffix(" days")
        self.days.setValue(round(settings.retention_days or 90))
        self.no_age = QCheckBox("No age limit", self)
        self.no_age.toggled.connect(lambda on: self.days.setEnabled(not on))
        self.no_age.setChecked(settings.retention_days is None)
        self.count = QSpinBox(self)
        self.count.setRange(1, 100_000_000)
        self.count.setGroupSeparatorShown(True)
        self.count.setSuffix(" messages")
        self.count.setValue(settings.retention_count or 100_000)
        self.no_count = QCheckBox("No count limit", self)
        self.no_count.toggled.connect(lambda on: self.count.setEnabled(not on))
        self.no_count.setChecked(settings.retention_count is None)
        form = QFormLayout()
        form.addRow("Keep for at most", self.days)
        form.addRow("", self.no_age)
        form.addRow("Keep at most", self.count)
        form.addRow("", self.no_count)
        self.stored = _note(self)
        self.set_stored(None)
        column = QVBoxLayout(self)
        column.addWidget(self.stored)
        column.addLayout(form)
        column.addWidget(self.problem)
        column.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def set_stored(self, stored: int | None) -> None:
        """Say how many messages the inbox holds (None: not counted yet)."""
        held = "…" if stored is None else f"{stored:,} message{'s' if stored != 1 else ''}"
        self.stored.setText(
            f"The inbox holds {held} now. The oldest past either limit are removed when you "
            "save, and from then on as new ones arrive, read or not."
        )

    def typed(self) -> ListenerSettings:
        return replace(
            self.settings,
            retention_days=None if self.no_age.isChecked() else float(self.days.value()),
            retention_count=None if self.no_count.isChecked() else self.count.value(),
        )


def _note(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5f6368;")
    return label
