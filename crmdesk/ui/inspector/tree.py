"""JsonTreeModel: a JSON value as a collapsible tree (name, value, type), built as it is opened.

A reply of a megabyte can hold tens of thousands of values; a node's children are made the
first time the view asks for them, so opening a body costs what is on screen, and nothing
here recurses (a body can nest deeper than Python would).
"""

from __future__ import annotations

import json

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Value", "Type")
_SHOWN_CHARS = 300


class _Node:
    __slots__ = ("children", "name", "parent", "row", "value")

    def __init__(self, name: str, value: object, parent: _Node | None, row: int) -> None:
        self.name = name
        self.value = value
        self.parent = parent
        self.row = row
        self.children: list[_Node] | None = None

    def kids(self) -> list[_Node]:
        if self.children is None:
            if isinstance(self.value, dict):
                items = [(str(key), value) for key, value in self.value.items()]
            elif isinstance(self.value, list):
                items = [(f"[{i}]", value) for i, value in enumerate(self.value)]
            else:
                items = []
            self.children = [_Node(name, value, self, i) for i, (name, value) in enumerate(items)]
        return self.children

    @property
    def is_container(self) -> bool:
        return isinstance(self.value, dict | list)


class JsonTreeModel(QAbstractItemModel):
    """The top level is the body's own value: an object's keys or an array's items."""

    def __init__(self, value: object = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = _Node("", value, None, 0)

    def set_value(self, value: object) -> None:
        self.beginResetModel()
        self._root = _Node("", value, None, 0)
        self.endResetModel()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Overrides QAbstractItemModel.index: the node at `row` under `parent`."""
        node = self._node(parent)
        kids = node.kids()
        if not 0 <= row < len(kids) or not 0 <= column < len(HEADERS):
            return QModelIndex()
        return self.createIndex(row, column, kids[row])

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Overrides QAbstractItemModel.parent: the index of the node holding `child`."""
        if not child.isValid():
            return QModelIndex()
        node: _Node = child.internalPointer()
        holder = node.parent
        if holder is None or holder is self._root:
            return QModelIndex()
        return self.createIndex(holder.row, 0, holder)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.rowCount: an object's keys or an array's items; only
        the first column has children."""
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).kids())

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Overrides QAbstractItemModel.columnCount: name, value and type."""
        return len(HEADERS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        """Overrides QAbstractItemModel.hasChildren: without building the children."""
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return node.is_container and bool(node.value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Overrides QAbstractItemModel.data: DisplayRole (name, value in JSON's spelling or
        a count for objects and arrays, type) and ToolTipRole (a long value whole)."""
        if not index.isValid():
            return None
        node: _Node = index.internalPointer()
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return node.name
            if index.column() == 1:
                return _shown(node.value)
            return _type_of(node.value)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1 and not node.is_container:
            text = _json_text(node.value)
            return text if len(text) > 60 else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Overrides QAbstractItemModel.headerData: the column titles (DisplayRole)."""
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return "{1 key}" if len(value) == 1 else f"{{{len(value)} keys}}"
    if isinstance(value, list):
        return "[1 item]" if len(value) == 1 else f"[{len(value)} items]"
    text = _json_text(value)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS] + "…"


def _json_text(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return str(value)


def _type_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
