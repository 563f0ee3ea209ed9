"""The GetResponse routes: collections with paging headers, resources, POST-to-update, deletes."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from crmdesk.sandbox.getresponse.errors import ApiFailure
from crmdesk.sandbox.getresponse.query import project, read_listing, wanted_fields
from crmdesk.sandbox.getresponse.resources import SPECS, Resource, ResourceSpec
from crmdesk.sandbox.getresponse.store import ResourceStore
from crmdesk.sandbox.getresponse.writes import Writes

BASE_PATH = "/v3"
TIME_ZONE = web.RequestKey("getresponse_time_zone", ZoneInfo)
_STAMPS = ("createdOn", "changedOn", "createdAt", "finishedOn")

Creator = Callable[[dict[str, Any]], Resource]
Updater = Callable[[Resource, dict[str, Any]], Resource]


def _localised(resource: Resource, zone: ZoneInfo | None) -> Resource:
    """Stamps in the zone X-Time-Zone asked for (UTC otherwise)."""
    if zone is None:
        return resource
    out = dict(resource)
    for key in _STAMPS:
        value = out.get(key)
        if isinstance(value, str):
            out[key] = datetime.fromisoformat(value).astimezone(zone).isoformat(timespec="seconds")
    return out


def _not_found(spec: ResourceSpec, resource_id: str) -> ApiFailure:
    return ApiFailure(1013, "Resource not found", {spec.id_field: resource_id})


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw)
    except ValueError:
        raise ApiFailure(
            1000, "Request body is not valid JSON", {"errorDescription": "Malformed JSON"}
        ) from None
    if not isinstance(body, dict):
        raise ApiFailure(1000, "Request body must be a JSON object", {})
    return body


class GetResponseRoutes:
    """Request handlers; authentication and limits are checked before these run."""

    def __init__(self, store: ResourceStore) -> None:
        self.store = store
        self.writes = Writes(store)
        self._creators: dict[str, Creator] = {
            "contacts": self.writes.new_contact,
            "campaigns": self.writes.new_campaign,
            "tags": self.writes.new_tag,
            "custom-fields": self.writes.new_custom_field,
        }
        self._updaters: dict[str, Updater] = {
            "contacts": self.writes.update_contact,
            "campaigns": self.writes.update_campaign,
            "tags": self.writes.update_tag,
            "custom-fields": self.writes.update_custom_field,
        }

    def register(self, app: web.Application) -> None:
        add = app.router.add_route
        add("POST", BASE_PATH + "/contacts/{id}/tags", self.upsert_tags)
        for path, spec in SPECS.items():
            collection, item = f"{BASE_PATH}/{path}", f"{BASE_PATH}/{path}/{{id}}"
            add("GET", collection, self._bind(self.list_resources, spec))
            add("GET", item, self._bind(self.get_resource, spec))
            if spec.creatable:
                add("POST", collection, self._bind(self.create, spec))
            if spec.updatable:
                add("POST", item, self._bind(self.update, spec))
            if spec.deletable:
                add("DELETE", item, self._bind(self.delete, spec))

    @staticmethod
    def _bind(
        handler: Callable[[web.Request, ResourceSpec], Any], spec: ResourceSpec
    ) -> Callable[[web.Request], Any]:
        async def bound(request: web.Request) -> web.StreamResponse:
            response: web.StreamResponse = await handler(request, spec)
            return response

        return bound

    async def list_resources(self, request: web.Request, spec: ResourceSpec) -> web.Response:
        listing = read_listing(spec, request.query)
        found = self.store.select(spec.path, listing.sort, listing.matches)
        start = (listing.page - 1) * listing.per_page
        chunk = found[start : start + listing.per_page]
        zone = request.get(TIME_ZONE)
        items = []
        for resource in chunk:
            element = {k: v for k, v in resource.items() if k not in spec.detail_only}
            items.append(_localised(project(element, spec.id_field, listing.fields), zone))
        headers = {
            "TotalCount": str(len(found)),
            "TotalPages": str(math.ceil(len(found) / listing.per_page)),
            "CurrentPage": str(listing.page),
            # The seed lists PerPage too; the OpenAPI does not, but sending it costs nothing.
            "PerPage": str(listing.per_page),
        }
        return web.json_response(items, headers=headers)

    async def get_resource(self, request: web.Request, spec: ResourceSpec) -> web.Response:
        resource = self._existing(spec, request.match_info["id"])
        shown = project(resource, spec.id_field, wanted_fields(request.query))
        return web.json_response(_localised(shown, request.get(TIME_ZONE)))

    async def create(self, request: web.Request, spec: ResourceSpec) -> web.Response:
        resource = self._creators[spec.path](await _body(request))
        self.store.put(spec.path, resource)
        if spec.path == "contacts":
            # Queued: 202 with no body, so no id either (API-NOTES 4, "Status codes").
            return web.Response(status=202)
        return web.json_response(_localised(resource, request.get(TIME_ZONE)), status=201)

    async def update(self, request: web.Request, spec: ResourceSpec) -> web.Response:
        current = self._existing(spec, request.match_info["id"])
        changed = self._updaters[spec.path](current, await _body(request))
        self.store.put(spec.path, changed)
        return web.json_response(_localised(changed, request.get(TIME_ZONE)))

    async def delete(self, request: web.Request, spec: ResourceSpec) -> web.Response:
        resource_id = request.match_info["id"]
        if not self.store.delete(spec.path, resource_id):
            raise _not_found(spec, resource_id)
        return web.Response(status=204)

    async def upsert_tags(self, request: web.Request) -> web.Response:
        """Adds tags to a contact; never removes one (unlike sending `tags` in an update)."""
        spec = SPECS["contacts"]
        contact = self._existing(spec, request.match_info["id"])
        body = await _body(request)
        if "tags" not in body:
            raise ApiFailure(1000, "Validation error", {"fieldName": "tags"})
        tags = {t["tagId"]: t for t in contact.get("tags", [])}
        for ref in self.writes.tag_refs(body["tags"]):
            tags.setdefault(ref["tagId"], ref)
        self.store.put("contacts", {**contact, "tags": list(tags.values())})
        return web.json_response(list(tags.values()))

    def _existing(self, spec: ResourceSpec, resource_id: str) -> Resource:
        found = self.store.get(spec.path, resource_id)
        if found is None:
            raise _not_found(spec, resource_id)
        return found
