"""The Qt side of pending edits: `desk.edits` (crmdesk.editing.PendingEdits) heard as a signal,
and the text a person typed that the field refused, kept so they can fix it.

The edits themselves live only in the Desk's PendingEdits: views overlay them, so paging,
sorting, refreshing or closing a tab never loses one. A refused text is not an edit (it is no
value the API would take) and is never sent; it is kept here, beside the edits, until the
person fixes it, reverts it or discards it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from crmdesk.api import FieldSpec
from crmdesk.editing import EditsChanged, Outcome, PendingEdits, SaveReport
from crmdesk.ui.editing.values import check

CellKey = tuple[str, str, str, str]  # connection id, entity, record id, field


@dataclass(frozen=True, slots=True)
class Refused:
    """What was typed into a cell and why the field would not take it."""

    text: str
    reason: str


class PendingSignals(QObject):
    """`changed(EditsChanged)` after every change to the pending edits or the refused texts."""

    changed = Signal(object)

    def __init__(self, edits: PendingEdits, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.edits = edits
        self._refused: dict[CellKey, Refused] = {}
        # Why the last save of a record did not save it, shown on its cells until it does.
        self._failures: dict[tuple[str, str, str], str] = {}
        # (connection id, entity) -> the ids of its records with an edit or a refused text;
        # worked out when first asked after a change (the grid asks at every cell it paints).
        self._marked: dict[tuple[str, str], frozenset[str]] = {}
        self._unsubscribe: Callable[[], None] | None = edits.subscribe(self._heard)

    def close(self) -> None:
        """Stop hearing the Desk's edits (the window is going)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def marked_records(self, connection_id: str, entity: str) -> frozenset[str]:
        """The records of this list that have a pending edit or a refused text."""
        where = (connection_id, entity)
        found = self._marked.get(where)
        if found is None:
            refused = (key[2] for key in self._refused if key[:2] == where)
            found = frozenset(self.edits.of_entity(*where)).union(refused)
            self._marked[where] = found
        return found

    def take(self, key: CellKey, spec: FieldSpec, old: Any, raw: Any) -> str | None:
        """What was typed for a field of a record: a pending edit when the field takes it
        (None), else kept as refused text; returns the reason then."""
        checked = check(spec, raw)
        if checked.ok:
            self.accept(key)
            self.edits.set(*key, old, checked.value)
            return None
        self.refuse(key, "" if raw is None else str(raw), checked.problem or "")
        return checked.problem

    # -- refused texts -----------------------------------------------------------------

    def refused(self, key: CellKey) -> Refused | None:
        return self._refused.get(key)

    def refuse(self, key: CellKey, text: str, reason: str) -> None:
        """Keep `text` for this cell with `reason`; the cell's pending edit, if any, stays."""
        self._refused[key] = Refused(text, reason)
        self._marked.clear()
        self._announce(key[0], key[1], (key[2],))

    def accept(self, key: CellKey) -> None:
        """The cell now holds a value the field took (or its old one): forget the refusal."""
        if self._refused.pop(key, None) is not None:
            self._marked.clear()
            self._announce(key[0], key[1], (key[2],))

    def refused_cells(
        self, connection_id: str | None = None, entity: str | None = None
    ) -> dict[CellKey, Refused]:
        return {
            key: refused
            for key, refused in self._refused.items()
            if (connection_id is None or key[0] == connection_id)
            and (entity is None or key[1] == entity)
        }

    # -- what the last save said of each record --------------------------------------------

    def note_save(self, report: SaveReport) -> None:
        """Keep the words of each record the save did not save; forget those it saved."""
        for result in report.results:
            key = (report.connection_id, report.entity, result.record_id)
            if result.outcome is Outcome.SAVED:
                self._failures.pop(key, None)
            else:
                self._failures[key] = f"{result.outcome.value.capitalize()}: {result.message}"
        self._announce(report.connection_id, report.entity, ())

    def failure(self, connection_id: str, entity: str, record_id: str) -> str | None:
        return self._failures.get((connection_id, entity, record_id))

    def failures(self, connection_id: str, entity: str) -> dict[str, str]:
        """Record id → why its last save did not save it, for this list's records."""
        return {
            key[2]: words
            for key, words in self._failures.items()
            if key[:2] == (connection_id, entity)
        }

    # -- reverting, which covers both ----------------------------------------------------

    def revert(self, connection_id: str, entity: str, record_id: str, field: str | None) -> None:
        for key in list(self._refused):
            if key[:3] == (connection_id, entity, record_id) and field in (None, key[3]):
                del self._refused[key]
        self._marked.clear()
        self.edits.revert(connection_id, entity, record_id, field)
        if not self.edits.of_record(connection_id, entity, record_id):
            self._failures.pop((connection_id, entity, record_id), None)
        self._announce(connection_id, entity, (record_id,))

    def revert_all(self, connection_id: str | None = None, entity: str | None = None) -> None:
        gone = self.refused_cells(connection_id, entity)
        for key in gone:
            del self._refused[key]
        self._marked.clear()
        self.edits.revert_all(connection_id, entity)
        for record in [k for k in self._failures if not self.edits.of_record(*k)]:
            del self._failures[record]
        for connection, name in {key[:2] for key in gone}:
            self._announce(connection, name, ())

    def unsaved(self, connection_id: str | None = None, entity: str | None = None) -> int:
        """Changed fields not yet saved, the refused ones included."""
        edits = self.edits.count(connection_id, entity)
        refused = [
            key for key in self.refused_cells(connection_id, entity) if self.edits.get(*key) is None
        ]
        return edits + len(refused)

    def _heard(self, change: EditsChanged) -> None:
        self._marked.clear()
        self.changed.emit(change)

    def _announce(self, connection_id: str, entity: str, record_ids: tuple[str, ...]) -> None:
        self._marked.clear()
        self.changed.emit(EditsChanged(connection_id, entity, record_ids))
