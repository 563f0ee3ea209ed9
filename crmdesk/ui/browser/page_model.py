"""PageModel: the records of the page on screen, as a Qt table model."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from crmdesk.api import FieldSpec, FieldType, Page, Record, yes_no

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = frozenset({FieldType.NUMBER, FieldType.CURRENCY})

Index = QModelIndex | QPersistentModelIndex


class PageModel(QAbstractTableModel):
    """One page of records: one column per field, led by the record id.

    When a field holds the id (`id_field`), that field is the id's column; otherwise the id,
    which then travels beside the values, gets a column of its own first, titled `id_label`.

    Overrides `rowCount`, `columnCount`, `data` and `headerData`. `data` handles DisplayRole
    (text formatted once per page, not per call: the view asks often) and TextAlignmentRole
    (numbers and currency right-aligned); `headerData` handles DisplayRole (the field's label)
    and ToolTipRole (name, type, whether the server sorts by it) for columns, and nothing for
    rows. Every other role answers None. It never sorts: the browser asks the server.
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
        self._records: tuple[Record, ...] = ()
        self._rows: list[tuple[str, ...]] = []

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        return self._fields

    def set_fields(self, fields: tuple[FieldSpec, ...]) -> None:
        self.beginResetModel()
        self._fields = _id_first(tuple(fields), self._id_field)
        held = self._id_field is not None and any(f.name == self._id_field for f in self._fields)
        self._id_columns = 0 if held else 1
        self._rows = [self._format(record) for record in self._records]
        self.endResetModel()

    def set_page(self, page: Page) -> None:
        # A reset, not row inserts: a new page replaces every row (B7 measured both as cheap).
        self.beginResetModel()
        self._records = page.records
        self._rows = [self._format(record) for record in page.records]
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

    # -- QAbstractTableModel ----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: the records on this page (0 under a row)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: one per field, and the id's if it has one."""
        return 0 if parent.isValid() else len(self._fields) + self._id_columns

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Overrides QAbstractItemModel.data for DisplayRole and TextAlignmentRole."""
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            spec = self.field_at(index.column())
            return _RIGHT if spec is not None and spec.type in _NUMERIC else _LEFT
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        """Overrides QAbstractItemModel.headerData for DisplayRole and ToolTipRole (columns)."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        spec = self.field_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._id_label if spec is None else spec.label
        if role == Qt.ItemDataRole.ToolTipRole:
            return _id_tooltip() if spec is None else _field_tooltip(spec)
        return None

    # -- formatting, once per page ------------------------------------------------------

    def _format(self, record: Record) -> tuple[str, ...]:
        values = record.values
        lead = (record.id,) if self._id_columns else ()
        return (*lead, *(format_value(values.get(f.name), f.type) for f in self._fields))


def _id_first(fields: tuple[FieldSpec, ...], id_field: str | None) -> tuple[FieldSpec, ...]:
    """The fields with the one holding the id moved to the front, where users look for it."""
    held = [f for f in fields if f.name == id_field]
    return (*held, *(f for f in fields if f.name != id_field))


def format_value(value: Any, field_type: FieldType) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or field_type is FieldType.BOOLEAN:
        return _yes_no(value)
    if field_type is FieldType.CURRENCY:
        return _money(value)
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
