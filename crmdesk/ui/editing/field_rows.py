"""One field of a record as the record form shows it: its label with required and read-only
marks, its editor (or its locked value, with why), its API name and type, and a link when it
holds another record's id."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QWidget

from crmdesk.api import FieldSpec
from crmdesk.ui.editing import marks
from crmdesk.ui.editing.editors import FieldEditor, LongTextEditor, make_editor
from crmdesk.ui.editing.icons import lock_icon
from crmdesk.ui.elided import ElidedLabel

_HELP_KEYS = ("HelpText", "helpText", "help_text", "Help", "help", "Description", "description")
_CHANGED_STYLE = "background: #fff3c4; font-style: italic;"
_LOCKED_STYLE = "color: #7a7a7a; background: palette(window);"


def help_text(spec: FieldSpec) -> str:
    """What the API says about the field for people, where it says anything."""
    for key in _HELP_KEYS:
        value = spec.extra.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def facts(spec: FieldSpec) -> str:
    """ "FirstName · text · required"."""
    parts = [spec.name, spec.type.value]
    if spec.required:
        parts.append("required")
    if spec.read_only:
        parts.append("read-only")
    if spec.options:
        parts.append(f"{len(spec.options)} choices")
    if spec.relates_to:
        parts.append("links to another record")
    return " · ".join(parts)


def about(spec: FieldSpec) -> str:
    """The field in full, for the form's side panel (rich text)."""
    rows = [
        ("Label", spec.label),
        ("API name", spec.name),
        ("Type", spec.type.value),
        ("Required", "yes" if spec.required else "no"),
        ("Read-only", "yes" if spec.read_only else "no"),
    ]
    if spec.options:
        rows.append(("Choices", ", ".join(spec.options)))
    if spec.relates_to:
        rows.append(("Links to", spec.relates_to.lstrip("@")))
    shown = {"ExternalID", *_HELP_KEYS}
    rows += [(str(k), str(v)) for k, v in spec.extra.items() if k not in shown]
    table = "".join(
        f"<tr><td><b>{escape(k)}</b>&nbsp;</td><td>{escape(v)}</td></tr>" for k, v in rows
    )
    text = help_text(spec)
    return (f"<p>{escape(text)}</p>" if text else "<p><i>The API gives no help text.</i></p>") + (
        f"<table>{table}</table>"
    )


class FieldRow(QWidget):
    """The value part of one field's row; `label` goes in the form's first column.

    `edited(raw)` when the person changes the value; `openRelated(entity, id)` for its link.
    """

    edited = Signal(object)
    openRelated = Signal(str, str)

    def __init__(
        self,
        spec: FieldSpec,
        value: Any,
        locked_why: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.locked_why = locked_why
        self.label = QLabel()
        self.label.setToolTip(help_text(spec) or facts(spec))
        self.editor: FieldEditor | None = None
        self.locked: QLineEdit | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        if locked_why is None:
            self.editor = make_editor(spec, value, self)
            _fit_for_a_form(self.editor)
            self.editor.edited.connect(lambda: self.edited.emit(self.raw()))
            self.label.setBuddy(self.editor.focus_target())
            row.addWidget(self.editor, 1)
        else:
            self.locked = QLineEdit(self)
            self.locked.setObjectName("lockedValue")
            self.locked.setReadOnly(True)
            self.locked.setStyleSheet(_LOCKED_STYLE)
            tip = marks.read_only_tip(spec, locked_why)
            self.locked.setToolTip(tip)
            self.locked.setAccessibleName(spec.label)
            self.locked.setPlaceholderText("(empty)")
            self.locked.setAccessibleDescription(tip)
            # The padlock is drawn (crmdesk.ui.editing.icons): a 🔒 glyph is missing from
            # many Linux fonts.
            lock = self.locked.addAction(
                lock_icon(self.palette()), QLineEdit.ActionPosition.LeadingPosition
            )
            lock.setObjectName("lock")
            lock.setToolTip(tip)
            row.addWidget(self.locked, 1)
        self.link = QPushButton("Open ↗", self)
        self.link.setObjectName("openRelated")
        self.link.hide()
        self.link.clicked.connect(self._open_related)
        row.addWidget(self.link)
        # One width for every row, so the values line up; cut with "…", whole on hover.
        self.api = ElidedLabel(self)
        self.api.setStyleSheet("color: #7a7a7a; font-size: 8pt;")
        self.api.setText(facts(spec))
        self.api.setFixedWidth(self.api.fontMetrics().averageCharWidth() * 40)
        row.addWidget(self.api)
        self._related: tuple[str, str] | None = None
        self.show_value(value, None)

    def raw(self) -> Any:
        return self.editor.raw() if self.editor is not None else None

    def show_value(
        self, value: Any, changed_from: tuple[Any] | None, *, refill: bool = True
    ) -> None:
        """Show `value`; `changed_from` holds the server's value while it is a pending edit."""
        if self.locked is not None:
            self.locked.setText(marks.shown(value, self.spec))
        elif self.editor is not None and refill:
            self.editor.set_raw(value)
            self.editor.touched = False
        target = self.editor.focus_target() if self.editor is not None else self.locked
        assert target is not None
        if changed_from is not None:
            target.setStyleSheet(_CHANGED_STYLE)
            target.setToolTip(marks.change_tip(self.spec, changed_from[0], value))
            self.label.setText("• " + _plain_label(self))
            return
        self.label.setText(_plain_label(self))
        if self.locked is None:
            target.setStyleSheet("")
            target.setToolTip(help_text(self.spec) or facts(self.spec))

    def show_refused(self, text: str, reason: str) -> None:
        if self.editor is not None:
            self.editor.show_problem(reason)
            self.label.setText("⚠ " + _plain_label(self))

    def link_to(self, values: Mapping[str, Any], known: Mapping[str, str]) -> None:
        """Offer to open the record this field points at (`known`: entity name → label)."""
        entity = self.spec.related_entity(values) if self.spec.relates_to else None
        value = values.get(self.spec.name)
        if entity is None or entity not in known or value in (None, ""):
            self.link.hide()
            self._related = None
            return
        self._related = (entity, str(value))
        self.link.setText(f"Open {known[entity]} ↗")
        self.link.setToolTip(f"Open {known[entity]} record {value} in a tab")
        self.link.show()

    def _open_related(self) -> None:
        if self._related is not None:
            self.openRelated.emit(*self._related)


def _plain_label(row: FieldRow) -> str:
    spec = row.spec
    mark = ' <span style="color:#b71c1c">*</span>' if spec.required else ""
    if row.locked_why:
        # Greyed like the value; the padlock in the value says why on hover.
        return f'<span style="color:#7a7a7a">{escape(spec.label)}</span>{mark}'
    return f"{escape(spec.label)}{mark}"


def _fit_for_a_form(editor: FieldEditor) -> None:
    """A long text gets some lines in a form, not the whole height of the tab."""
    if isinstance(editor, LongTextEditor):
        lines = editor.text.fontMetrics().lineSpacing()
        editor.text.setFixedHeight(lines * 6 + 12)
        # Fixed, not expanding: the form's other rows keep their places below it.
        fixed = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        editor.text.setSizePolicy(fixed)
        editor.setSizePolicy(fixed)
