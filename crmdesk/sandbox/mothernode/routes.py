"""The Mothernode routes: list with `?field=value` filters, get, and wrapped JSON writes.

Lists answer under the plural root key (`{"contacts": [...]}`), one record under the singular
(`{"contact": {...}}`); invoices list as an object keyed by invoice number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from aiohttp import web

from crmdesk.sandbox.mothernode.data import Fields
from crmdesk.sandbox.mothernode.schema import (
    INVOICE_FILTER_ALIASES,
    NO_DATE,
    NO_DATETIME,
    REF_TYPES,
    RESOURCES,
    Kind,
    Resource,
)
from crmdesk.sandbox.mothernode.store import AccountStore

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?")
_MONEY = re.compile(r"[+-]?\d+(\.\d+)?")
_FLAGS = {"0": "0", "1": "1", "": "0", "false": "0", "true": "1"}
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE"})


class Failure(Exception):
    """An answer the API gives as an error body with a status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def resource_of(request: web.Request) -> Resource:
    name = request.match_info["resource"]
    found = RESOURCES.get(name)
    if found is None:
        raise Failure(404, f"Resource '{name}' not found.")
    return found


class MothernodeRoutes:
    """Request handlers; authentication and the read-only-key check run before these."""

    def __init__(self, store: AccountStore) -> None:
        self.store = store

    def register(self, app: web.Application) -> None:
        add = app.router.add_route
        add("GET", "/", self.root)
        add("GET", "/{resource}", self.list_records)
        add("POST", "/{resource}", self.create)
        add("GET", "/{resource}/{id}", self.get_record)
        add("PUT", "/{resource}/{id}", self.update)
        add("DELETE", "/{resource}/{id}", self.delete)

    async def root(self, request: web.Request) -> web.Response:
        # The docs' authentication example calls the bare root with the key pair.
        return web.json_response({"message": "Mothernode API", "authenticated": "1"})

    # -- reads -----------------------------------------------------------------------------

    async def list_records(self, request: web.Request) -> web.Response:
        resource = resource_of(request)
        filters = _filters(resource, request.query)
        if resource.name == "invoices":
            found = self.store.find_invoices(filters)
            body = {n: {"header": h, "detail": lines} for n, (h, lines) in found.items()}
            return web.json_response({"invoices": body})
        records = self.store.find(resource.name, filters)
        return web.json_response({resource.name: self._embedded(resource, records)})

    async def get_record(self, request: web.Request) -> web.Response:
        resource = resource_of(request)
        record_id = request.match_info["id"]
        if resource.name == "invoices":
            invoice = self.store.invoice(record_id)
            if invoice is None:
                raise Failure(404, f"Invoice '{record_id}' not found.")
            return web.json_response({"invoice": {"header": invoice[0], "detail": invoice[1]}})
        found = self.store.get(resource.name, record_id)
        if found is None:
            raise Failure(404, f"{resource.singular.capitalize()} '{record_id}' not found.")
        return web.json_response({resource.singular: self._embedded(resource, [found])[0]})

    def _embedded(self, resource: Resource, records: list[Fields]) -> list[object]:
        """Customers carry their contacts, leads their primary contact, as in the KB."""
        if resource.name == "customers":
            grouped = self.store.contacts_by("customer_id")
            return [{**r, "contacts": grouped.get(r["customer_id"], [])} for r in records]
        if resource.name == "leads":
            by_id = self.store.contacts_by("contact_id")
            return [{**r, "contacts": by_id.get(r["primary_contact"], [])} for r in records]
        return list(records)

    # -- writes ----------------------------------------------------------------------------

    async def create(self, request: web.Request) -> web.Response:
        resource = _writable(request)
        values = _values(resource, await _wrapped(request, resource), creating=True)
        created = self.store.create(resource.name, values)
        body = {resource.singular: self._embedded(resource, [created])[0]}
        return web.json_response(body, status=201)

    async def update(self, request: web.Request) -> web.Response:
        resource = _writable(request)
        record_id = request.match_info["id"]
        if self.store.get(resource.name, record_id) is None:
            raise Failure(404, f"{resource.singular.capitalize()} '{record_id}' not found.")
        values = _values(resource, await _wrapped(request, resource), creating=False)
        updated = self.store.update(resource.name, record_id, values)
        if updated is None:
            raise Failure(404, f"{resource.singular.capitalize()} '{record_id}' not found.")
        return web.json_response({resource.singular: self._embedded(resource, [updated])[0]})

    async def delete(self, request: web.Request) -> web.Response:
        resource = _writable(request)
        record_id = request.match_info["id"]
        if not self.store.delete(resource.name, record_id):
            raise Failure(404, f"{resource.singular.capitalize()} '{record_id}' not found.")
        return web.Response(status=204)


