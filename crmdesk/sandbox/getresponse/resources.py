"""The six emulated resources: their id field, what they sort and filter by, what they allow."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Resource = dict[str, Any]
Getter = Callable[[Resource], Any]


def _key(name: str) -> Getter:
    return lambda r: r.get(name)


def _nested(outer: str, inner: str) -> Getter:
    return lambda r: (r.get(outer) or {}).get(inner)


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """One collection. `sorts` and `filters` are exactly the OpenAPI's `sort[...]`/`query[...]`
    parameters; `ranges` are the filters given as `query[x][from]`/`query[x][to]`."""

    path: str
    id_field: str
    sorts: Mapping[str, Getter]
    filters: Mapping[str, Getter] = field(default_factory=dict)
    ranges: Mapping[str, Getter] = field(default_factory=dict)
    # Filters matched as "contains" unless additionalFlags=exactMatch (text searches).
    like: frozenset[str] = frozenset()
    creatable: bool = True
    updatable: bool = True
    deletable: bool = True
    # Keys only GET /{path}/{id} returns; lists leave them out.
    detail_only: tuple[str, ...] = ()


SPECS: dict[str, ResourceSpec] = {
    spec.path: spec
    for spec in (
        ResourceSpec(
            "contacts",
            "contactId",
            sorts={
                "email": _key("email"),
                "name": _key("name"),
                "createdOn": _key("createdOn"),
                "changedOn": _key("changedOn"),
                "campaignId": _nested("campaign", "campaignId"),
            },
            filters={
                "email": _key("email"),
                "name": _key("name"),
                "campaignId": _nested("campaign", "campaignId"),
                "origin": _key("origin"),
            },
            ranges={"createdOn": _key("createdOn"), "changedOn": _key("changedOn")},
            like=frozenset({"email", "name"}),
            detail_only=("geolocation", "tags", "customFieldValues"),
        ),
        # Campaigns (lists) cannot be deleted through the API.
        ResourceSpec(
            "campaigns",
            "campaignId",
            sorts={"name": _key("name"), "createdOn": _key("createdOn")},
            filters={"name": _key("name"), "isDefault": _key("isDefault")},
            like=frozenset({"name"}),
            deletable=False,
        ),
        ResourceSpec(
            "tags",
            "tagId",
            sorts={"createdAt": _key("createdAt"), "name": _key("name")},
            filters={"name": _key("name")},
            ranges={"createdAt": _key("createdAt")},
            like=frozenset({"name"}),
        ),
        ResourceSpec(
            "custom-fields",
            "customFieldId",
            sorts={"name": _key("name")},
            filters={"name": _key("name")},
            like=frozenset({"name"}),
        ),
        ResourceSpec(
            "imports",
            "importId",
            sorts={
                "createdOn": _key("createdOn"),
                "finishedOn": _key("finishedOn"),
                "campaignName": _nested("campaign", "name"),
                "uploadedContacts": _nested("statistics", "uploaded"),
                "updatedContacts": _nested("statistics", "updated"),
                "addedContacts": _nested("statistics", "addedToList"),
                "invalidContacts": _nested("statistics", "invalid"),
                "status": _key("status"),
            },
            filters={"campaignId": _nested("campaign", "campaignId")},
            ranges={"createdOn": _key("createdOn")},
            creatable=False,
            updatable=False,
            deletable=False,
        ),
        ResourceSpec(
            "gdpr-fields",
            "gdprFieldId",
            sorts={"name": _key("name"), "createdOn": _key("createdOn")},
            creatable=False,
            updatable=False,
            deletable=False,
            detail_only=("latestVersion",),
        ),
    )
}
