"""The emulated tenant's records: generated on first use, changed by writes, sorted with a cache."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from crmdesk.sandbox.cmdatamanager.data import DEFAULT_COUNTS, FakeData
from crmdesk.sandbox.cmdatamanager.ids import ExternalIds
from crmdesk.sandbox.cmdatamanager.schema import SCHEMAS, FieldType

Properties = dict[str, str]
SortKey = tuple[int, float, str, str]

_NUMERIC = (FieldType.NUMBER, FieldType.CURRENCY)


def now_stamp() -> str:
    """The server's clock as the API writes it: UTC, to the second, no zone."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def _text_key(value: str, external_id: str) -> SortKey:
    # Empty values sort after everything else in ascending order.
    return (2 if value == "" else 0, 0.0, value.casefold(), external_id)


def _number_key(value: str, external_id: str) -> SortKey:
    if value == "":
        return (2, 0.0, "", external_id)
    try:
        return (0, float(value), "", external_id)
    except ValueError:
        return (1, 0.0, value.casefold(), external_id)


class RecordStore:
    """ExternalID → Properties per entity, in creation order.

    Entities are generated the first time anything touches them, so a sandbox with 100,000
    records per entity only pays for the entities a test or benchmark uses. The lock covers
    tests that read the store from their own thread while the server's loop writes.
    """

    def __init__(self, seed: int = 1, records_per_entity: int | None = None) -> None:
        counts = {
            name: default if records_per_entity is None else records_per_entity
            for name, default in DEFAULT_COUNTS.items()
        }
        self._ids = ExternalIds(seed)
        self._fake = FakeData(seed, counts, self._ids)
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, Properties]] = {}
        # (entity, field or None for creation order, descending) → ExternalIDs in that order.
        self._orders: dict[tuple[str, str | None, bool], list[str]] = {}

    def records(self, entity: str) -> dict[str, Properties]:
        """The live mapping of an entity's records (generated now if it wasn't yet)."""
        with self._lock:
            found = self._records.get(entity)
            if found is None:
                found = self._records[entity] = self._fake.generate(entity)
            return found

    def count(self, entity: str) -> int:
        return len(self.records(entity))

    def get(self, entity: str, external_id: str) -> Properties | None:
        """A copy of one record's properties, or None."""
        with self._lock:
            found = self.records(entity).get(external_id)
            return None if found is None else dict(found)

    def create(self, entity: str, values: Mapping[str, str]) -> str:
        """Store a new record (defaults filled, stamps set) and return its ExternalID."""
        stamp = now_stamp()
        properties = {spec.name: spec.default for spec in SCHEMAS[entity].fields}
        properties.update(values)
        properties["CreatedDate"] = properties["ModifiedDate"] = stamp
        with self._lock:
            records = self.records(entity)
            external_id = self._ids.created()
            records[external_id] = properties
            self._forget_orders(entity)
        return external_id

    def update(self, entity: str, external_id: str, values: Mapping[str, str]) -> bool:
        """Change fields of a record; False if there is no such record."""
        with self._lock:
            properties = self.records(entity).get(external_id)
            if properties is None:
                return False
            properties.update(values)
            properties["ModifiedDate"] = now_stamp()
            self._forget_orders(entity)
        return True

    def delete(self, entity: str, external_id: str) -> bool:
        with self._lock:
            if self.records(entity).pop(external_id, None) is None:
                return False
            self._forget_orders(entity)
        return True

    def ordered_ids(self, entity: str, sort_by: str | None, descending: bool) -> list[str]:
        """ExternalIDs in list order. Cached until the entity is written to, because paging
        through 100,000 records must not sort them again for every page."""
        key = (entity, sort_by, descending)
        with self._lock:
            cached = self._orders.get(key)
            if cached is None:
                if descending:
                    cached = self.ordered_ids(entity, sort_by, False)[::-1]
                else:
                    cached = self._sorted(entity, sort_by)
                self._orders[key] = cached
            return cached

    def _sorted(self, entity: str, sort_by: str | None) -> list[str]:
        records = self.records(entity)
        if sort_by is None:
            return list(records)
        if sort_by == "ExternalID":
            return sorted(records)
        spec = SCHEMAS[entity].by_name[sort_by]
        make: Callable[[str, str], SortKey] = _number_key if spec.type in _NUMERIC else _text_key
        # Ties end on the ExternalID inside the key, so the order (and paging) is stable.
        keyed = [make(props[sort_by], external_id) for external_id, props in records.items()]
        keyed.sort()
        return [key[-1] for key in keyed]

    def _forget_orders(self, entity: str) -> None:
        for key in [k for k in self._orders if k[0] == entity]:
            del self._orders[key]
