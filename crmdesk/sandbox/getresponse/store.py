"""The emulated account's resources: generated on first use, changed by writes, sorted once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from crmdesk.sandbox.getresponse.data import DEFAULT_COUNTS, FakeData, ResourceIds
from crmdesk.sandbox.getresponse.resources import SPECS, Resource

Sort = tuple[tuple[str, bool], ...]
Match = Callable[[Resource], bool]


def _sort_key(value: Any) -> tuple[int, float, str]:
    # Missing values last ascending; numbers as numbers, text without case.
    if value is None or value == "":
        return (2, 0.0, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value).casefold())


class ResourceStore:
    """id -> resource per collection, in creation order. The lock covers tests that read the
    store from their own thread while the server's loop writes."""

    def __init__(self, seed: int = 1, records_per_entity: int | None = None) -> None:
        counts = {
            path: default if records_per_entity is None else records_per_entity
            for path, default in DEFAULT_COUNTS.items()
        }
        self._fake = FakeData(seed, counts)
        self._created = dict.fromkeys(SPECS, 0)
        self._lock = threading.RLock()
        self._tables: dict[str, dict[str, Resource]] = {}
        self._orders: dict[tuple[str, Sort], list[str]] = {}

    def table(self, path: str) -> dict[str, Resource]:
        """The live mapping of a collection (generated now, with what it points at)."""
        with self._lock:
            found = self._tables.get(path)
            if found is None:
                found = self._tables[path] = {
                    r[SPECS[path].id_field]: r for r in self._generate(path)
                }
            return found

    def _generate(self, path: str) -> list[Resource]:
        fake = self._fake
        if path == "contacts":
            return fake.contacts(self.all("campaigns"), self.all("tags"), self.all("custom-fields"))
        if path == "imports":
            return fake.imports(self.all("campaigns"))
        makers: Mapping[str, Callable[[], list[Resource]]] = {
            "campaigns": fake.campaigns,
            "tags": fake.tags,
            "custom-fields": fake.custom_fields,
            "gdpr-fields": fake.gdpr_fields,
        }
        return makers[path]()

    def all(self, path: str) -> list[Resource]:
        with self._lock:
            return list(self.table(path).values())

    def get(self, path: str, resource_id: str) -> Resource | None:
        with self._lock:
            return self.table(path).get(resource_id)

    def new_id(self, path: str) -> str:
        """An id no generated or created resource of `path` has."""
        with self._lock:
            ids: ResourceIds = self._fake.ids[path]
            number = self._fake.counts[path] + self._created[path]
            self._created[path] += 1
            return ids(number)

    def put(self, path: str, resource: Resource) -> None:
        with self._lock:
            self.table(path)[resource[SPECS[path].id_field]] = resource
            self._forget(path)

    def delete(self, path: str, resource_id: str) -> bool:
        with self._lock:
            if self.table(path).pop(resource_id, None) is None:
                return False
            self._forget(path)
            return True

    def find(self, path: str, match: Match) -> Resource | None:
        with self._lock:
            return next((r for r in self.table(path).values() if match(r)), None)

    def select(self, path: str, sort: Sort, matches: Sequence[Match]) -> list[Resource]:
        """The resources passing every filter, in the order asked for."""
        with self._lock:
            table = self.table(path)
            ids = self._ordered(path, sort)
            chosen = [table[i] for i in ids]
        if matches:
            chosen = [r for r in chosen if all(m(r) for m in matches)]
        return chosen

    def _ordered(self, path: str, sort: Sort) -> list[str]:
        # Cached until the collection is written to: paging must not sort again for every page.
        key = (path, sort)
        cached = self._orders.get(key)
        if cached is None:
            table = self.table(path)
            ids = list(table)
            getters = SPECS[path].sorts
            # Stable sorts from the last key to the first give a multi-key order.
            for name, descending in reversed(sort):
                keys = {i: _sort_key(getters[name](table[i])) for i in ids}
                ids.sort(key=keys.__getitem__, reverse=descending)
            cached = self._orders[key] = ids
        return cached

    def _forget(self, path: str) -> None:
        for key in [k for k in self._orders if k[0] == path]:
            del self._orders[key]
