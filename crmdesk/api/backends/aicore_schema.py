"""What crmdesk knows of the `/service` API's entities and fields; the API publishes no metadata.

Fields are the ones the docs name for create_lead and lead_set, the `new_user` notification
for users, and crmdesk's decision for events (the docs name no event fields).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.model import ActionSpec, EntityInfo, FieldSpec, FieldType
from crmdesk.api.words import yes_no

# Per entity: the command that updates a record and what it needs beside the changes.
UPDATES = {
    "leads": ("lead_set", {"mode": "update"}),
    "users": ("update_user", {}),
    "events": ("event_set", {"mode": "update"}),
}
ID_FIELDS = {"leads": "lead_id", "users": "user_id", "events": "event_id"}
MAX_LEADS_PAGE = 500
MAX_LOCAL_PAGE = 1000

SET_STATUS = ActionSpec(
    "set_status",
    "Change status",
    "Set this lead's status and, optionally, its custom status (a number or the name of an "
    "existing status).",
    takes_values=True,
    inputs=(
        FieldSpec("status", "Status", FieldType.NUMBER, required=True),
        FieldSpec("custom_status", "Custom status"),
    ),
    undoable=True,
)

ENTITIES = (
    EntityInfo(
        name="leads",
        id_field=ID_FIELDS["leads"],
        label="Leads",
        can_delete=False,
        has_field_metadata=False,
        server_paging=True,
        server_sorting=False,
        filterable=True,
        max_page_size=MAX_LEADS_PAGE,
        actions=(SET_STATUS,),
    ),
    EntityInfo(
        name="users",
        id_field=ID_FIELDS["users"],
        label="Users",
        can_create=False,
        can_delete=False,
        has_field_metadata=False,
        server_paging=False,
        server_sorting=False,
        max_page_size=MAX_LOCAL_PAGE,
    ),
    EntityInfo(
        name="events",
        id_field=ID_FIELDS["events"],
        label="Events",
        can_delete=False,
        has_field_metadata=False,
        server_paging=False,
        server_sorting=False,
        filterable=True,
        filters=("event_id", "lead_id", "user_id"),
        max_page_size=MAX_LOCAL_PAGE,
    ),
)

_T = FieldType


def _f(name: str, kind: FieldType = FieldType.TEXT, **more: Any) -> FieldSpec:
    label = name.replace("_", " ").capitalize()
    return FieldSpec(name, label, kind, **more)


_YES_NO = ("Y", "N")
FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "leads": (
        _f("lead_id", _T.NUMBER, read_only=True),
        _f("external_id"),
        _f("user_id", _T.NUMBER, relates_to="users"),
        _f("first_name"),
        _f("last_name"),
        _f("company"),
        _f("address"),
        _f("address_2"),
        _f("city"),
        _f("state"),
        # Typed Integer in the docs, but ZIP codes keep their leading zeros as text.
        _f("zip"),
        _f("country"),
        _f("phone", _T.PHONE),
        _f("cell", _T.PHONE),
        _f("ok_to_text", _T.CHOICE, options=_YES_NO),
        _f("fax", _T.PHONE),
        _f("skype"),
        _f("ip"),
        _f("followup_date", _T.DATETIME),
        _f("besttime"),
        _f("status", _T.NUMBER),
        _f("priority", _T.NUMBER),
        _f("custom_status", _T.NUMBER),
        _f("gmt_offset", _T.NUMBER),
        _f("email", _T.EMAIL),
        _f("admin_notes", _T.LONG_TEXT),
        _f("govt_id"),
        _f("source"),
        # Tags can only be appended to (tag_append), never set.
        _f("tags", read_only=True),
        _f("date_added", _T.DATETIME, read_only=True),
        _f("last_updated", _T.DATETIME, read_only=True),
    ),
    "users": (
        _f("user_id", _T.NUMBER, read_only=True),
        _f("username", required=True),
        _f("account_type"),
        _f("first_name"),
        _f("last_name"),
        _f("email", _T.EMAIL),
        _f("phone", _T.PHONE),
        _f("company"),
        _f("date_added", _T.DATETIME, read_only=True),
        _f("enroller_id", _T.NUMBER, read_only=True),
        _f("upline_id", _T.NUMBER, read_only=True),
        _f("enroller_code", read_only=True),
        _f("blocked", _T.CHOICE, options=_YES_NO),
    ),
    "events": (
        _f("event_id", _T.NUMBER, read_only=True),
        _f("lead_id", _T.NUMBER, relates_to="leads"),
        _f("user_id", _T.NUMBER, relates_to="users"),
        _f("event_type", _T.CHOICE),
        _f("title", required=True),
        _f("description", _T.LONG_TEXT),
        _f("start_date", _T.DATETIME, required=True),
        _f("end_date", _T.DATETIME),
        _f("completed", _T.CHOICE, options=_YES_NO),
    ),
}


def form_value(name: str, value: Any) -> str:
    """A value as one form field: structured values (create_lead's `notes`) as JSON text."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def update_command(
    entity: str, record_id: str, changes: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    command, fixed = UPDATES[entity]
    id_field = ID_FIELDS[entity]
    values = {k: v for k, v in changes.items() if k != id_field}
    if entity == "leads" and "ok_to_text" in values:
        # lead_set spells this flag Yes/No where create_lead and leads_get use Y/N.
        values["ok_to_text"] = _ok_to_text(values["ok_to_text"], ("Yes", "No"))
    return command, {**fixed, id_field: record_id, **values}


def command_form(command: str, params: Mapping[str, Any]) -> dict[str, str]:
    form = {"ai_command": command}
    form.update({name: form_value(name, value) for name, value in params.items()})
    return form


def creatable(values: Mapping[str, Any], entity: str) -> dict[str, Any]:
    created = {k: v for k, v in values.items() if k != ID_FIELDS[entity]}
    if entity == "leads" and "ok_to_text" in created:
        created["ok_to_text"] = _ok_to_text(created["ok_to_text"], ("Y", "N"))
    return created


def _ok_to_text(value: Any, words: tuple[str, str]) -> Any:
    """The consent flag in the command's spelling of yes or no; an empty value stays empty.
    Anything else is refused before the network: it is not the user's to be guessed."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return value
    answer = yes_no(value)
    if answer is None:
        raise ApiError(
            ErrorKind.INVALID,
            f"OK to text must be yes or no, not {str(value)[:40]!r}; nothing was sent.",
        )
    return words[0] if answer else words[1]
