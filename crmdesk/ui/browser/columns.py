"""Which columns show, in what order and how wide, per connection and entity, across restarts.

`ColumnLayout` keeps the header of one browser in step with UiSettings: the first time an
entity is seen its columns are sized from the first page; after that the user's order, widths
and hidden columns are put back, whatever order the fields come in (a field the API adds later
shows at the end). `ColumnsDialog` is the "Columns…" chooser: tick, drag to reorder, reset.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from crmdesk.exporting import Column
from crmdesk.ui.browser.page_model import ID_KEY, PageModel
from crmdesk.ui.settings import UiSettings

# Columns sized from the first page are capped so one long value cannot push the rest away.
_MAX_SAMPLED_WIDTH = 320
_SAMPLE_SLACK = 16
_SAVE_DELAY_MS = 400
_KEY = Qt.ItemDataRole.UserRole


@dataclass(frozen=True, slots=True)
class ColumnState:
    """One column as the user sees it: its key (field name), title, and whether it shows."""

    key: str
    label: str
    visible: bool
    column: int  # the model's column


class ColumnLayout(QObject):
    """The header of one browser, kept as the user left it."""

    def __init__(
        self,
        table: QTableView,
        model: PageModel,
        settings: UiSettings,
        profile_id: str,
        entity: str,
    ) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._settings = settings
        self._where = (profile_id, entity)
        self._laid_out: tuple[str, ...] = ()
        self._applying = False
        self._save_soon = QTimer(self, singleShot=True, interval=_SAVE_DELAY_MS)
        self._save_soon.timeout.connect(self.save)
        header = table.horizontalHeader()
        header.sectionMoved.connect(self._changed)
        header.sectionResized.connect(self._changed)

    @property
    def _header(self) -> Any:
        return self._table.horizontalHeader()

    def fields_shown(self) -> None:
        """The model has a page with (perhaps new) columns: lay them out once per field set."""
        keys = tuple(self._model.column_key(c) for c in range(self._model.columnCount()))
        if not keys or keys == self._laid_out:
            return
        self._laid_out = keys
        saved = self._settings.columns(*self._where)
        if saved:
            self._restore(saved)
        else:
            self._sample()

    def states(self) -> list[ColumnState]:
        """Every column in the order the user sees them."""
        header = self._header
        found = []
        for visual in range(header.count()):
            column = header.logicalIndex(visual)
            found.append(
                ColumnState(
                    self._model.column_key(column),
                    self._model.column_label(column),
                    not header.isSectionHidden(column),
                    column,
                )
            )
        return found

    def view(self, *, visible_only: bool = True) -> tuple[Column, ...]:
        """The columns as export and search see them, in the order shown (the id's own
        column named "id")."""
        return tuple(
            Column("id" if s.key == ID_KEY else s.key, s.label, self._model.field_at(s.column))
            for s in self.states()
            if s.visible or not visible_only
        )

    def set_visible(self, column: int, visible: bool) -> None:
        if not visible and len([s for s in self.states() if s.visible]) <= 1:
            return  # the last visible column stays: a grid of nothing helps nobody
        self._header.setSectionHidden(column, not visible)
        if visible and self._header.sectionSize(column) < 20:
            self._header.resizeSection(column, 100)
        self.save()

    def show_all(self) -> None:
        for state in self.states():
            self._header.setSectionHidden(state.column, False)
        self.save()

    def arrange(self, wanted: list[tuple[str, bool]]) -> None:
        """Put the columns in the order of `wanted` (key, visible), as the chooser left them."""
        by_key = {state.key: state for state in self.states()}
        header = self._header
        self._applying = True
        try:
            for target, (key, visible) in enumerate(wanted):
                state = by_key.get(key)
                if state is None:
                    continue
                header.moveSection(header.visualIndex(state.column), target)
                header.setSectionHidden(state.column, not visible)
        finally:
            self._applying = False
        if not any(visible for _key, visible in wanted):
            header.setSectionHidden(header.logicalIndex(0), False)
        self.save()

    def reset(self) -> None:
        """Back to the entity's own order, every column shown, widths sampled again."""
        self._settings.forget_columns(*self._where)
        header = self._header
        self._applying = True
        try:
            for column in range(self._model.columnCount()):
                header.setSectionHidden(column, False)
                header.moveSection(header.visualIndex(column), column)
        finally:
            self._applying = False
        self._sample()

    def save(self) -> None:
        self._save_soon.stop()
        if not self._laid_out:
            return
        header = self._header
        layout = [
            {"key": s.key, "width": header.sectionSize(s.column), "hidden": not s.visible}
            for s in self.states()
        ]
        self._settings.save_columns(*self._where, layout)

    # -- laying out --------------------------------------------------------------------------

    def _restore(self, saved: list[dict[str, Any]]) -> None:
        header = self._header
        by_key = {self._model.column_key(c): c for c in range(self._model.columnCount())}
        self._applying = True
        try:
            target = 0
            for entry in saved:
                column = by_key.get(entry["key"])
                if column is None:
                    continue  # a field this connection no longer has
                header.moveSection(header.visualIndex(column), target)
                target += 1
                width = entry.get("width")
                if isinstance(width, int) and width > 0:
                    header.resizeSection(column, width)
                header.setSectionHidden(column, bool(entry.get("hidden")))
        finally:
            self._applying = False

    def _sample(self) -> None:
        header = self._header
        self._applying = True
        try:
            self._table.resizeColumnsToContents()
            for column in range(self._model.columnCount()):
                # Some slack: later pages hold values a little longer than the sampled ones.
                width = header.sectionSize(column) + _SAMPLE_SLACK
                header.resizeSection(column, min(width, _MAX_SAMPLED_WIDTH))
        finally:
            self._applying = False

    def _changed(self, *_args: object) -> None:
        if not self._applying and self._laid_out:
            self._save_soon.start()


class ColumnsDialog(QDialog):
    """Tick the columns to show and drag them into order; Reset puts the defaults back."""

    def __init__(self, layout: ColumnLayout, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnsDialog")
        self.setWindowTitle(f"Columns of {title}")
        self._layout = layout
        self.list = QListWidget(self)
        self.list.setAccessibleName("Columns")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        for state in layout.states():
            item = QListWidgetItem(state.label, self.list)
            item.setData(_KEY, state.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if state.visible else Qt.CheckState.Unchecked)
        self.up_button = QPushButton("Move &up", self)
        self.down_button = QPushButton("Move &down", self)
        self.all_button = QPushButton("Show &all", self)
        self.reset_button = QPushButton("&Reset to defaults", self)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.all_button.clicked.connect(self._check_all)
        self.reset_button.clicked.connect(self._reset)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        side = QVBoxLayout()
        for button in (self.up_button, self.down_button, self.all_button, self.reset_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        column = QVBoxLayout(self)
        column.addWidget(QLabel("Tick the columns to show; drag them into the order you want."))
        column.addLayout(row)
        column.addWidget(buttons)
        self.accepted.connect(self._apply)
        self.resize(380, 460)

    def wanted(self) -> list[tuple[str, bool]]:
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None:
                found.append((str(item.data(_KEY)), item.checkState() == Qt.CheckState.Checked))
        return found

    def _apply(self) -> None:
        self._layout.arrange(self.wanted())

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def _check_all(self) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked)

    def _reset(self) -> None:
        self._layout.reset()
        self.reject()
