"""Mothernode's replies read into records, its errors into ApiErrors, and values as it writes
them. The root key is the plural for lists and the singular for one record; invoices come as
an object keyed by invoice number."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmdesk.api.backends.parse import json_object, vendor_message
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import FieldSpec, Record
from crmdesk.api.ratelimit import retry_after_at
from crmdesk.api.reply import Reply
from crmdesk.api.words import is_empty_date, yes_no


@dataclass(frozen=True, slots=True)
class Resource:
    """How one entity sits on the wire."""

    path: str
    singular: str
    id_field: str
    label: str
    fields: tuple[FieldSpec, ...]
    # None: not a lead; True/False: the is_opportunity value the entity's records carry.
    opportunity: bool | None = None
    writable: bool = True


def read_root(reply: Reply, res: Resource, *, plural: bool) -> tuple[bool, Any]:
    """(whether it is one record, the value) under the root key. The API uses the plural for
    lists and the singular for one record; either is accepted wherever it turns up."""
    body = json_object(reply, res.path if plural else res.singular)
    keys = (res.path, res.singular) if plural else (res.singular, res.path)
    for key in keys:
        if key in body:
            return key == res.singular, body[key]
    raise reply.error(
        f"The reply has neither a '{keys[0]}' nor a '{keys[1]}' key.", kind=ErrorKind.PROTOCOL
    )


def read_items(
    reply: Reply, root: tuple[bool, Any], res: Resource
) -> list[tuple[str | None, dict[str, Any]]]:
    """(key, object) pairs from a list, an object keyed by id (as invoices come), or the one
    record a singular root key holds."""
    single, value = root
    if isinstance(value, list):
        pairs: list[tuple[str | None, Any]] = [(None, item) for item in value]
    elif isinstance(value, dict) and single:
        pairs = [(None, value)]
    elif isinstance(value, dict):
        pairs = [(str(key), item) for key, item in value.items()]
    else:
        raise reply.unexpected(f"the {res.path}", f"{type(value).__name__}, not a list or object")
    for _, item in pairs:
        if not isinstance(item, dict):
            raise reply.unexpected(f"each {res.singular} as a record", type(item).__name__)
    return pairs


def read_record(reply: Reply, res: Resource, key: str | None, item: dict[str, Any]) -> Record:
    if res.path == "invoices":
        return _invoice(reply, key, item)
    record_id = item.get(res.id_field)
    if not isinstance(record_id, str | int) or isinstance(record_id, bool) or record_id == "":
        raise reply.error(
            f"A {res.singular} in the reply has no {res.id_field}.", kind=ErrorKind.PROTOCOL
        )
    return Record(str(record_id), _cleaned(item))


def _invoice(reply: Reply, key: str | None, item: dict[str, Any]) -> Record:
    header = item.get("header", item)
    detail = item.get("detail", [])
    if not isinstance(header, dict) or not isinstance(detail, list):
        raise reply.error(
            "An invoice in the reply has no header object or no detail list.",
            kind=ErrorKind.PROTOCOL,
        )
    number = key or header.get("invoice_number") or header.get("invoice_id")
    if not isinstance(number, str | int) or isinstance(number, bool) or number == "":
        raise reply.error("An invoice in the reply has no invoice number.", kind=ErrorKind.PROTOCOL)
    values = {name: v for name, v in header.items() if name != "detail"}
    values.setdefault("invoice_number", str(number))
    return Record(str(number), {**_cleaned(values), "detail": detail})


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    """The API writes "no date" as 0000-00-00; crmdesk shows it as empty."""
    return {name: None if is_empty_date(v) else v for name, v in values.items()}


def read_written(reply: Reply, res: Resource) -> Record | None:
    """The record a create or update answered with; None for a 204, which has no body."""
    if reply.status == 204:
        return None
    items = read_items(reply, read_root(reply, res, plural=False), res)
    return read_record(reply, res, *items[0]) if items else None


def wire_values(values: Mapping[str, Any]) -> dict[str, str]:
    """Values as the API writes them: strings, flags as "0"/"1", no value as ""."""
    wire: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            wire[name] = ""
        elif isinstance(value, bool):
            wire[name] = "1" if value else "0"
        elif isinstance(value, int | float | str):
            wire[name] = str(value)
        else:
            raise ApiError(
                ErrorKind.INVALID,
                f"{name} holds a value that is neither text nor a number; Mothernode takes "
                "only text and numbers.",
            )
    return wire


_NOT_ACCEPTED = "The access key or API password was not accepted."
_DEFAULT_MESSAGES = {401: _NOT_ACCEPTED, 403: _NOT_ACCEPTED, 404: "Mothernode has no such record."}


# Where the (undocumented) error bodies put their words, most likely first.
_ERROR_KEYS = ("message", "Message", "error_description", "error")


def error_of(reply: Reply) -> ApiError:
    message = (
        vendor_message(reply, _ERROR_KEYS, unwrap="error")
        or reply.body_message()
        or _DEFAULT_MESSAGES.get(reply.status)
    )
    if reply.status == 429:
        return reply.error(message, kind=ErrorKind.RATE_LIMITED, retry_at=retry_at_of(reply))
    if reply.status == 403:
        # Seed 000 gives 403 the meaning of 401: "Your API key is missing or invalid".
        return reply.error(message, kind=ErrorKind.AUTH)
    return reply.error(message)


def retry_at_of(reply: Reply) -> float | None:
    return retry_after_at(reply.headers.get("retry-after"), time.time())


def is_opportunity(record: Record) -> bool:
    return yes_no(record.values.get("is_opportunity")) is True