def _writable(request: web.Request) -> Resource:
    resource = resource_of(request)
    if not resource.writable:
        raise Failure(405, f"{resource.name.capitalize()} are read-only.")
    return resource


def _filters(resource: Resource, query: Mapping[str, str]) -> dict[str, str]:
    filters: dict[str, str] = {}
    for name, value in query.items():
        field = name
        if resource.name == "invoices":
            field = INVOICE_FILTER_ALIASES.get(name, name)
        if field not in resource.fields:
            raise Failure(400, f"Unknown filter field '{name}' for {resource.name}.")
        filters[field] = value
    return filters


async def _wrapped(request: web.Request, resource: Resource) -> dict[str, object]:
    """The fields inside `{"<singular>": {...}}`, or a 400 saying what was expected."""
    raw = await request.read()
    try:
        body = json.loads(raw)
    except ValueError:
        raise Failure(400, "The request body is not valid JSON.") from None
    expected = f'The request body must be {{"{resource.singular}": {{...}}}}.'
    if not isinstance(body, dict):
        raise Failure(400, expected)
    inner = body.get(resource.singular)
    if not isinstance(inner, dict):
        raise Failure(400, expected)
    return inner


def _values(resource: Resource, given: Mapping[str, object], *, creating: bool) -> Fields:
    values: Fields = {}
    for name, raw in given.items():
        kind = resource.fields.get(name)
        if kind is None:
            raise Failure(400, f"Unknown field '{name}' for {resource.singular}.")
        if name in resource.read_only:
            raise Failure(400, f"Field '{name}' is read-only.")
        values[name] = _wire(name, kind, raw)
    if resource.name == "notes" and "ref_type" in values and values["ref_type"] not in REF_TYPES:
        raise Failure(400, f"ref_type must be one of {', '.join(REF_TYPES)}.")
    for name in resource.required:
        if (creating and not values.get(name)) or (name in values and not values[name]):
            raise Failure(400, f"Field '{name}' is required.")
    return values


def _wire(name: str, kind: Kind, raw: object) -> str:
    """A value as the API stores it (always a string), or a 400 naming the field."""
    if raw is None:
        raw = ""
    if isinstance(raw, bool):
        raw = "1" if raw else "0"
    if isinstance(raw, int | float):
        raw = str(raw)
    if not isinstance(raw, str):
        raise Failure(400, f"Field '{name}' must be a string or a number.")
    text = raw.strip()
    if kind is Kind.FLAG:
        if text.lower() not in _FLAGS:
            raise Failure(400, f"Field '{name}' must be 0 or 1.")
        return _FLAGS[text.lower()]
    if kind is Kind.MONEY:
        if text == "":
            return "0.00"
        if not _MONEY.fullmatch(text):
            raise Failure(400, f"Field '{name}' must be an amount.")
        return f"{float(text):.2f}"
    if kind is Kind.INTEGER and not text.isdigit():
        raise Failure(400, f"Field '{name}' must be a whole number.")
    if kind is Kind.DATE:
        if text in ("", NO_DATE):
            return NO_DATE
        if not _DATE.fullmatch(text):
            raise Failure(400, f"Field '{name}' must be a date (YYYY-MM-DD).")
    if kind is Kind.DATETIME:
        if text in ("", NO_DATE, NO_DATETIME):
            return NO_DATETIME
        if _DATE.fullmatch(text):
            return f"{text} 00:00:00"
        if not _DATETIME.fullmatch(text):
            raise Failure(400, f"Field '{name}' must be a date and time (YYYY-MM-DD HH:MM:SS).")
        text = text.replace("T", " ")
        return text if len(text) == 19 else f"{text}:00"
    return raw
