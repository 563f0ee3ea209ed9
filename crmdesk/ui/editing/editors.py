"""Editors that fit a field's type (FieldSpec.type): the grid's cells, the record form and
action inputs all use them.

An editor only holds what the person typed or picked (`raw()`), never a value of its own
making: `crmdesk.editing.parse_value` reads the raw value for the field, and refuses it with a
reason the editor then shows (`show_problem`). Numbers and money are line edits, not spin
boxes, so nothing typed is clamped or rounded behind the user's back; dates and date-times
are pickers with a calendar and a way to clear them.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QWidget,
)

from crmdesk.api import FieldSpec, FieldType, yes_no

# What a cleared date picker sits on; shown as "(empty)", never sent as a date.
_EMPTY_DATE = QDate(1753, 1, 1)
_EMPTY_TEXT = "(empty)"
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(.*)$")
_PROBLEM_STYLE = "border: 1px solid #c62828; background: #fdecea;"


def raw_text(value: Any) -> str:
    """A stored value as text a person can edit again (None is empty)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


class FieldEditor(QWidget):
    """One field's editor: `raw()` is what was typed or picked, `set_raw()` shows a value.

    `edited` fires on every change the person makes (the form and the grid check the value
    as it is typed); `committed` when they press Enter in a one-line editor.
    """

    edited = Signal()
    committed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setAccessibleName(spec.label)
        self._problem = ""
        # Whether the person changed anything since the editor opened.
        self.touched = False
        self.edited.connect(self._touch)

    def _touch(self) -> None:
        self.touched = True

    def raw(self) -> Any:
        raise NotImplementedError

    def set_raw(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The inner widget that takes the keyboard."""
        return self

    @property
    def problem(self) -> str:
        return self._problem

    def show_problem(self, reason: str) -> None:
        """Mark the editor refused with `reason` (empty: accepted), keeping what was typed."""
        self._problem = reason
        target = self.focus_target()
        target.setStyleSheet(_PROBLEM_STYLE if reason else "")
        target.setToolTip(reason or self._hint())

    def _hint(self) -> str:
        return f"{self.spec.label} ({self.spec.type.value})"


class LineEditor(FieldEditor):
    """Text, e-mail, phone, URL, number and currency: what is typed is what is read."""

    def __init__(
        self, spec: FieldSpec, parent: QWidget | None = None, *, framed: bool = True
    ) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setFrame(framed)
        self.line.setClearButtonEnabled(not spec.required)
        if spec.type in (FieldType.NUMBER, FieldType.CURRENCY):
            self.line.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.line.setPlaceholderText("a number, e.g. 1250.50")
        self.line.textEdited.connect(self.edited)
        self.line.returnPressed.connect(self.committed)
        _fill(self, self.line)

    def raw(self) -> str:
        return self.line.text()

    def set_raw(self, value: Any) -> None:
        self.line.setText(raw_text(value))

    def focus_target(self) -> QWidget:
        return self.line


class LongTextEditor(FieldEditor):
    """Several lines (notes, descriptions); Enter starts a new line, Ctrl+Enter commits."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(72)
        self.text.textChanged.connect(self.edited)
        _fill(self, self.text)

    def raw(self) -> str:
        return self.text.toPlainText()

    def set_raw(self, value: Any) -> None:
        self.text.setPlainText(raw_text(value))

    def focus_target(self) -> QWidget:
        return self.text


class ChoiceEditor(FieldEditor):
    """A drop-down of the field's options; a value outside them (as the server had it) is
    listed too, marked, so opening the editor never changes it."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        if not spec.required:
            self.combo.addItem("(empty)", "")
        for option in spec.options:
            self.combo.addItem(option, option)
        self.combo.activated.connect(lambda _index: self.edited.emit())
        _fill(self, self.combo)

    def raw(self) -> str:
        data = self.combo.currentData()
        return str(data) if data is not None else self.combo.currentText()

    def set_raw(self, value: Any) -> None:
        text = raw_text(value)
        index = self.combo.findData(text)
        if index < 0 and text == "":
            # Nothing chosen yet for a field that needs a choice: none is shown chosen.
            self.combo.setPlaceholderText("Choose…")
            self.combo.setCurrentIndex(-1)
            return
        if index < 0:
            self.combo.addItem(f"{text} (not one of the options)", text)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def focus_target(self) -> QWidget:
        return self.combo


class YesNoEditor(FieldEditor):
    """A check box. A stored value that is neither yes nor no is shown half-checked, and
    stays as it was unless the person clicks."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox(spec.label if parent is None else "", self)
        self._unknown: Any = None
        self.box.clicked.connect(self._clicked)
        _fill(self, self.box)

    def raw(self) -> Any:
        state = self.box.checkState()
        if state is Qt.CheckState.PartiallyChecked:
            return self._unknown
        return state is Qt.CheckState.Checked

    def set_raw(self, value: Any) -> None:
        answer = yes_no(value)
        if answer is None:
            self._unknown = value
            self.box.setTristate(True)
            self.box.setCheckState(Qt.CheckState.PartiallyChecked)
            self.box.setToolTip(f"The server holds {raw_text(value)!r}, neither yes nor no.")
        else:
            self.box.setTristate(False)
            self.box.setChecked(answer)

    def _clicked(self) -> None:
        if self.box.checkState() is Qt.CheckState.PartiallyChecked:
            self.box.setCheckState(Qt.CheckState.Checked)
        self.box.setTristate(False)
        self.edited.emit()

    def focus_target(self) -> QWidget:
        return self.box


class DateEditor(FieldEditor):
    """A date picker with a calendar; ✕ clears it. Reads as YYYY-MM-DD, or "" when cleared."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        with_time = spec.type is FieldType.DATETIME
        self._with_time = with_time
        self.picker: QDateEdit | QDateTimeEdit = (
            QDateTimeEdit(self) if with_time else QDateEdit(self)
        )
        self.picker.setCalendarPopup(True)
        self.picker.setDisplayFormat("yyyy-MM-dd HH:mm:ss" if with_time else "yyyy-MM-dd")
        self.picker.setMinimumDate(_EMPTY_DATE)
        self.picker.setSpecialValueText(_EMPTY_TEXT)
        self.picker.dateTimeChanged.connect(lambda _when: self.edited.emit())
        self.clear_button = QToolButton(self)
        self.clear_button.setText("✕")
        self.clear_button.setToolTip(f"Clear {spec.label}")
        self.clear_button.setAccessibleName(f"Clear {spec.label}")
        self.clear_button.setEnabled(not spec.required)
        self.clear_button.clicked.connect(self.clear)
        self._suffix = ""  # a time zone the stored value carried, kept when it is edited
        _fill(self, self.picker, self.clear_button)

    @property
    def empty(self) -> bool:
        return self.picker.date() == _EMPTY_DATE

    def clear(self) -> None:
        self.picker.setDateTime(QDateTime(_EMPTY_DATE, QTime(0, 0)))
        self.edited.emit()

    def raw(self) -> str:
        if self.empty:
            return ""
        if self._with_time:
            return self.picker.dateTime().toString("yyyy-MM-ddTHH:mm:ss") + self._suffix
        return self.picker.date().toString("yyyy-MM-dd")

    def set_raw(self, value: Any) -> None:
        when = parse_when(raw_text(value))
        if when is None:
            self.picker.setDateTime(QDateTime(_EMPTY_DATE, QTime(0, 0)))
            return
        self.picker.setDateTime(when[0])
        self._suffix = when[1]

    def focus_target(self) -> QWidget:
        return self.picker


def parse_when(text: str) -> tuple[QDateTime, str] | None:
    """A stored date or date-time as the picker's value and the zone suffix it carried."""
    match = _DATETIME.match(text)
    if match:
        year, month, day, hour, minute = (int(part) for part in match.groups()[:5])
        second = int(match.group(6) or 0)
        when = QDateTime(QDate(year, month, day), QTime(hour, minute, second))
        suffix = match.group(7).strip()
        return (when, suffix) if when.isValid() else None
    match = _DATE.match(text)
    if match:
        date = QDate(*(int(part) for part in match.groups()))
        return (QDateTime(date, QTime(0, 0)), "") if date.isValid() else None
    return None


def pickable(spec: FieldSpec, value: Any) -> bool:
    """Whether the type's own editor can show `value` as it is; else it is edited as text."""
    if spec.type in (FieldType.DATE, FieldType.DATETIME):
        return value in (None, "") or parse_when(raw_text(value)) is not None
    if spec.type is FieldType.CHOICE:
        return bool(spec.options)
    return True


def make_editor(
    spec: FieldSpec, value: Any = None, parent: QWidget | None = None, *, framed: bool = True
) -> FieldEditor:
    """The editor that fits `spec`, showing `value`. A value the type's editor cannot show
    (a date the server wrote some other way) is edited as text rather than replaced. A grid
    cell's one-line editors are not `framed`: the cell is their frame."""
    editor: FieldEditor
    if not pickable(spec, value):
        editor = LineEditor(spec, parent, framed=framed)
    elif spec.type is FieldType.LONG_TEXT:
        editor = LongTextEditor(spec, parent)
    elif spec.type is FieldType.CHOICE:
        editor = ChoiceEditor(spec, parent)
    elif spec.type is FieldType.BOOLEAN:
        editor = YesNoEditor(spec, parent)
    elif spec.type in (FieldType.DATE, FieldType.DATETIME):
        editor = DateEditor(spec, parent)
    else:
        editor = LineEditor(spec, parent, framed=framed)
    editor.set_raw(value)
    editor.touched = False  # showing the value is not a change the person made
    editor.setFocusProxy(editor.focus_target())
    return editor


def _fill(owner: QWidget, *widgets: QWidget) -> None:
    row = QHBoxLayout(owner)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(2)
    for number, widget in enumerate(widgets):
        row.addWidget(widget, 1 if number == 0 else 0)
