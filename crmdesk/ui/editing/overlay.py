"""EditOverlay: the pending edits of one entity of one connection laid over the page a
browser shows (crmdesk.ui.browser.page_model.CellOverlay), and edits typed into it taken."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QIcon

from crmdesk.api import EntityInfo, FieldSpec
from crmdesk.editing import EditsChanged
from crmdesk.ui.browser.page_model import Index, PageModel
from crmdesk.ui.editing import marks
from crmdesk.ui.editing.icons import lock_icon
from crmdesk.ui.editing.pending import CellKey, PendingSignals
from crmdesk.ui.session import ConnectionSession

_ROLE = Qt.ItemDataRole
# Every role `data` may answer; the page model asks no other (a paint asks seven a cell).
_ROLES = frozenset(
    int(role)
    for role in (
        _ROLE.DisplayRole,
        _ROLE.EditRole,
        _ROLE.ToolTipRole,
        _ROLE.BackgroundRole,
        _ROLE.ForegroundRole,
        _ROLE.FontRole,
        marks.MarkRole,
    )
)
_EDIT = int(_ROLE.EditRole)
_UNMARKED_READ_ONLY = frozenset((int(_ROLE.ForegroundRole), int(_ROLE.ToolTipRole)))


def why_not_editable(
    session: ConnectionSession, entity: EntityInfo, spec: FieldSpec | None
) -> str | None:
    """Why this field of this entity cannot be edited here, in words; None when it can."""
    if session.profile.read_only:
        return f"{session.name} is read-only (File → Connections… switches it off)."
    if not entity.can_update:
        return f"{session.name} does not let {entity.label.lower()} be changed."
    if spec is None:
        return "the record's id is the server's."
    if spec.read_only:
        return "the API keeps it read-only."
    return None


class EditOverlay(QObject):
    """Shows pending values (marked), refused texts (marked, kept to fix), greys read-only
    fields, and turns what an editor hands `setData` into a pending edit or a refusal."""

    def __init__(
        self,
        model: PageModel,
        pending: PendingSignals,
        session: ConnectionSession,
        entity: EntityInfo,
    ) -> None:
        super().__init__(model)
        self.model = model
        self.pending = pending
        self.session = session
        self.entity = entity
        self._lock: QIcon | None = None
        pending.changed.connect(self._heard)
        model.overlay = self
        # The headers ask again for their padlocks.
        columns = model.columnCount()
        if columns:
            model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)

    def detach(self) -> None:
        self.pending.changed.disconnect(self._heard)
        self.model.overlay = None

    # -- CellOverlay ----------------------------------------------------------------------

    @property
    def roles(self) -> frozenset[int]:
        return _ROLES

    def data(self, index: Index, role: int) -> Any:
        spec = self.model.field_at(index.column())
        if spec is None:
            return None
        record = self.model.record_at(index.row())
        old = record.values.get(spec.name)
        if record.id not in self.pending.marked_records(self.session.id, self.entity.name):
            # Most cells of most pages: no edit, no refusal; asked for every role of every
            # visible cell at each paint, so answered without building keys or looking up.
            if role == _EDIT:
                return old
            if role in _UNMARKED_READ_ONLY and spec.read_only:
                return self._read_only_data(role, spec)
            return None
        key = (self.session.id, self.entity.name, record.id, spec.name)
        refused = self.pending.refused(key)
        edit = self.pending.edits.get(*key)
        if refused is not None:
            return self._refused_data(role, spec, refused.text, refused.reason, old)
        if edit is not None:
            failed = self.pending.failure(*key[:3])
            if failed is not None and role == _ROLE.ToolTipRole:
                return f"The last save did not save this record. {failed}\n\n" + (
                    marks.change_tip(spec, edit.old, edit.new)
                )
            if failed is not None and role == marks.MarkRole:
                return "failed"
            return self._changed_data(role, spec, edit.old, edit.new)
        if role == _ROLE.EditRole:
            return old
        if role in _UNMARKED_READ_ONLY and spec.read_only:
            return self._read_only_data(role, spec)
        return None

    def _read_only_data(self, role: int, spec: FieldSpec) -> Any:
        why = why_not_editable(self.session, self.entity, spec)
        if why is None:
            return None
        if role == _ROLE.ForegroundRole:
            return marks.READ_ONLY_TEXT
        return marks.read_only_tip(spec, why)

    def header_data(self, column: int, role: int) -> Any:
        """A padlock on the header of a column the API keeps read-only (drawn, not a glyph
        the font may lack); its cells are greyed and say why on hover."""
        spec = self.model.field_at(column)
        if role == _ROLE.DecorationRole and spec is not None and spec.read_only:
            if self._lock is None:
                self._lock = lock_icon(QGuiApplication.palette())
            return self._lock
        return None

    def flags(self, index: Index, flags: Qt.ItemFlag) -> Qt.ItemFlag:
        spec = self.model.field_at(index.column())
        if why_not_editable(self.session, self.entity, spec) is None and self._connected():
            return flags | Qt.ItemFlag.ItemIsEditable
        return flags

    def set_data(self, index: Index, value: Any, role: int) -> bool:
        spec = self.model.field_at(index.column())
        if role != _ROLE.EditRole or spec is None or not self._connected():
            return False
        if why_not_editable(self.session, self.entity, spec) is not None:
            return False
        self.take(index.row(), spec, value)
        return True

    # -- edits ------------------------------------------------------------------------------

    def take(self, row: int, spec: FieldSpec, raw: Any) -> None:
        """A raw value typed for a cell: a pending edit when the field takes it, else kept as
        refused text with the reason (the cell shows it, nothing is sent)."""
        old = self.model.record_at(row).values.get(spec.name)
        self.pending.take(self._key(row, spec), spec, old, raw)

    def key_at(self, row: int, column: int) -> CellKey | None:
        spec = self.model.field_at(column)
        return self._key(row, spec) if spec is not None else None

    def _key(self, row: int, spec: FieldSpec) -> CellKey:
        record = self.model.record_at(row)
        return (self.session.id, self.entity.name, record.id, spec.name)

    def _connected(self) -> bool:
        return self.session.backend is not None

    def _changed_data(self, role: int, spec: FieldSpec, old: Any, new: Any) -> Any:
        if role == _ROLE.DisplayRole:
            return marks.shown(new, spec)
        if role == _ROLE.EditRole:
            return new
        if role == _ROLE.ToolTipRole:
            return marks.change_tip(spec, old, new)
        if role == _ROLE.BackgroundRole:
            return marks.background("changed")
        if role == _ROLE.FontRole:
            return marks.italic()
        if role == marks.MarkRole:
            return "changed"
        return None

    def _refused_data(self, role: int, spec: FieldSpec, text: str, reason: str, old: Any) -> Any:
        if role in (_ROLE.DisplayRole, _ROLE.EditRole):
            return (marks.REFUSED_PREFIX + text) if role == _ROLE.DisplayRole else text
        if role == _ROLE.ToolTipRole:
            return marks.refused_tip(spec, text, reason, old)
        if role == _ROLE.BackgroundRole:
            return marks.background("refused")
        if role == _ROLE.ForegroundRole:
            return marks.REFUSED_TEXT
        if role == _ROLE.FontRole:
            return marks.italic()
        if role == marks.MarkRole:
            return "refused"
        return None

    def _heard(self, change: EditsChanged) -> None:
        if (change.connection_id, change.entity) != (self.session.id, self.entity.name):
            return
        rows, columns = self.model.rowCount(), self.model.columnCount()
        if not rows or not columns:
            return
        wanted = set(change.record_ids)
        if not wanted:
            last = self.model.index(rows - 1, columns - 1)
            self.model.dataChanged.emit(self.model.index(0, 0), last)
            return
        for row in range(rows):
            if self.model.record_at(row).id in wanted:
                # A whole row, never one cell: the view then leaves an open editor alone.
                self.model.dataChanged.emit(
                    self.model.index(row, 0), self.model.index(row, columns - 1)
                )
