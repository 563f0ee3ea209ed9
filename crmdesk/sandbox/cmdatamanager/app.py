"""The CMDataManager routes: authenticate, records, paging and sorting, field metadata, actions."""

from __future__ import annotations

import hmac
import json
import math
import re
from collections.abc import Mapping
from typing import Literal

from aiohttp import web

from crmdesk.sandbox.cmdatamanager.access import TokenRegistry
from crmdesk.sandbox.cmdatamanager.schema import (
    CHILD_PARENTS,
    SCHEMAS,
    EntitySchema,
    ValidationError,
    validate,
)
from crmdesk.sandbox.cmdatamanager.store import Properties, RecordStore, now_stamp

BASE_PATH = "/api/v1"
NO_ROUTE = "No HTTP resource was found that matches the request URI."
NOT_FOUND = "Record not found."
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000

TaskClosePaths = Literal["both", "upper", "lower"]
_INTEGER = re.compile(r"[+-]?\d+")


class Failure(Exception):
    """An answer the API gives as {"Message": ...} with a status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _integer(query: Mapping[str, str], name: str) -> int:
    raw = query[name].strip()
    if not _INTEGER.fullmatch(raw):
        raise Failure(400, f"The {name} parameter must be an integer.")
    return int(raw)


def paging(query: Mapping[str, str]) -> tuple[int, int]:
    """(page, per_page) from the query, or Failure(400)."""
    if "page" not in query and "per_page" not in query:
        return 1, DEFAULT_PER_PAGE
    if "page" not in query or "per_page" not in query:
        raise Failure(400, "The page and per_page parameters must be given together.")
    per_page, page = _integer(query, "per_page"), _integer(query, "page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise Failure(400, f"The per_page parameter must be between 1 and {MAX_PER_PAGE}.")
    if page < 1:
        raise Failure(400, "The page parameter must be 1 or more.")
    return page, per_page


def _page_of(items: list[str], page: int, per_page: int) -> tuple[list[str], str, str]:
    """The slice for a page, with the totals as the API writes them (strings)."""
    start = (page - 1) * per_page
    return items[start : start + per_page], str(len(items)), str(math.ceil(len(items) / per_page))


def _wanted_fields(schema: EntitySchema, query: Mapping[str, str]) -> list[str] | None:
    raw = query.get("fields", "")
    names = list(dict.fromkeys(n.strip() for n in raw.split(",") if n.strip()))
    for name in names:
        if name not in schema.by_name and name != "ExternalID":
            raise Failure(400, f"Unknown field '{name}' for entity '{schema.name}'.")
    # The ExternalID is always part of a record, never one of its Properties.
    chosen = [n for n in names if n != "ExternalID"]
    return chosen or None


def _sorting(schema: EntitySchema, query: Mapping[str, str]) -> tuple[str | None, bool]:
    order = query.get("sort_order", "asc").strip().lower() or "asc"
    if order not in ("asc", "desc"):
        raise Failure(400, f"Invalid sort_order '{query['sort_order']}': use asc or desc.")
    sort_by = query.get("sort_by", "").strip() or None
    if sort_by is not None and sort_by not in schema.by_name and sort_by != "ExternalID":
        raise Failure(400, f"Cannot sort by '{sort_by}': no such field on '{schema.name}'.")
    return sort_by, order == "desc"


def _record(external_id: str, properties: Properties, fields: list[str] | None) -> object:
    if fields is not None:
        properties = {name: properties[name] for name in fields}
    return {"ExternalID": external_id, "Properties": properties}


async def _json_object(request: web.Request, *, optional: bool = False) -> dict[str, object]:
    raw = await request.read()
    if optional and not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as exc:
        if not raw.strip():
            raise Failure(400, "Request body must be a JSON object.") from exc
        raise Failure(400, f"Invalid JSON: {exc}.") from exc
    if not isinstance(body, dict):
        raise Failure(400, "Request body must be a JSON object.")
    return body


def _field_items() -> dict[str, list[object]]:
    items: dict[str, list[object]] = {}
    number = 0
    for schema in SCHEMAS.values():
        items[schema.name] = []
        for spec in schema.fields:
            number += 1
            properties = {
                "Name": spec.name,
                "Label": spec.label,
                "Type": spec.type.value,
                "Required": str(spec.required),
                "ReadOnly": str(spec.read_only),
                "Options": list(spec.options),
            }
            items[schema.name].append({"ExternalID": f"FLD{number:05d}", "Properties": properties})
    return items


class CMDataManagerRoutes:
    """Request handlers. Authorization and the quota are checked before these run."""

    def __init__(
        self,
        store: RecordStore,
        tokens: TokenRegistry,
        credentials: Mapping[str, str],
        task_close_paths: TaskClosePaths = "both",
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.credentials = dict(credentials)
        self.task_close_paths = task_close_paths
        self._field_items = _field_items()

    def register(self, app: web.Application) -> None:
        add = app.router.add_route
        add("POST", f"{BASE_PATH}/authenticate", self.authenticate)
        add("GET", BASE_PATH + "/{entity}", self.list_records)
        add("POST", BASE_PATH + "/{entity}", self.create)
        add("GET", BASE_PATH + "/{entity}/{id}", self.get_record)
        add("PUT", BASE_PATH + "/{entity}/{id}", self.update)
        add("DELETE", BASE_PATH + "/{entity}/{id}", self.delete)
        add("PUT", BASE_PATH + "/{entity}/{action}/{id}", self.action)
        add("POST", BASE_PATH + "/{entity}/{id}/{child}", self.create_child)

    # -- helpers ----------------------------------------------------------------------------

    def _schema(self, request: web.Request, key: str = "entity") -> EntitySchema:
        # Entity names are case-insensitive: /Lead and /lead are the same list.
        raw = request.match_info[key]
        schema = SCHEMAS.get(raw.lower())
        if schema is None:
            raise Failure(404, f"Entity '{raw}' not found.")
        return schema

    def _existing(self, entity: str, external_id: str) -> Properties:
        found = self.store.get(entity, external_id)
        if found is None:
            raise Failure(404, NOT_FOUND)
        return found

    @staticmethod
    def _validated(
        schema: EntitySchema, body: Mapping[str, object], *, creating: bool
    ) -> Properties:
        try:
            return validate(schema, body, creating=creating)
        except ValidationError as exc:
            raise Failure(400, str(exc)) from exc

    # -- handlers ---------------------------------------------------------------------------

    async def authenticate(self, request: web.Request) -> web.Response:
        for name, expected in self.credentials.items():
            given = request.headers.get(name, "")
            if not hmac.compare_digest(given.encode(), expected.encode()):
                raise Failure(401, "Authentication failed.")
        token, issued = self.tokens.issue(self.credentials["client_id"])
        return web.json_response(
            {"token": token}, headers={"x-token-reset": str(issued.expires_at)}
        )

    async def list_records(self, request: web.Request) -> web.Response:
        schema = self._schema(request)
        page, per_page = paging(request.query)
        fields = _wanted_fields(schema, request.query)
        sort_by, descending = _sorting(schema, request.query)
        ordered = self.store.ordered_ids(schema.name, sort_by, descending)
        chunk, total, pages = _page_of(ordered, page, per_page)
        records = self.store.records(schema.name)
        entity = [_record(external_id, records[external_id], fields) for external_id in chunk]
        return web.json_response({"Total Records": total, "Total Pages": pages, "Entity": entity})

    async def get_record(self, request: web.Request) -> web.Response:
        schema = self._schema(request)
        external_id = request.match_info["id"]
        if external_id.lower() == "fields":
            return self._fields(schema, request.query)
        fields = _wanted_fields(schema, request.query)
        found = self._existing(schema.name, external_id)
        return web.json_response(_record(external_id, found, fields))

    def _fields(self, schema: EntitySchema, query: Mapping[str, str]) -> web.Response:
        if not schema.has_field_metadata:
            raise Failure(404, f"Field metadata is not available for entity '{schema.name}'.")
        page, per_page = paging(query)
        items = self._field_items[schema.name]
        start = (page - 1) * per_page
        return web.json_response(
            {
                "Total Records": str(len(items)),
                "Total Page": str(math.ceil(len(items) / per_page)),
                "Field": items[start : start + per_page],
            }
        )

    async def create(self, request: web.Request) -> web.Response:
        schema = self._schema(request)
        values = self._validated(schema, await _json_object(request), creating=True)
        external_id = self.store.create(schema.name, values)
        return web.json_response({"ExternalID": external_id}, status=201)

    async def update(self, request: web.Request) -> web.Response:
        schema = self._schema(request)
        external_id = request.match_info["id"]
        self._existing(schema.name, external_id)
        values = self._validated(schema, await _json_object(request), creating=False)
        self.store.update(schema.name, external_id, values)
        return web.json_response({"Message": "Record updated."})

    async def delete(self, request: web.Request) -> web.Response:
        schema = self._schema(request)
        if not self.store.delete(schema.name, request.match_info["id"]):
            raise Failure(404, NOT_FOUND)
        return web.json_response({"Message": "Record deleted."})

    async def action(self, request: web.Request) -> web.Response:
        entity, action = request.match_info["entity"], request.match_info["action"]
        if entity.lower() == "lead" and action.lower() == "convert":
            return await self._convert(request)
        if self._is_close_path(entity, action):
            return self._close(request.match_info["id"])
        raise Failure(404, NO_ROUTE)

    def _is_close_path(self, entity: str, action: str) -> bool:
        # The docs spell it /Task/Close/ in prose and /task/close/ in samples; the option lets
        # tests run a server that knows only one spelling.
        if self.task_close_paths == "upper":
            return (entity, action) == ("Task", "Close")
        if self.task_close_paths == "lower":
            return (entity, action) == ("task", "close")
        return (entity.lower(), action.lower()) == ("task", "close")

    def _close(self, external_id: str) -> web.Response:
        task = self._existing("task", external_id)
        changes = {"Status": "Completed"}
        if not task["CompletedDate"]:
            changes["CompletedDate"] = now_stamp()
        self.store.update("task", external_id, changes)
        return web.json_response({"Message": "Record updated."})

    async def _convert(self, request: web.Request) -> web.Response:
        external_id = request.match_info["id"]
        lead = self._existing("lead", external_id)
        if lead["Status"] == "Converted":
            raise Failure(400, "Lead is already converted.")
        overrides = await _json_object(request, optional=True)
        person = f"{lead['FirstName']} {lead['LastName']}".strip()
        from_lead = {
            "Name": lead["Company"] or person,
            "Phone": lead["Phone"],
            "Email": lead["Email"],
            "Owner": lead["Owner"],
            "Description": lead["Description"],
        }
        account = self._validated(SCHEMAS["account"], {**from_lead, **overrides}, creating=True)
        account_id = self.store.create("account", account)
        contact = {
            name: lead[name]
            for name in ("FirstName", "LastName", "Email", "Phone", "Title", "Owner")
        }
        self.store.create("contact", {**contact, "AccountID": account_id})
        self.store.update(
            "lead",
            external_id,
            {"Status": "Converted", "ConvertedAccountID": account_id, "ConvertedDate": now_stamp()},
        )
        return web.json_response({"Account ExternalID": account_id})

    async def create_child(self, request: web.Request) -> web.Response:
        parent = self._schema(request)
        child_name = request.match_info["child"].lower()
        if parent.name not in CHILD_PARENTS.get(child_name, ()):
            raise Failure(404, NO_ROUTE)
        parent_id = request.match_info["id"]
        found = self._existing(parent.name, parent_id)
        child = SCHEMAS[child_name]
        links = {"RelatedTo": parent_id, "RelatedType": parent.name}
        if child_name == "opportunity":
            links["AccountID"] = (
                parent_id if parent.name == "account" else found.get("AccountID", "")
            )
        body = await _json_object(request)
        # The link to the parent is the server's to set; it wins over the body.
        values = self._validated(child, {**body, **links}, creating=True)
        external_id = self.store.create(child_name, values)
        return web.json_response({"ExternalID": external_id}, status=201)
