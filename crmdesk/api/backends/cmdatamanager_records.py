"""CMDataManager's replies read into records and fields: `{"ExternalID", "Properties"}`
objects, field metadata read tolerantly (unknown keys kept, unknown types edited as text)."""

from __future__ import annotations

from typing import Any

from crmdesk.api.backends.parse import json_object, label_from_name
from crmdesk.api.errors import ErrorKind
from crmdesk.api.model import FieldSpec, FieldType, Record
from crmdesk.api.reply import Reply
from crmdesk.api.words import yes_no

_TYPES = {
    "text": FieldType.TEXT,
    "string": FieldType.TEXT,
    "longtext": FieldType.LONG_TEXT,
    "textarea": FieldType.LONG_TEXT,
    "memo": FieldType.LONG_TEXT,
    "email": FieldType.EMAIL,
    "phone": FieldType.PHONE,
    "url": FieldType.URL,
    "picklist": FieldType.CHOICE,
    "dropdown": FieldType.CHOICE,
    "number": FieldType.NUMBER,
    "integer": FieldType.NUMBER,
    "decimal": FieldType.NUMBER,
    "currency": FieldType.CURRENCY,
    "date": FieldType.DATE,
    "datetime": FieldType.DATETIME,
    "boolean": FieldType.BOOLEAN,
    "checkbox": FieldType.BOOLEAN,
}
_KNOWN_FIELD_KEYS = frozenset({"Name", "Label", "Type", "Required", "ReadOnly", "Options"})
# Fields the docs and samples show holding another record's ExternalID; a task's or an
# opportunity's RelatedTo points at the entity its RelatedType names.
RELATED = {"AccountID": "account", "ConvertedAccountID": "account", "RelatedTo": "@RelatedType"}


def read_record(reply: Reply, item: Any) -> Record:
    if not isinstance(item, dict):
        raise reply.error("A record in the reply is not an object.", kind=ErrorKind.PROTOCOL)
    record_id = item.get("ExternalID")
    properties = item.get("Properties", {})
    if not isinstance(record_id, str | int) or isinstance(record_id, bool):
        raise reply.error("A record in the reply has no ExternalID.", kind=ErrorKind.PROTOCOL)
    if not isinstance(properties, dict):
        raise reply.error(
            f"Record {record_id}'s Properties is not an object.", kind=ErrorKind.PROTOCOL
        )
    return Record(str(record_id), properties)


def read_field_spec(reply: Reply, item: Any) -> FieldSpec:
    record = read_record(reply, item)
    props = record.values
    name = props.get("Name")
    if not isinstance(name, str) or not name:
        raise reply.error(f"Field {record.id} has no Name.", kind=ErrorKind.PROTOCOL)
    raw_type = str(props.get("Type") or "Text")
    options = props.get("Options") or ()
    if isinstance(options, str):
        options = [o.strip() for o in options.split(",") if o.strip()]
    extra = {k: v for k, v in props.items() if k not in _KNOWN_FIELD_KEYS}
    field_type = _TYPES.get(raw_type.replace(" ", "").lower())
    if field_type is None:
        extra["Type"] = raw_type
    return FieldSpec(
        name=name,
        label=str(props.get("Label") or label_from_name(name)),
        type=field_type or FieldType.TEXT,
        required=yes_no(props.get("Required")) is True,
        read_only=yes_no(props.get("ReadOnly")) is True,
        options=tuple(str(o) for o in options) if isinstance(options, list | tuple) else (),
        extra={"ExternalID": record.id, **extra},
        relates_to=RELATED.get(name),
    )


def read_external_id(reply: Reply, key: str) -> str:
    """The id a create answers with: text, as the docs show it; anything else leaves the
    create unconfirmed."""
    value = json_object(reply, f"the new record's {key}").get(key)
    if not isinstance(value, str) or not value.strip():
        raise reply.error(f"The reply has no {key!r}.", kind=ErrorKind.PROTOCOL)
    return value.strip()


def confirmation(reply: Reply) -> str:
    """The server's own confirmation ("Record updated."), as the docs say every update,
    delete and close answers. Without it the write is unconfirmed, not "saved"."""
    message = json_object(reply, "a confirmation").get("Message")
    if not isinstance(message, str) or not message.strip():
        raise reply.unexpected("a confirmation", "no 'Message'")
    return message.strip()
