"""Pending edits: what a person changed and has not saved yet, outside any page model.

They are keyed by connection, entity, record and field, so paging, sorting, refreshing or
closing a tab never loses them; only a save that the server confirmed, or the person's own
revert, takes an edit away.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from crmdesk.api import same_value

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldEdit:
    """One changed field: the value as loaded from the server, and the value to send."""

    connection_id: str
    entity: str
    record_id: str
    field: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class EditsChanged:
    """What listeners hear: the records of one entity whose pending edits changed."""

    connection_id: str
    entity: str
    record_ids: tuple[str, ...]


Listener = Callable[[EditsChanged], None]
_Key = tuple[str, str]  # (connection id, entity)


class PendingEdits:
    """Every unsaved edit of a running crmdesk, in the order the records were first edited."""

    def __init__(self) -> None:
        self._edits: dict[_Key, dict[str, dict[str, FieldEdit]]] = {}
        self._listeners: list[Listener] = []

    # -- changing --------------------------------------------------------------------------

    def set(
        self, connection_id: str, entity: str, record_id: str, field: str, old: Any, new: Any
    ) -> None:
        """Record that `field` should become `new`; setting it back to `old` drops the edit.

        A field edited twice keeps the `old` of its first edit, the server's value: what a
        view shows as "old" may by then be the pending value itself.
        """
        key = (connection_id, entity)
        records = self._edits.get(key, {})
        fields = records.get(record_id, {})
        existing = fields.get(field)
        loaded = existing.old if existing is not None else old
        if same_value(loaded, new):
            if existing is None:
                return
            del fields[field]
        else:
            fields[field] = FieldEdit(connection_id, entity, record_id, field, loaded, new)
            records[record_id] = fields
            self._edits[key] = records
        self._tidy(connection_id, entity, record_id)
        self._tell(connection_id, entity, (record_id,))

    def revert(
        self, connection_id: str, entity: str, record_id: str, field: str | None = None
    ) -> None:
        """Drop the edit of one field, or every edit of the record when `field` is None."""
        fields = self._edits.get((connection_id, entity), {}).get(record_id)
        if not fields:
            return
        if field is None:
            fields.clear()
        elif fields.pop(field, None) is None:
            return
        self._tidy(connection_id, entity, record_id)
        self._tell(connection_id, entity, (record_id,))

    def revert_all(self, connection_id: str | None = None, entity: str | None = None) -> None:
        """Drop every edit, or those of one connection, or of one of its entities."""
        for key in [k for k in self._edits if _matches(k, connection_id, entity)]:
            record_ids = tuple(self._edits.pop(key))
            self._tell(*key, record_ids)

    def saved(self, sent: Iterable[FieldEdit]) -> None:
        """The server now holds these edits' new values: drop them.

        A field edited again while its save was on the way keeps the newer edit, with the
        saved value as its old one, so nothing typed meanwhile is lost.
        """
        touched: dict[_Key, list[str]] = {}
        for edit in sent:
            key = (edit.connection_id, edit.entity)
            fields = self._edits.get(key, {}).get(edit.record_id, {})
            current = fields.get(edit.field)
            if current is None:
                continue
            if same_value(current.new, edit.new):
                del fields[edit.field]
            else:
                fields[edit.field] = replace(current, old=edit.new)
            touched.setdefault(key, []).append(edit.record_id)
        for (connection_id, entity), record_ids in touched.items():
            for record_id in record_ids:
                self._tidy(connection_id, entity, record_id)
            self._tell(connection_id, entity, tuple(dict.fromkeys(record_ids)))

    # -- reading ---------------------------------------------------------------------------

    def get(self, connection_id: str, entity: str, record_id: str, field: str) -> FieldEdit | None:
        return self._edits.get((connection_id, entity), {}).get(record_id, {}).get(field)

    def of_record(self, connection_id: str, entity: str, record_id: str) -> dict[str, FieldEdit]:
        """Field name -> edit, for one record (a copy)."""
        return dict(self._edits.get((connection_id, entity), {}).get(record_id, {}))

    def of_entity(self, connection_id: str, entity: str) -> dict[str, dict[str, FieldEdit]]:
        """Record id -> field name -> edit, in the order the records were first edited."""
        records = self._edits.get((connection_id, entity), {})
        return {record_id: dict(fields) for record_id, fields in records.items()}

    def entities(self, connection_id: str | None = None) -> list[tuple[str, str]]:
        """The (connection id, entity) pairs that have pending edits."""
        return [key for key in self._edits if _matches(key, connection_id, None)]

    def count(self, connection_id: str | None = None, entity: str | None = None) -> int:
        """How many fields are changed and not saved."""
        return sum(
            len(fields)
            for key, records in self._edits.items()
            if _matches(key, connection_id, entity)
            for fields in records.values()
        )

    def record_count(self, connection_id: str | None = None, entity: str | None = None) -> int:
        """How many records have unsaved changes."""
        return sum(
            len(records)
            for key, records in self._edits.items()
            if _matches(key, connection_id, entity)
        )

    # -- listening -------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Have `listener` hear of every change; returns the way to stop."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _tell(self, connection_id: str, entity: str, record_ids: tuple[str, ...]) -> None:
        change = EditsChanged(connection_id, entity, record_ids)
        for listener in list(self._listeners):
            try:
                listener(change)
            except Exception:
                # A broken view must not stop the others from hearing, nor undo the edit.
                log.exception("a listener of pending edits failed")

    def _tidy(self, connection_id: str, entity: str, record_id: str) -> None:
        """No empty records or entities are kept, so counts and `entities()` stay true."""
        key = (connection_id, entity)
        records = self._edits.get(key)
        if records is None:
            return
        if not records.get(record_id):
            records.pop(record_id, None)
        if not records:
            del self._edits[key]


def _matches(key: _Key, connection_id: str | None, entity: str | None) -> bool:
    return (connection_id is None or key[0] == connection_id) and (
        entity is None or key[1] == entity
    )


def edits_of(
    edits: Mapping[str, Mapping[str, FieldEdit]], record_ids: Iterable[str] | None
) -> dict[str, dict[str, FieldEdit]]:
    """`edits` narrowed to `record_ids` (all when None), keeping the order of `edits`."""
    wanted = None if record_ids is None else set(record_ids)
    return {
        record_id: dict(fields)
        for record_id, fields in edits.items()
        if fields and (wanted is None or record_id in wanted)
    }
