"""PageModel: the records of the page on screen, as a Qt table model."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from crmdesk.api import FieldSpec, FieldType, Page, Record, SortKey, yes_no
from crmdesk.exporting import is_yes_no, parse_when
from crmdesk.ui.browser.dates import DateText

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = frozenset({FieldType.NUMBER, FieldType.CURRENCY})
_DATES = frozenset({FieldType.DATE, FieldType.DATETIME})

# The raw value of a cell, as the API gave it (copy as JSON, the editing UI).
RAW_ROLE = Qt.ItemDataRole.UserRole + 1
# (entity, record id) of the record a cell's value points at, or None.
LINK_ROLE = Qt.ItemDataRole.UserRole + 2
# The roles as plain ints: `data` runs for every role of every visible cell of every paint
# (seven roles a cell, over a thousand calls a page), and comparing ints costs no lookups.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_RAW = int(RAW_ROLE)
_LINK = int(LINK_ROLE)
_LINK_BRUSH = QBrush(QColor("#1558b0"))
_LINK_FONT: list[QFont] = []


def _link_font() -> QFont:
    if not _LINK_FONT:
        font = QFont()
        font.setUnderline(True)
        _LINK_FONT.append(font)
    return _LINK_FONT[0]


# The key a column is remembered by: the field's name, or ID_KEY for the id's own column.
ID_KEY = "@id"

Index = QModelIndex | QPersistentModelIndex


class CellOverlay(Protocol):
    """What record editing lays over a page (crmdesk.ui.editing): pending values, their marks,
    and edits taken. `data` answers None where the page's own answer stands; it is asked only
    for the roles in `roles`."""

    @property
    def roles(self) -> frozenset[int]: ...
    def data(self, index: Index, role: int) -> Any: ...
    def flags(self, index: Index, flags: Qt.ItemFlag) -> Qt.ItemFlag: ...
    def set_data(self, index: Index, value: Any, role: int) -> bool: ...
    def header_data(self, column: int, role: int) -> Any: ...


class PageModel(QAbstractTableModel):
    """One page of records: one column per field, led by the record id.

    When a field holds the id (`id_field`), that field is the id's column; otherwise the id,
    which then travels beside the values, gets a column of its own first, titled `id_label`.

    Overrides `rowCount`, `columnCount`, `data` and `headerData`. `data` handles DisplayRole
    (text formatted once per row, when first shown, not per call: the view asks often; dates
    in the user's locale and time zone, yes/no as Yes/No), ToolTipRole (the whole text, and a
    date's raw value), TextAlignmentRole (numbers and currency right-aligned), ForegroundRole
    and FontRole (related ids drawn as links), RAW_ROLE and LINK_ROLE;
    `headerData` handles DisplayRole (the field's label, with ▲/▼ on the sorted column) and
    ToolTipRole (name, type, whether the server sorts by it) for columns, and nothing for
    rows. Every other role answers None. It never sorts: the browser asks the server.

    An `overlay` (set by record editing) answers first in `data`, adds to `flags`, takes
    `setData` and answers the column headers' other roles; the page itself never holds an
    edit, so a new page cannot lose one.
    """

    def __init__(
        self, id_label: str = "ID", id_field: str | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._id_label = id_label
        self._id_field = id_field
        # 1 while the id needs a column of its own, 0 once a field is known to hold it.
        self._id_columns = 1
        self._fields: tuple[FieldSpec, ...] = ()
        self._yes_no: tuple[bool, ...] = ()
        self._link_columns: frozenset[int] = frozenset()
        self._records: tuple[Record, ...] = ()
        self._rows = _Rows((), self._format)
        self.overlay: CellOverlay | None = None
        self._sort: SortKey | None = None

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self._fields

    def set_fields(self, fields: tuple[FieldSpec, ...]) -> None:
        self.beginResetModel()
        self._fields = _id_first(tuple(fields), self._id_field)
        self._yes_no = tuple(is_yes_no(f) for f in self._fields)
        held = self._id_field is not None and any(f.name == self._id_field for f in self._fields)
        self._id_columns = 0 if held else 1
        self._link_columns = frozenset(
            number
            for number, spec in enumerate(self._fields, start=self._id_columns)
            if spec.relates_to is not None
        )
        self._rows = _Rows(self._records, self._format)
        self.endResetModel()

    def set_page(self, page: Page) -> None:
        # A reset, not row inserts: a new page replaces every row (B7 measured both as cheap).
        self.beginResetModel()
        self._records = page.records
        self._rows = _Rows(page.records, self._format)
        self.endResetModel()

    def field_at(self, column: int) -> FieldSpec | None:
        """The field shown in `column`; None for the id's own column."""
        number = column - self._id_columns
        if not 0 <= number < len(self._fields):
            return None
        return self._fields[number]

    def column_of(self, field_name: str) -> int:
        for number, spec in enumerate(self._fields, start=self._id_columns):
            if spec.name == field_name:
                return number
        return -1

    def record_at(self, row: int) -> Record:
        return self._records[row]

    @property
    def records(self) -> tuple[Record, ...]:
        return self._records

    def column_label(self, column: int) -> str:
        """The column's title, without the sort arrow."""
        spec = self.field_at(column)
        return self._id_label if spec is None else spec.label

    def column_key(self, column: int) -> str:
        spec = self.field_at(column)
        return ID_KEY if spec is None else spec.name

    def set_sort(self, sort: SortKey | None) -> None:
        """Mark the column the shown page is sorted by (its header gets ▲ or ▼)."""
        if sort == self._sort:
            return
        self._sort = sort
        if self.columnCount():
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: the records on this page (0 under a row)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: one per field, and the id's if it has one."""
        return 0 if parent.isValid() else len(self._fields) + self._id_columns

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractItemModel.data for DisplayRole, ToolTipRole, TextAlignmentRole,
        ForegroundRole, FontRole, RAW_ROLE and LINK_ROLE (and every role the overlay answers
        first)."""
        if not index.isValid():
            return None
        overlay = self.overlay
        if overlay is not None and role in overlay.roles:
            answer = overlay.data(index, role)
            if answer is not None:
                return answer
        if role == _DISPLAY:
            return self._rows[index.row()][index.column()]
        if role == _ALIGNMENT:
            spec = self.field_at(index.column())
            return _RIGHT if spec is not None and spec.type in _NUMERIC else _LEFT
        if role == _TOOLTIP:
            return self._tooltip(index.row(), index.column())
        if role == _RAW:
            return self._raw(index.row(), index.column())
        if role == _LINK:
            return self._link(index.row(), index.column())
        if role in (_FOREGROUND, _FONT) and index.column() in self._link_columns:
            if not self._link(index.row(), index.column()):
                return None
            return _LINK_BRUSH if role == _FOREGROUND else _link_font()
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Overrides QAbstractItemModel.flags: enabled and selectable, editable where the
        overlay says so."""
        flags = super().flags(index)
        if self.overlay is not None and index.isValid():
            return self.overlay.flags(index, flags)
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Overrides QAbstractItemModel.setData: an edit goes to the overlay (the pending
        edits), never into the page."""
        if self.overlay is None or not index.isValid():
            return False
        return self.overlay.set_data(index, value, role)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Overrides QAbstractItemModel.headerData for DisplayRole and ToolTipRole (columns);
        other roles of the columns (a read-only field's padlock) come from the overlay."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        spec = self.field_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            label = self.column_label(section)
            sort = self._sort
            if spec is not None and sort is not None and sort.field == spec.name:
                # The same arrow the paging bar's words use, whatever the style would draw.
                return f"{label} {sort.arrow}"
            return label
        if role == Qt.ItemDataRole.ToolTipRole:
            return _id_tooltip() if spec is None else _field_tooltip(spec)
        if self.overlay is not None:
            return self.overlay.header_data(section, role)
        return None

    # -- formatting, once per row shown --------------------------------------------------

    def _format(self, record: Record, dates: DateText) -> tuple[str, ...]:
        values = record.values
        lead = (record.id,) if self._id_columns else ()
        return (
            *lead,
            *(
                format_value(values.get(f.name), f.type, yes_no=shown_yes_no, dates=dates)
                for f, shown_yes_no in zip(self._fields, self._yes_no, strict=True)
            ),
        )

    def _raw(self, row: int, column: int) -> Any:
        record = self._records[row]
        spec = self.field_at(column)
        return record.id if spec is None else record.values.get(spec.name)

    def _link(self, row: int, column: int) -> tuple[str, str] | None:
        spec = self.field_at(column)
        if spec is None or spec.relates_to is None:
            return None
        record = self._records[row]
        value = record.values.get(spec.name)
        entity = spec.related_entity(record.values)
        if entity is None or not isinstance(value, str | int) or value in ("", 0):
            return None
        return entity, str(value)

    def _tooltip(self, row: int, column: int) -> str | None:
        shown = self._rows[row][column]
        raw = self._raw(row, column)
        spec = self.field_at(column)
        if spec is not None and spec.type in _DATES and isinstance(raw, str) and raw != shown:
            return f"{shown}\nAs the server sent it: {raw}"
        link = self._link(row, column)
        if link is not None:
            return f"{shown}\nThe id of a record of {link[0]}: Ctrl+click to open it"
        # The whole text; the view shows it only where the cell cuts it off.
        return shown or None


class _Rows:
    """A page's rows as shown, each formatted the first time it is asked for: a paint asks
    for the rows in sight, and a page of hundreds need not be formatted whole before its
    first paint (formatting a 100-record page was a third of the time showing it took)."""

    def __init__(
        self, records: tuple[Record, ...], format: Callable[[Record, DateText], tuple[str, ...]]
    ) -> None:
        self._records = records
        self._format = format
        self._dates: DateText | None = None
        self._done: list[tuple[str, ...] | None] = [None] * len(records)

    def __len__(self) -> int:
        return len(self._done)

    def __getitem__(self, row: int) -> tuple[str, ...]:
        done = self._done[row]
        if done is None:
            if self._dates is None:
                self._dates = DateText()  # made once a page (the locale may have changed)
            done = self._done[row] = self._format(self._records[row], self._dates)
        return done


def _id_first(fields: tuple[FieldSpec, ...], id_field: str | None) -> tuple[FieldSpec, ...]:
    """The fields with the one holding the id moved to the front, where users look for it."""
    held = [f for f in fields if f.name == id_field]
    return (*held, *(f for f in fields if f.name != id_field))


def format_value(
    value: Any, field_type: FieldType, *, yes_no: bool = False, dates: DateText | None = None
) -> str:
    """A value as the grid shows it. `yes_no`: the field is a yes/no in disguise (a choice
    of Y and N), shown as Yes/No like every flag; `dates` formats dates (one per page)."""
    if value is None:
        return ""
    if isinstance(value, bool) or field_type is FieldType.BOOLEAN or yes_no:
        return _yes_no(value)
    if field_type is FieldType.CURRENCY:
        return _money(value)
    if field_type in _DATES:
        when = parse_when(value, field_type)
        if when is not None:
            return (dates or DateText())(when)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value).replace("\n", " ⏎ ")


def _yes_no(value: Any) -> str:
    answer = yes_no(value)
    return str(value) if answer is None else ("Yes" if answer else "No")


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return str(value)
    if not amount.is_finite():
        return str(value)
    return f"{amount:,.2f}"


def _id_tooltip() -> str:
    return "The record's id on the server. Sorting by it is not offered."


def _field_tooltip(spec: FieldSpec) -> str:
    lines = [f"Field: {spec.name}", f"Type: {spec.type.value}"]
    if spec.required:
        lines.append("Required")
    if spec.read_only:
        lines.append("Read-only")
    lines.append("Click to sort by it" if spec.sortable else "Records cannot be sorted by it")
    return "\n".join(lines)
