"""NDCHost `data` payloads read tolerantly into records; its entities, the fields each has,
and the one action (ordering a license)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.api.errors import ErrorKind
from crmdesk.api.model import ActionSpec, EntityInfo, FieldSpec, FieldType, Record
from crmdesk.api.numbers import read_number
from crmdesk.api.transport import Reply

CLIENT = "client"
PRODUCTS = "products"
LICENSES = "licenses"

_T, _N, _C, _E, _DT = (
    FieldType.TEXT,
    FieldType.NUMBER,
    FieldType.CURRENCY,
    FieldType.EMAIL,
    FieldType.DATETIME,
)
_KNOWN: Mapping[str, tuple[tuple[str, str, FieldType], ...]] = {
    CLIENT: (
        ("id", "Client ID", _N),
        ("firstname", "First name", _T),
        ("lastname", "Last name", _T),
        ("companyname", "Company", _T),
        ("email", "Email", _E),
        ("address1", "Address", _T),
        ("city", "City", _T),
        ("lastlogin", "Last login", _DT),
    ),
    PRODUCTS: (
        ("id", "Product ID", _N),
        ("name", "Name", _T),
        ("description", "Description", FieldType.LONG_TEXT),
        ("prices", "Prices", _T),
        ("paytype", "Pay type", _T),
        ("autosetup", "Auto setup", _T),
        ("pricing", "Pricing", _T),
    ),
    LICENSES: (
        ("id", "License ID", _N),
        ("product", "Product", _T),
        ("ip", "IP address", _T),
        ("status", "Status", _T),
        ("billingcycle", "Billing cycle", _T),
        ("amount", "Amount", _C),
        ("regdate", "Registered", FieldType.DATE),
        ("nextduedate", "Next due", FieldType.DATE),
    ),
}
# Pricing is a map the table cannot show as a cell; `prices` is its readable summary.
_NOT_SORTABLE = frozenset({"pricing"})


def known_fields(entity: str) -> tuple[FieldSpec, ...]:
    """The fields the docs (or the decisions where they are silent) say an entity carries."""
    return tuple(
        FieldSpec(name, label, kind, read_only=True, sortable=name not in _NOT_SORTABLE)
        for name, label, kind in _KNOWN[entity]
    )


def price_text(value: Any) -> str | None:
    """A price as the server wrote it, or None when it means "not offered" (WHMCS uses -1)
    or is no price at all (NaN, infinite). A price in words ("free") is shown as written."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    cleaned = text.replace(",", "")
    number = read_number(cleaned, minimum=-1e15, maximum=1e15)
    if number is not None:
        return None if number < 0 else text
    try:
        float(cleaned)
    except ValueError:
        return text or None
    return None  # a number, but not a finite one within reason


def read_client(reply: Reply, data: Any) -> Record:
    """`client.getdetails` data: one object (some servers nest it under "client")."""
    if isinstance(data, Mapping) and isinstance(data.get("client"), Mapping):
        data = data["client"]
    if not isinstance(data, Mapping) or not data:
        raise reply.error("The client details are not an object.", kind=ErrorKind.PROTOCOL)
    for key in ("id", "userid", "client_id"):
        value = data.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return Record(str(value), dict(data))
    raise reply.error("The client details carry no id.", kind=ErrorKind.PROTOCOL)


def read_records(entity: str, reply: Reply, data: Any) -> tuple[Record, ...]:
    """An id-keyed map of objects (as products are documented) or a list of objects.

    An empty list or a missing `data` means none: PHP encodes an empty map as `[]`.
    """
    if data is None or data == []:
        return ()
    items: list[tuple[str | None, Any]]
    if isinstance(data, Mapping):
        items = [(str(key), value) for key, value in data.items()]
    elif isinstance(data, list):
        items = [(None, value) for value in data]
    else:
        raise reply.unexpected(f"the {entity}", f"{type(data).__name__}, not a map or a list")
    records = []
    for key, value in items:
        if not isinstance(value, Mapping):
            raise reply.error(f"A {entity} entry is not an object.", kind=ErrorKind.PROTOCOL)
        record_id = value.get("id", key)
        if not isinstance(record_id, str | int) or isinstance(record_id, bool) or record_id == "":
            raise reply.error(f"A {entity} entry has no id.", kind=ErrorKind.PROTOCOL)
        values = dict(value)
        if entity == PRODUCTS:
            values["prices"] = _prices(reply, values.get("pricing"))
        records.append(Record(str(record_id), values))
    return tuple(records)


def _prices(reply: Reply, pricing: Any) -> str:
    if pricing is None or pricing == []:
        return ""
    if not isinstance(pricing, Mapping):
        raise reply.error("A product's pricing is not a map.", kind=ErrorKind.PROTOCOL)
    shown = [
        f"{cycle} {text}"
        for cycle, price in pricing.items()
        if (text := price_text(price)) is not None
    ]
    return "; ".join(shown)


def read_gateways(reply: Reply, data: Any) -> dict[str, str]:
    """Payment gateways as module → display name, from a map or a list of objects."""
    if isinstance(data, Mapping):
        return {
            str(k): str(v.get("displayname", k)) if isinstance(v, Mapping) else str(v)
            for k, v in data.items()
        }
    if isinstance(data, list):
        gateways = {}
        for item in data:
            if isinstance(item, Mapping) and item.get("module"):
                gateways[str(item["module"])] = str(item.get("displayname") or item["module"])
            elif isinstance(item, str):
                gateways[item] = item
            else:
                raise reply.error("A payment gateway entry is unreadable.", kind=ErrorKind.PROTOCOL)
        return gateways
    raise reply.error("The payment gateways are not a map or a list.", kind=ErrorKind.PROTOCOL)


# -- the entities and the one action ----------------------------------------------------

MAX_PAGE_SIZE = 1000
ORDER = ("cpanellicensing", "order")
ORDER_LICENSE = ActionSpec(
    "order",
    "Order license",
    "Order a license of this product for a server IP. This costs money: the product's price "
    "for the chosen billing cycle is invoiced to the account.",
    confirm=True,
    costs_money=True,
    takes_values=True,
    inputs=(
        FieldSpec("ip", "Server IP address", required=True),
        FieldSpec("billingcycle", "Billing cycle", FieldType.CHOICE, required=True),
        FieldSpec("paymentgateway", "Payment method", FieldType.CHOICE),
    ),
)


def read_only_entity(name: str, label: str, actions: tuple[ActionSpec, ...] = ()) -> EntityInfo:
    """Every entity here: read whole, paged and sorted by crmdesk, changed only by actions."""
    return EntityInfo(
        name,
        label,
        id_field="id",
        can_create=False,
        can_update=False,
        can_delete=False,
        has_field_metadata=False,
        server_paging=False,
        server_sorting=False,
        max_page_size=MAX_PAGE_SIZE,
        actions=actions,
    )


ENTITIES = (
    read_only_entity(CLIENT, "Client"),
    read_only_entity(PRODUCTS, "Products", (ORDER_LICENSE,)),
    read_only_entity(LICENSES, "Licenses"),
)
CALLS = {
    CLIENT: ("client", "getdetails"),
    PRODUCTS: ("cpanellicensing", "products"),
    LICENSES: ("client", "licenses"),
}
