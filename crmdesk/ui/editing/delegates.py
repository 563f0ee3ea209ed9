"""FieldDelegate: the grid's cell editors, fitted to each field's type. (The corner mark of a
changed cell is GridEditing's, drawn over the grid once a paint: a `paint` here would be a
Python call for every visible cell of every page.)

An editor whose text the field refuses stays open on Enter or Tab with the reason shown;
when it closes anyway (a click elsewhere), the text is kept as refused in its cell, never
changed into something else. Esc closes the editor and leaves the cell as it was.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from crmdesk.ui.browser.page_model import PageModel
from crmdesk.ui.editing.editors import FieldEditor, LineEditor, LongTextEditor, make_editor
from crmdesk.ui.editing.values import check

Index = QModelIndex | QPersistentModelIndex
_Hint = QAbstractItemDelegate.EndEditHint
_COMMIT_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter}


class FieldDelegate(QStyledItemDelegate):
    """Editors from the field's FieldSpec (via the page model)."""

    def __init__(self, model: PageModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.last_editor: FieldEditor | None = None
        # The cell each open editor edits, to tell an editor still open from one the view
        # has just closed (its focus leaves as it goes, and must not commit it twice).
        self._cells: dict[FieldEditor, QPersistentModelIndex] = {}

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        """Overrides QStyledItemDelegate.createEditor: the editor that fits the field."""
        spec = self._model.field_at(index.column())
        if spec is None:
            return super().createEditor(parent, option, index)
        editor = make_editor(spec, index.data(Qt.ItemDataRole.EditRole), parent, framed=False)
        editor.setAutoFillBackground(True)
        if isinstance(editor, LineEditor):
            editor.line.selectAll()  # a cell's text is typed over, as in a spreadsheet
        self._cells[editor] = QPersistentModelIndex(index)
        editor.destroyed.connect(lambda *_args: self._cells.pop(editor, None))
        editor.edited.connect(lambda: editor.show_problem(check(spec, editor.raw()).problem or ""))
        editor.focus_target().installEventFilter(self)
        self.last_editor = editor
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        """Overrides QStyledItemDelegate.setEditorData: shown once, when the editor opens
        (make_editor did it), so a refresh of the row never overwrites what is being typed."""
        if not isinstance(editor, FieldEditor):
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        """Overrides QStyledItemDelegate.setModelData: the raw value goes to the model, which
        makes it a pending edit or keeps it as refused text."""
        if not isinstance(editor, FieldEditor):
            super().setModelData(editor, model, index)
            return
        if not editor.touched:
            return  # opened and closed without a change: nothing becomes an edit
        model.setData(index, editor.raw(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        """Overrides QStyledItemDelegate.updateEditorGeometry: a long text editor gets room
        below its cell for several lines."""
        rect = option.rect
        if isinstance(editor, LongTextEditor):
            rect = rect.adjusted(0, 0, 120, 80)
        editor.setGeometry(rect)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Overrides QStyledItemDelegate.eventFilter for the editor's inner widget: Enter and
        Tab commit (unless the value is refused: then the reason shows and it stays open), Esc
        reverts, and focus leaving the editor commits what was typed."""
        editor = _owner(watched)
        if editor is None:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(editor, event)
        if event.type() == QEvent.Type.FocusOut and not _inside(editor) and self._open(editor):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, _Hint.NoHint)
        return False

    def _open(self, editor: FieldEditor) -> bool:
        """Whether the view still has `editor` open on its cell (a view closing an editor
        forgets it first, then takes the focus back)."""
        view, cell = self.parent(), self._cells.get(editor)
        if not isinstance(view, QAbstractItemView) or cell is None or not cell.isValid():
            return False
        return view.indexWidget(view.model().index(cell.row(), cell.column())) is editor

    def _key(self, editor: FieldEditor, event: QKeyEvent) -> bool:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.closeEditor.emit(editor, _Hint.RevertModelCache)
            return True
        long_text = isinstance(editor, LongTextEditor)
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in _COMMIT_KEYS and (ctrl or not long_text):
            return self._commit(editor, _Hint.SubmitModelCache)
        if key == Qt.Key.Key_Tab:
            return self._commit(editor, _Hint.EditNextItem)
        if key == Qt.Key.Key_Backtab:
            return self._commit(editor, _Hint.EditPreviousItem)
        return False

    def _commit(self, editor: FieldEditor, hint: _Hint) -> bool:
        problem = check(editor.spec, editor.raw()).problem
        if problem:
            editor.show_problem(problem)
            target = editor.focus_target()
            QToolTip.showText(target.mapToGlobal(target.rect().bottomLeft()), problem, target)
            return True
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)
        return True


def _owner(watched: QObject) -> FieldEditor | None:
    widget: Any = watched
    while widget is not None and not isinstance(widget, FieldEditor):
        widget = widget.parent() if isinstance(widget, QObject) else None
    return widget


def _inside(editor: FieldEditor) -> bool:
    """Whether the keyboard is still within the editor (its calendar or list included)."""
    widget = QApplication.focusWidget()
    while widget is not None:
        if widget is editor:
            return True
        widget = widget.parentWidget()
    return False
