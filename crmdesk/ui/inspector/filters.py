"""FilterBar: what the inspector lists, as a support person narrows it down. Words in URLs and
bodies, the connection, the outcome, the method, how far back, sign-ins only, and the record
being followed; one HistoryQuery out, for the live calls and the stored history alike."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QToolButton, QWidget

from crmdesk.history import HistoryQuery, StatusClass
from crmdesk.profiles import Profile

_TYPING_MS = 300
IMPORTED = ""  # the connection id of imported calls
_STATUS_WORDS = {
    StatusClass.SUCCESS: "2xx success",
    StatusClass.REDIRECT: "3xx redirect",
    StatusClass.CLIENT_ERROR: "4xx refused",
    StatusClass.SERVER_ERROR: "5xx server error",
    StatusClass.NO_REPLY: "No reply",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_SPANS: tuple[tuple[str, float | None], ...] = (
    ("Any time", None),
    ("Last hour", 3600.0),
    ("Today", 0.0),  # since midnight
    ("Last 7 days", 7 * 86_400.0),
    ("Last 30 days", 30 * 86_400.0),
)


class ConnectionChoice(QComboBox):
    """The connections to filter by, read again each time the list opens (connections come
    and go in File → Connections…)."""

    def __init__(self, profiles: Callable[[], Sequence[Profile]], parent: QWidget) -> None:
        super().__init__(parent)
        self._profiles = profiles
        self.setObjectName("connectionFilter")
        self.setToolTip("Only the calls of one connection")
        _shrinkable(self)
        self.refill()

    def refill(self) -> None:
        current = self.currentData()
        self.blockSignals(True)
        try:
            self.clear()
            self.addItem("All connections", None)
            for profile in self._profiles():
                self.addItem(profile.name, profile.id)
            self.addItem("Imported", IMPORTED)
            self.choose(current)
        finally:
            self.blockSignals(False)

    def choose(self, connection_id: str | None) -> None:
        at = self.findData(connection_id)
        self.setCurrentIndex(at if at >= 0 else 0)

    def showPopup(self) -> None:
        """Overrides QComboBox.showPopup: list today's connections before opening."""
        self.refill()
        super().showPopup()


class FilterBar(QWidget):
    """`changed` when the user changes a filter (typing settles first); `query()` says it."""

    changed = Signal()

    def __init__(self, profiles: Callable[[], Sequence[Profile]], parent: QWidget | None = None):
        super().__init__(parent)
        self._record: tuple[str, str] | None = None
        self.text = QLineEdit(self)
        self.text.setObjectName("inspectorSearch")
        self.text.setClearButtonEnabled(True)
        self.text.setPlaceholderText("Find words in URLs and bodies (Smith, lead/convert, conv*)")
        self.connection = ConnectionChoice(profiles, self)
        self.status = _choice(self, "statusFilter", "Any status", _STATUS_WORDS.items())
        self.method = _choice(self, "methodFilter", "Any method", ((m, m) for m in METHODS))
        self.span = QComboBox(self)
        self.span.setObjectName("timeFilter")
        _shrinkable(self.span)
        for words, seconds in _SPANS:
            self.span.addItem(words, seconds)
        self.sign_ins = QCheckBox("Sign-ins only", self)
        self.sign_ins.setToolTip("Only logins and token renewals")
        self.record = QToolButton(self)
        self.record.setObjectName("recordFilter")
        self.record.setToolTip("Showing only the calls that touched this record; click to show all")
        self.record.hide()
        self.record.clicked.connect(self.clear_record)
        self._typing = QTimer(self, singleShot=True, interval=_TYPING_MS)
        self._typing.timeout.connect(self.changed)
        self.text.textChanged.connect(lambda _text: self._typing.start())
        self.text.returnPressed.connect(self._typed)
        for combo in (self.connection, self.status, self.method, self.span):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
        self.sign_ins.toggled.connect(lambda _on: self.changed.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.text, 1)
        for widget in (self.record, self.connection, self.status, self.method, self.span):
            row.addWidget(widget)
        row.addWidget(self.sign_ins)

    def query(self, now: float | None = None) -> HistoryQuery:
        since = None
        seconds = self.span.currentData()
        if seconds is not None:
            now = now if now is not None else time.time()
            if seconds == 0.0:
                midnight = dt.datetime.combine(dt.date.fromtimestamp(now), dt.time())
                since = midnight.timestamp()
            else:
                since = now - seconds
        connection_id = self.connection.currentData()
        record_id = None
        if self._record is not None:
            connection_id, record_id = self._record
        return HistoryQuery(
            text=self.text.text().strip(),
            connection_id=connection_id,
            method=self.method.currentData(),
            status_class=self.status.currentData(),
            record_id=record_id,
            since=since,
            auth_only=self.sign_ins.isChecked(),
        )

    @property
    def active(self) -> bool:
        return self.query() != HistoryQuery()

    def set_record(self, connection_id: str, record_id: str, name: str) -> None:
        """Only the calls of `connection_id` that carry `record_id` in a URL or a body."""
        self._record = (connection_id, record_id)
        self.connection.blockSignals(True)
        self.connection.refill()
        self.connection.choose(connection_id)
        self.connection.blockSignals(False)
        self.connection.setEnabled(False)
        self.record.setText(f"Record {record_id} of {name}  ✕")
        self.record.show()
        self.changed.emit()

    def clear_record(self) -> None:
        if self._record is None:
            return
        self._record = None
        self.record.hide()
        self.connection.setEnabled(True)
        self.changed.emit()

    def reset(self) -> None:
        """Every filter back to "everything", saying `changed` once."""
        widgets = (self.text, self.connection, self.status, self.method, self.span, self.sign_ins)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.text.clear()
            for combo in (self.connection, self.status, self.method, self.span):
                combo.setCurrentIndex(0)
            self.sign_ins.setChecked(False)
            self._record = None
            self.record.hide()
            self.connection.setEnabled(True)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._typing.stop()
        self.changed.emit()

    def _typed(self) -> None:
        if self._typing.isActive():
            self._typing.stop()
            self.changed.emit()


def _shrinkable(combo: QComboBox) -> None:
    # As wide as its words where there is room; narrower (the words cut) on a small screen.
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumWidth(72)


def _choice(
    parent: QWidget, name: str, anything: str, choices: Iterable[tuple[object, str]]
) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    _shrinkable(combo)
    combo.addItem(anything, None)
    for value, words in choices:
        combo.addItem(words, value)
    return combo
