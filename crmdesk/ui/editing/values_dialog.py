"""ValuesDialog: a small form of fields (an action's inputs), each with the editor that fits
it, that closes only when every value is one the API will take."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import FieldSpec
from crmdesk.ui.editing.editors import FieldEditor, make_editor
from crmdesk.ui.editing.values import check, check_all


class ValuesDialog(QDialog):
    """Asks for `fields` (required ones first); `values()` once accepted.

    Opened with `open()` and awaited (crmdesk.ui.profiles.ask.answer_of), never `exec()`.
    """

    def __init__(
        self,
        title: str,
        intro: str,
        fields: tuple[FieldSpec, ...],
        go: str,
        parent: QWidget | None = None,
        *,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("valuesDialog")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.fields = tuple(sorted(fields, key=lambda f: not f.required))
        self.editors: dict[str, FieldEditor] = {}
        self.problems: dict[str, QLabel] = {}
        heading = QLabel(intro, self)
        heading.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in self.fields:
            editor = make_editor(spec, (initial or {}).get(spec.name), self)
            editor.edited.connect(lambda spec=spec: self._recheck(spec))
            problem = QLabel(self)
            problem.setStyleSheet("color: #b71c1c;")
            problem.setWordWrap(True)
            problem.hide()
            column = QVBoxLayout()
            column.setSpacing(1)
            column.addWidget(editor)
            column.addWidget(problem)
            label = QLabel(_label_text(spec), self)
            label.setBuddy(editor.focus_target())
            label.setToolTip(f"{spec.name} · {spec.type.value}")
            form.addRow(label, column)
            self.editors[spec.name] = editor
            self.problems[spec.name] = problem
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.go_button = buttons.addButton(go, QDialogButtonBox.ButtonRole.AcceptRole)
        self.go_button.setObjectName("go")
        self.go_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        if self.fields:
            column.addLayout(form)
        column.addWidget(buttons)
        self.setMinimumWidth(440)

    def raws(self) -> dict[str, Any]:
        return {name: editor.raw() for name, editor in self.editors.items()}

    def values(self) -> dict[str, Any]:
        """The values read for the fields, leaving out the ones left empty."""
        checked = check_all(self.fields, self.raws())
        return {name: c.value for name, c in checked.items() if c.ok and c.value not in (None, "")}

    def accept(self) -> None:
        """Overrides QDialog.accept: closes only when every value is taken, else says why."""
        checked = check_all(self.fields, self.raws())
        for name, result in checked.items():
            self._show(name, result.problem or "")
        if all(result.ok for result in checked.values()):
            super().accept()
        else:
            first = next(name for name, result in checked.items() if not result.ok)
            self.editors[first].focus_target().setFocus()

    def _recheck(self, spec: FieldSpec) -> None:
        raw = self.editors[spec.name].raw()
        # An empty required field is said only on Continue: not while the person types.
        if raw in (None, "") and spec.required:
            self._show(spec.name, "")
            return
        self._show(spec.name, check(spec, raw).problem or "")

    def _show(self, name: str, problem: str) -> None:
        self.editors[name].show_problem(problem)
        label = self.problems[name]
        label.setText(escape(problem))
        label.setVisible(bool(problem))


def _label_text(spec: FieldSpec) -> str:
    mark = ' <span style="color:#b71c1c">*</span>' if spec.required else ""
    return f"{escape(spec.label)}{mark}"
