"""GetResponse's entities and their fields, as its OpenAPI describes them.

`sortable` is set only where the API has a `sort[...]` parameter; `campaignId`/`campaignName` and
the import statistics are read from nested objects and shown flat (see `flatten`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.api.model import ActionSpec, EntityInfo, FieldSpec, FieldType

MAX_PAGE_SIZE = 1000

ADD_TAGS = ActionSpec(
    "add_tags",
    "Add tags",
    "Add tags to this contact, keeping the ones it has (give `tags`: a list of tag ids).",
    takes_values=True,
)

CUSTOM_FIELD_TYPES = (
    "string", "number", "date", "datetime", "country", "currency", "phone", "gender", "ip", "url",
)  # fmt: skip

ID_FIELDS: Mapping[str, str] = {
    "contacts": "contactId",
    "campaigns": "campaignId",
    "tags": "tagId",
    "custom-fields": "customFieldId",
    "imports": "importId",
    "gdpr-fields": "gdprFieldId",
}


def _f(
    name: str,
    label: str,
    kind: FieldType = FieldType.TEXT,
    *,
    sortable: bool = False,
    read_only: bool = False,
    required: bool = False,
    options: tuple[str, ...] = (),
    relates_to: str | None = None,
) -> FieldSpec:
    return FieldSpec(
        name,
        label,
        kind,
        required=required,
        read_only=read_only,
        options=options,
        sortable=sortable,
        relates_to=relates_to,
    )


def _id(name: str) -> FieldSpec:
    return _f(name, "Id", read_only=True)


FIELDS: Mapping[str, tuple[FieldSpec, ...]] = {
    "contacts": (
        _id("contactId"),
        _f("email", "Email", FieldType.EMAIL, sortable=True, required=True),
        _f("name", "Name", sortable=True),
        _f("campaignId", "List id", sortable=True, required=True, relates_to="campaigns"),
        _f("campaignName", "List", read_only=True),
        _f("origin", "Origin", read_only=True),
        _f("createdOn", "Created", FieldType.DATETIME, sortable=True, read_only=True),
        _f("changedOn", "Changed", FieldType.DATETIME, sortable=True, read_only=True),
        _f("dayOfCycle", "Day of cycle", FieldType.NUMBER),
        _f("scoring", "Scoring", FieldType.NUMBER),
        _f("engagementScore", "Engagement", FieldType.NUMBER, read_only=True),
        _f("note", "Note", FieldType.LONG_TEXT),
        _f("timeZone", "Time zone", read_only=True),
        _f("ipAddress", "IP address", read_only=True),
        # Only GET /contacts/{id} returns these two; an update replaces each array whole.
        _f("tags", "Tags"),
        _f("customFieldValues", "Custom fields"),
    ),
    "campaigns": (
        _id("campaignId"),
        _f("name", "Name", sortable=True, required=True),
        _f("languageCode", "Language"),
        _f("isDefault", "Default", FieldType.BOOLEAN, read_only=True),
        _f("techName", "Technical name", read_only=True),
        _f("createdOn", "Created", FieldType.DATETIME, sortable=True, read_only=True),
    ),
    "tags": (
        _id("tagId"),
        _f("name", "Name", sortable=True, required=True),
        _f("createdAt", "Created", FieldType.DATETIME, sortable=True, read_only=True),
    ),
    "custom-fields": (
        _id("customFieldId"),
        _f("name", "Name", sortable=True, required=True),
        _f("type", "Type", FieldType.CHOICE, required=True, options=CUSTOM_FIELD_TYPES),
        _f(
            "format",
            "Format",
            FieldType.CHOICE,
            required=True,
            options=("text", "textarea", "radio", "checkbox", "single_select", "multi_select"),
        ),
        _f("hidden", "Hidden", FieldType.CHOICE, required=True, options=("true", "false")),
        _f("values", "Values"),
        _f("valueType", "Value type", read_only=True),
    ),
    "imports": (
        _id("importId"),
        _f("status", "Status", sortable=True, read_only=True),
        _f("campaignId", "List id", read_only=True, relates_to="campaigns"),
        _f("campaignName", "List", sortable=True, read_only=True),
        _f("uploadedContacts", "Uploaded", FieldType.NUMBER, sortable=True, read_only=True),
        _f("addedContacts", "Added", FieldType.NUMBER, sortable=True, read_only=True),
        _f("updatedContacts", "Updated", FieldType.NUMBER, sortable=True, read_only=True),
        _f("invalidContacts", "Invalid", FieldType.NUMBER, sortable=True, read_only=True),
        _f("createdOn", "Created", FieldType.DATETIME, sortable=True, read_only=True),
        _f("finishedOn", "Finished", FieldType.DATETIME, sortable=True, read_only=True),
    ),
    "gdpr-fields": (
        _id("gdprFieldId"),
        _f("name", "Name", sortable=True, read_only=True),
        _f("createdOn", "Created", FieldType.DATETIME, sortable=True, read_only=True),
    ),
}

# query[...] filters per entity; "x.from"/"x.to" stand for query[x][from] and query[x][to].
FILTERS: Mapping[str, frozenset[str]] = {
    "contacts": frozenset(
        {"email", "name", "campaignId", "origin"}
        | {f"{d}.{e}" for d in ("createdOn", "changedOn") for e in ("from", "to")}
    ),
    "campaigns": frozenset({"name", "isDefault"}),
    "tags": frozenset({"name", "createdAt.from", "createdAt.to"}),
    "custom-fields": frozenset({"name"}),
    "imports": frozenset({"campaignId", "createdOn.from", "createdOn.to"}),
    "gdpr-fields": frozenset(),
}

_STATISTICS = {
    "uploaded": "uploadedContacts",
    "addedToList": "addedContacts",
    "updated": "updatedContacts",
    "invalid": "invalidContacts",
}


def entities() -> tuple[EntityInfo, ...]:
    def info(name: str, label: str, *, writes: tuple[bool, bool, bool]) -> EntityInfo:
        create, update, delete = writes
        return EntityInfo(
            name=name,
            label=label,
            id_field=ID_FIELDS[name],
            can_create=create,
            can_update=update,
            can_delete=delete,
            has_field_metadata=False,
            server_paging=True,
            server_sorting=True,
            filterable=bool(FILTERS[name]),
            filters=tuple(sorted(FILTERS[name])),
            max_page_size=MAX_PAGE_SIZE,
            actions=(ADD_TAGS,) if name == "contacts" else (),
        )

    return (
        info("contacts", "Contacts", writes=(True, True, True)),
        # Lists can be created and renamed over the API, not deleted.
        info("campaigns", "Lists (campaigns)", writes=(True, True, False)),
        info("tags", "Tags", writes=(True, True, True)),
        info("custom-fields", "Custom fields", writes=(True, True, True)),
        info("imports", "Imports", writes=(False, False, False)),
        info("gdpr-fields", "GDPR fields", writes=(False, False, False)),
    )


def flatten(item: Mapping[str, Any]) -> dict[str, Any]:
    """A resource as a flat record: `campaign` becomes campaignId/campaignName, an import's
    `statistics` its four counts (the names the API sorts by)."""
    values = dict(item)
    campaign = values.pop("campaign", None)
    if isinstance(campaign, Mapping):
        values["campaignId"] = campaign.get("campaignId")
        values["campaignName"] = campaign.get("name")
    statistics = values.pop("statistics", None)
    if isinstance(statistics, Mapping):
        for key, name in _STATISTICS.items():
            values[name] = statistics.get(key)
    values.pop("href", None)
    return values


def wire_changes(entity: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """What to POST for `changes`: flat names back to the API's shape, arrays sent whole."""
    body = dict(changes)
    body.pop(ID_FIELDS[entity], None)
    if "campaignId" in body:
        body["campaign"] = {"campaignId": body.pop("campaignId")}
    body.pop("campaignName", None)
    if "tags" in body:
        body["tags"] = [{"tagId": _tag_id(t)} for t in body["tags"] or ()]
    if "customFieldValues" in body:
        body["customFieldValues"] = [_field_value(v) for v in body["customFieldValues"] or ()]
    return body


def _tag_id(tag: Any) -> str:
    return str(tag.get("tagId")) if isinstance(tag, Mapping) else str(tag)


def _field_value(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    given = value.get("value", value.get("values", []))
    given = [given] if isinstance(given, str) else list(given or ())
    return {"customFieldId": value.get("customFieldId"), "value": [str(v) for v in given]}
