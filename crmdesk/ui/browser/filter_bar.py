"""FilterBar: filter a list by field (on the server where the API can, else locally), and
open one record by its id or URL.

The first row picks a field, takes a value (Enter adds it) and takes an id or URL to open;
the second row, shown while a filter is in force, lists the conditions as removable chips and
says who filters: "filtered on the server" or "filtered locally, over the fetched records".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crmdesk.exporting import Criterion, FilterField, split

_LOCAL_WORDS = "filtered locally, over the records fetched (contains, any case)"
_SERVER_WORDS = "filtered on the server"


class FilterBar(QWidget):
    """Emits `criteriaChanged` with every condition in force, `findRequested` with an id."""

    criteriaChanged = Signal(object)  # tuple[Criterion, ...]
    findRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields: tuple[FilterField, ...] = ()
        self._criteria: tuple[Criterion, ...] = ()
        self._found: str | None = None
        self.field_box = QComboBox(self)
        self.field_box.setAccessibleName("Filter by")
        self.field_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.field_box.setMinimumContentsLength(14)
        self.field_box.currentIndexChanged.connect(self._field_chosen)
        self.value = QLineEdit(self)
        self.value.setAccessibleName("Filter value")
        self.value.setClearButtonEnabled(True)
        self.value.setMinimumWidth(140)
        self.value.returnPressed.connect(self.add_typed)
        self.add_button = QPushButton("Filter", self)
        self.add_button.setToolTip("Add this condition (Enter)")
        self.add_button.clicked.connect(self.add_typed)
        self.find_box = QLineEdit(self)
        self.find_box.setAccessibleName("Open by id or URL")
        self.find_box.setPlaceholderText("Open id or URL…")
        self.find_box.setToolTip(
            "Type or paste a record's id, or its URL, and press Enter (Ctrl+L)"
        )
        self.find_box.setClearButtonEnabled(True)
        self.find_box.setMinimumWidth(110)
        self.find_box.returnPressed.connect(self._find)
        self.chips = QHBoxLayout()
        self.chips.setSpacing(4)
        self.who = QLabel("", self)
        self.who.setObjectName("filterWho")
        self.who.setStyleSheet("#filterWho { color: palette(mid); }")
        self.problem = QLabel("", self)
        self.problem.setObjectName("filterProblem")
        self.problem.setStyleSheet("#filterProblem { color: #b71c1c; }")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.clear_button = QPushButton("Clear filter", self)
        self.clear_button.clicked.connect(self.clear)
        self.tools = QHBoxLayout()
        self.tools.setSpacing(4)
        self._second_row = QWidget(self)
        self._lay_out()
        self._show_chips()

    def _lay_out(self) -> None:
        first = QHBoxLayout()
        first.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Filter", self)
        label.setBuddy(self.value)
        first.addWidget(label)
        first.addWidget(self.field_box)
        first.addWidget(self.value, 3)
        first.addWidget(self.add_button)
        first.addSpacing(8)
        first.addWidget(self.find_box, 2)
        first.addLayout(self.tools)
        second = QHBoxLayout(self._second_row)
        second.setContentsMargins(0, 0, 0, 0)
        second.addLayout(self.chips)
        second.addWidget(self.who, 1)
        second.addWidget(self.clear_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(4)
        column.addLayout(first)
        column.addWidget(self._second_row)
        column.addWidget(self.problem)
        self._second_row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    # -- what the browser tells it ---------------------------------------------------------

    def set_fields(self, fields: Sequence[FilterField]) -> None:
        """What can be filtered on, server filters first (see crmdesk.exporting.filters)."""
        self._fields = tuple(fields)
        current = self.field_box.currentData()
        self.field_box.blockSignals(True)
        self.field_box.clear()
        for number, field in enumerate(self._fields):
            where = "" if field.server else "  (local)"
            self.field_box.addItem(field.label + where, number)
            self.field_box.setItemData(
                number,
                _SERVER_WORDS.capitalize() if field.server else _LOCAL_WORDS.capitalize(),
                Qt.ItemDataRole.ToolTipRole,
            )
        if not isinstance(current, int):
            # Where the API filters nothing, finding "that one lead" is a search of every field.
            server = any(field.server for field in self._fields)
            current = 0 if server else len(self._fields) - 1
        self.field_box.setCurrentIndex(max(0, current))
        self.field_box.blockSignals(False)
        self._field_chosen()

    def set_criteria(self, criteria: tuple[Criterion, ...]) -> None:
        """Show `criteria` as the conditions in force (without asking for them again)."""
        self._criteria = criteria
        self._show_chips()

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self._criteria

    def add_tool(self, text: str, tip: str = "") -> QPushButton:
        """A button at the right end of the bar (Columns…, Export…; record editing adds its
        own, such as New or Review and save)."""
        button = QPushButton(text, self)
        button.setToolTip(tip)
        self.tools.addWidget(button)
        return button

    def focus_filter(self) -> None:
        self.value.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.value.selectAll()

    def focus_find(self) -> None:
        self.find_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_box.selectAll()

    # -- what the user does ----------------------------------------------------------------

    def add_typed(self) -> None:
        field = self._chosen()
        text = self.value.text().strip()
        if field is None or not text:
            return
        criterion = Criterion(field, text)
        try:
            split([criterion])
        except ValueError as problem:
            self._say_problem(str(problem))
            return
        self.value.clear()
        # A second value for the same field replaces the first: "Status = Lost" after
        # "Status = Open" means Lost now, not both at once (no record is both).
        self.add(criterion)

    def add(self, criterion: Criterion) -> None:
        """Put `criterion` in force (a cell's "Filter: Status = Open"), replacing any other
        condition on its field."""
        kept = tuple(c for c in self._criteria if c.field != criterion.field)
        self._change((*kept, criterion))

    def set_found(self, record_id: str | None) -> None:
        """Say that one record, opened by its id, is shown instead of the list."""
        self._found = record_id
        self._show_chips()

    def remove(self, criterion: Criterion) -> None:
        self._change(tuple(c for c in self._criteria if c != criterion))

    def clear(self) -> None:
        self.value.clear()
        self._change(())

    def _find(self) -> None:
        # Enter on an empty box goes back from the record to the list.
        self.findRequested.emit(self.find_box.text().strip())

    def _change(self, criteria: tuple[Criterion, ...]) -> None:
        self._say_problem("")
        self._criteria = criteria
        self._show_chips()
        self.criteriaChanged.emit(criteria)

    def _chosen(self) -> FilterField | None:
        number = self.field_box.currentData()
        return self._fields[number] if isinstance(number, int) else None

    def _field_chosen(self) -> None:
        field = self._chosen()
        if field is None:
            self.value.setPlaceholderText("")
            return
        where = "on the server" if field.server else "locally, over the fetched records"
        self.value.setPlaceholderText(
            field.hint or ("value to match" if field.server else "text to find")
        )
        self.value.setToolTip(f"Filtered {where}. Enter adds the condition.")

    def _say_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _show_chips(self) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if self._found is not None:
            chip = QToolButton(self._second_row)
            chip.setText(f"Record {self._found}, opened by its id  ✕")
            chip.setToolTip("Back to the list (Esc)")
            chip.setAccessibleName("Back to the list")
            chip.clicked.connect(lambda: self.findRequested.emit(""))
            self.chips.addWidget(chip)
        for criterion in self._criteria:
            chip = QToolButton(self._second_row)
            chip.setText(f"{criterion.words}  ✕")
            chip.setToolTip("Remove this condition")
            chip.setAccessibleName(f"Remove filter {criterion.words}")
            chip.clicked.connect(lambda _checked=False, c=criterion: self.remove(c))
            self.chips.addWidget(chip)
        local = any(not c.field.server for c in self._criteria)
        server = any(c.field.server for c in self._criteria)
        words = [w for w, on in ((_SERVER_WORDS, server), (_LOCAL_WORDS, local)) if on]
        self.who.setText(" · ".join(words))
        self.clear_button.setVisible(bool(self._criteria))
        self._second_row.setVisible(bool(self._criteria) or self._found is not None)
