"""The emulated site's records: generated on first use, then changed by the commands."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from crmdesk.sandbox.aicore.data import EVENT_FIELDS, LEAD_FIELDS, USER_FIELDS, FakeData, stamp

Row = dict[str, str]


def now_stamp() -> str:
    return stamp(datetime.now())


class SiteStore:
    """lead_id / user_id / event_id → record, per entity, in creation order.

    Generated lazily so a sandbox that never lists leads does not build them. The lock covers
    tests that read the store from their own thread while the server's loop writes.
    """

    def __init__(self, seed: int = 1, records_per_entity: int | None = None) -> None:
        self._fake = FakeData(seed, records_per_entity)
        self.lock = threading.RLock()
        self._tables: dict[str, dict[str, Row]] | None = None
        self._next: dict[str, int] = {}
        self.notifications_authenticated = False
        self._notification_hooks: list[Callable[[], None]] = []

    def on_notifications_authenticated(self, hook: Callable[[], None]) -> None:
        """Call `hook` whenever the authenticate_notifications command succeeds."""
        self._notification_hooks.append(hook)

    def authenticate_notifications(self) -> None:
        self.notifications_authenticated = True
        for hook in list(self._notification_hooks):
            hook()

    def _all(self) -> dict[str, dict[str, Row]]:
        with self.lock:
            if self._tables is None:
                users = self._fake.users()
                leads = self._fake.leads(len(users))
                events = self._fake.events([row["lead_id"] for row in leads], len(users))
                self._tables = {
                    "users": {row["user_id"]: row for row in users},
                    "leads": {row["lead_id"]: row for row in leads},
                    "events": {row["event_id"]: row for row in events},
                }
                self._next = {
                    "users": len(users) + 1,
                    "leads": 1001 + len(leads),
                    "events": len(events) + 1,
                }
            return self._tables

    def table(self, entity: str) -> dict[str, Row]:
        """The live mapping of one entity's records."""
        return self._all()[entity]

    def count(self, entity: str) -> int:
        return len(self.table(entity))

    def get(self, entity: str, record_id: str) -> Row | None:
        with self.lock:
            found = self.table(entity).get(record_id)
            return None if found is None else dict(found)

    def insert(self, entity: str, values: Row) -> str:
        """Store a new record with every field present and return its id."""
        names = {"leads": LEAD_FIELDS, "users": USER_FIELDS, "events": EVENT_FIELDS}[entity]
        key = {"leads": "lead_id", "users": "user_id", "events": "event_id"}[entity]
        with self.lock:
            table = self.table(entity)
            new_id = str(self._next[entity])
            self._next[entity] += 1
            row = dict.fromkeys(names, "")
            row.update(values)
            row[key] = new_id
            if entity == "leads":
                row["date_added"] = row["last_updated"] = now_stamp()
            elif entity == "users":
                row["date_added"] = now_stamp()
            table[new_id] = row
        return new_id

    def change(self, entity: str, record_id: str, values: Row) -> bool:
        with self.lock:
            row = self.table(entity).get(record_id)
            if row is None:
                return False
            row.update(values)
            if entity == "leads":
                row["last_updated"] = now_stamp()
        return True

    def lead_by_external_id(self, external_id: str) -> str | None:
        with self.lock:
            for lead_id, row in self.table("leads").items():
                if row["external_id"] == external_id:
                    return lead_id
        return None
