"""Validating and applying writes: POST to create, POST to `/{id}` to update.

Arrays (a contact's tags and customFieldValues) are replaced whole when sent, as the API does.
Read-only keys in a body (ids, hrefs, stamps) are ignored rather than refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from crmdesk.sandbox.getresponse.data import campaign_ref, field_value, href, now_stamp, tag_ref
from crmdesk.sandbox.getresponse.errors import ApiFailure
from crmdesk.sandbox.getresponse.resources import Resource
from crmdesk.sandbox.getresponse.store import ResourceStore

_TAG_NAME = re.compile(r"[_a-zA-Z0-9]{2,64}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
FIELD_TYPES = (
    "string", "number", "date", "datetime", "country", "currency", "phone", "gender", "ip", "url",
)  # fmt: skip
FIELD_FORMATS = ("text", "textarea", "radio", "checkbox", "single_select", "multi_select")


def invalid(field: str, why: str, value: Any = None) -> ApiFailure:
    return ApiFailure(
        1000,
        "Validation error, see context section for more information",
        {"fieldName": field, "errorDescription": why, "originalValue": value},
    )


def _text(body: Mapping[str, Any], name: str, low: int, high: int) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not low <= len(value) <= high:
        raise invalid(name, f"Must be a string of {low} to {high} characters", value)
    return value


def _taken(name: str, value: str) -> ApiFailure:
    return ApiFailure(1008, "Property value is already taken", {name: value})


class Writes:
    """Builds new resources and applies updates, checking what points at other resources."""

    def __init__(self, store: ResourceStore) -> None:
        self.store = store

    # -- contacts ---------------------------------------------------------------------------

    def new_contact(self, body: Mapping[str, Any]) -> Resource:
        contact: Resource = {
            "origin": "api",
            "timeZone": "UTC",
            "tags": [],
            "customFieldValues": [],
        }
        for required in ("email", "campaign"):
            if required not in body:
                raise invalid(required, "Field is required")
        self._contact_fields(contact, body)
        duplicate = self.store.find(
            "contacts",
            lambda r: (
                r["email"] == contact["email"]
                and r.get("campaign", {}).get("campaignId") == contact["campaign"]["campaignId"]
            ),
        )
        if duplicate is not None:
            raise _taken("email", contact["email"])
        cid = self.store.new_id("contacts")
        stamp = now_stamp()
        contact.update(
            contactId=cid,
            href=href("contacts", cid),
            activities=f"{href('contacts', cid)}/activities",
            createdOn=stamp,
            changedOn=stamp,
        )
        contact.setdefault("name", None)
        return contact

    def update_contact(self, contact: Resource, body: Mapping[str, Any]) -> Resource:
        changed = dict(contact)
        self._contact_fields(changed, body)
        changed["changedOn"] = now_stamp()
        return changed

    def _contact_fields(self, contact: Resource, body: Mapping[str, Any]) -> None:
        if "email" in body:
            email = body["email"]
            if not isinstance(email, str) or not _EMAIL.fullmatch(email):
                raise invalid("email", "Invalid email address", email)
            contact["email"] = email
        if "name" in body:
            contact["name"] = _text(body, "name", 1, 128)
        if "campaign" in body:
            given = body["campaign"]
            campaign_id = given.get("campaignId") if isinstance(given, dict) else None
            campaign = self.store.get("campaigns", str(campaign_id))
            if campaign is None:
                raise ApiFailure(1001, "Campaign not found", {"campaignId": campaign_id})
            contact["campaign"] = campaign_ref(campaign)
        for name in ("note", "dayOfCycle"):
            if name in body:
                value = body[name]
                if value is not None and not isinstance(value, str):
                    raise invalid(name, "Must be a string or null", value)
                contact[name] = value
        if "scoring" in body:
            value = body["scoring"]
            if value is not None and (
                isinstance(value, bool) or not isinstance(value, int | float)
            ):
                raise invalid("scoring", "Must be a number or null", value)
            contact["scoring"] = value
        if "tags" in body:
            contact["tags"] = self.tag_refs(body["tags"])
        if "customFieldValues" in body:
            contact["customFieldValues"] = self._field_values(body["customFieldValues"])

    def tag_refs(self, given: Any) -> list[Resource]:
        if not isinstance(given, list):
            raise invalid("tags", "Must be an array", given)
        refs = []
        for item in given:
            tag_id = item.get("tagId") if isinstance(item, dict) else None
            tag = self.store.get("tags", str(tag_id))
            if tag is None:
                raise ApiFailure(1001, "Tag not found", {"tagId": tag_id})
            refs.append(tag_ref(tag))
        return refs

    def _field_values(self, given: Any) -> list[Resource]:
        if not isinstance(given, list):
            raise invalid("customFieldValues", "Must be an array", given)
        values = []
        for item in given:
            field_id = item.get("customFieldId") if isinstance(item, dict) else None
            field = self.store.get("custom-fields", str(field_id))
            if field is None:
                raise ApiFailure(1001, "Custom field not found", {"customFieldId": field_id})
            value = item.get("value")
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise invalid("customFieldValues.value", "Must be an array of strings", value)
            values.append(field_value(field, value))
        return values

    # -- campaigns, tags, custom fields ---------------------------------------------------------

    def new_campaign(self, body: Mapping[str, Any]) -> Resource:
        cid = self.store.new_id("campaigns")
        campaign: Resource = {
            "campaignId": cid,
            "techName": cid.lower().rjust(16, "0"),
            "languageCode": "EN",
            "isDefault": "false",
            "createdOn": now_stamp(),
            "href": href("campaigns", cid),
        }
        return self.update_campaign(campaign, body, creating=True)

    def update_campaign(
        self, campaign: Resource, body: Mapping[str, Any], *, creating: bool = False
    ) -> Resource:
        changed = dict(campaign)
        if creating or "name" in body:
            name = _text(body, "name", 3, 64)
            self._unique("campaigns", "name", name, campaign["campaignId"])
            changed["name"] = name
        if "languageCode" in body:
            changed["languageCode"] = _text(body, "languageCode", 2, 5)
        return changed

    def new_tag(self, body: Mapping[str, Any]) -> Resource:
        tid = self.store.new_id("tags")
        tag = {"tagId": tid, "href": href("tags", tid), "createdAt": now_stamp(), "color": ""}
        return self.update_tag(tag, body, creating=True)

    def update_tag(
        self, tag: Resource, body: Mapping[str, Any], *, creating: bool = False
    ) -> Resource:
        changed = dict(tag)
        if creating or "name" in body:
            name = body.get("name")
            if not isinstance(name, str) or not _TAG_NAME.fullmatch(name):
                raise invalid("name", "Must match ^[_a-zA-Z0-9]{2,64}$", name)
            self._unique("tags", "name", name, tag["tagId"])
            changed["name"] = name
        return changed

    def new_custom_field(self, body: Mapping[str, Any]) -> Resource:
        for required in ("name", "type", "format", "hidden", "values"):
            if required not in body:
                raise invalid(required, "Field is required")
        fid = self.store.new_id("custom-fields")
        field = {"customFieldId": fid, "href": href("custom-fields", fid)}
        return self.update_custom_field(field, body, creating=True)

    def update_custom_field(
        self, field: Resource, body: Mapping[str, Any], *, creating: bool = False
    ) -> Resource:
        changed = dict(field)
        if "name" in body:
            name = _text(body, "name", 1, 128)
            self._unique("custom-fields", "name", name, field["customFieldId"])
            changed["name"] = name
        choices = {"type": FIELD_TYPES, "format": FIELD_FORMATS, "hidden": ("true", "false")}
        for key, allowed in choices.items():
            if key in body:
                value = body[key]
                if key == "hidden" and isinstance(value, bool):
                    value = "true" if value else "false"
                if value not in allowed or (key == "type" and not creating):
                    why = "Cannot be changed" if key == "type" else f"Must be one of {allowed}"
                    raise invalid(key, why, value)
                changed[key] = value
        changed["valueType"] = changed["type"]
        changed["fieldType"] = changed["format"]
        if "values" in body:
            values = body["values"]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise invalid("values", "Must be an array of strings", values)
            changed["values"] = values
        return changed

    def _unique(self, path: str, key: str, value: str, own_id: str | None) -> None:
        id_field = {"campaigns": "campaignId", "tags": "tagId"}.get(path, "customFieldId")
        clash = self.store.find(path, lambda r: r.get(key) == value and r[id_field] != own_id)
        if clash is not None:
            raise _taken(key, value)
