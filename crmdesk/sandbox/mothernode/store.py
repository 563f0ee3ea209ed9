"""The emulated account's records: generated on first use, changed by writes, filtered by field."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from crmdesk.sandbox.mothernode.data import (
    DEFAULT_COUNTS,
    FIRST_CUSTOMER_NUMBER,
    FIRST_LEAD_NUMBER,
    FIRST_NOTE_ID,
    FakeAccount,
    Fields,
    Invoice,
    record_uuid,
)
from crmdesk.sandbox.mothernode.schema import NO_DATE, NO_DATETIME, RESOURCES, Kind

# Embedded contacts carry a summary, as the KB's customer and lead examples show.
_EMBEDDED_CONTACT = ("contact_id", "first_name", "last_name", "email", "contact_tel")
_SEQUENCES = {
    "customers": ("customer_number", FIRST_CUSTOMER_NUMBER),
    "leads": ("lead_number", FIRST_LEAD_NUMBER),
    "notes": ("note_id", FIRST_NOTE_ID),
}


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _matches(fields: Mapping[str, str], filters: Mapping[str, str]) -> bool:
    return all(
        fields.get(name, "").casefold() == value.casefold() for name, value in filters.items()
    )


class AccountStore:
    """id → fields per resource, in creation order, plus invoices keyed by invoice number.

    A lock, because tests read and change the store from their own thread while the server's
    loop serves requests.
    """

    def __init__(self, seed: int = 1, records_per_entity: int | None = None) -> None:
        counts = {
            name: default if records_per_entity is None else records_per_entity
            for name, default in DEFAULT_COUNTS.items()
        }
        self.seed = seed
        self._fake = FakeAccount(seed, counts)
        self._lock = threading.RLock()
        self._records: dict[str, dict[str, Fields]] = {}
        self._invoices: dict[str, Invoice] | None = None
        self._created = 0
        self._next_number = {name: first + counts[name] for name, (_, first) in _SEQUENCES.items()}

    # -- reads -----------------------------------------------------------------------------

    def records(self, resource: str) -> dict[str, Fields]:
        """The live records of a resource (generated now if they weren't yet)."""
        with self._lock:
            found = self._records.get(resource)
            if found is None:
                found = self._records[resource] = self._fake.generate(resource)
            return found

    def get(self, resource: str, record_id: str) -> Fields | None:
        with self._lock:
            found = self.records(resource).get(record_id)
            return None if found is None else dict(found)

    def find(self, resource: str, filters: Mapping[str, str]) -> list[Fields]:
        """Copies of the records whose fields equal every filter (case-insensitively)."""
        with self._lock:
            return [dict(f) for f in self.records(resource).values() if _matches(f, filters)]

    def contacts_by(self, field: str) -> dict[str, list[Fields]]:
        """Contact summaries grouped by `field` (customer_id or contact_id), for embedding."""
        grouped: dict[str, list[Fields]] = {}
        with self._lock:
            for contact in self.records("contacts").values():
                summary = {name: contact[name] for name in _EMBEDDED_CONTACT}
                grouped.setdefault(contact[field], []).append(summary)
        return grouped

    def invoices(self) -> dict[str, Invoice]:
        with self._lock:
            if self._invoices is None:
                self._invoices = self._fake.invoices()
            return self._invoices

    def find_invoices(self, filters: Mapping[str, str]) -> dict[str, Invoice]:
        return {n: inv for n, inv in self.invoices().items() if _matches(inv[0], filters)}

    def invoice(self, key: str) -> Invoice | None:
        """An invoice by its number or its invoice_id."""
        invoices = self.invoices()
        if key in invoices:
            return invoices[key]
        return next((inv for inv in invoices.values() if inv[0]["invoice_id"] == key), None)

    # -- writes ----------------------------------------------------------------------------

    def create(self, resource: str, values: Mapping[str, str]) -> Fields:
        schema = RESOURCES[resource]
        with self._lock:
            records = self.records(resource)
            fields = {name: _blank(kind) for name, kind in schema.fields.items()}
            fields.update(values)
            if resource == "notes":
                record_id = self._number(resource)
            else:
                self._created += 1
                record_id = record_uuid(self.seed, f"{resource}:created", self._created)
                if resource in _SEQUENCES:
                    fields[_SEQUENCES[resource][0]] = self._number(resource)
            fields[schema.id_field] = record_id
            fields["created_date"] = now_stamp()
            records[record_id] = fields
            return dict(fields)

    def _number(self, resource: str) -> str:
        number = self._next_number[resource]
        self._next_number[resource] = number + 1
        return str(number)

    def update(self, resource: str, record_id: str, values: Mapping[str, str]) -> Fields | None:
        with self._lock:
            found = self.records(resource).get(record_id)
            if found is None:
                return None
            found.update(values)
            return dict(found)

    def delete(self, resource: str, record_id: str) -> bool:
        with self._lock:
            return self.records(resource).pop(record_id, None) is not None


def _blank(kind: Kind) -> str:
    """What the API stores for a field nobody set: the zero date is its way of saying none."""
    if kind is Kind.DATE:
        return NO_DATE
    if kind is Kind.DATETIME:
        return NO_DATETIME
    if kind is Kind.FLAG:
        return "0"
    if kind is Kind.MONEY:
        return "0.00"
    return ""
