"""The lead commands: create_lead, lead_set (insert/update), update_lead and leads_get.

Quirks kept from the docs: `ok_to_text` is Y/N for create_lead but Yes/No for lead_set;
`custom_status` is an integer, which lead_set also takes as the name of an existing status;
`notes` is a JSON array inside a form field; setting `followup_date` with lead_set books a
follow-up event. update_lead is undocumented: it is taken to be lead_set's update with
create_lead's spelling of `ok_to_text`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from urllib.parse import parse_qsl

from crmdesk.sandbox.aicore.data import CUSTOM_STATUSES, LEAD_FIELDS
from crmdesk.sandbox.aicore.store import SiteStore
from crmdesk.sandbox.aicore.wire import (
    STATUS_BAD_PARAMETER,
    STATUS_NOT_FOUND,
    Answer,
    CommandError,
    missing,
    ok,
)

Params = Mapping[str, str]

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 500
WRITABLE = (
    "first_name", "last_name", "company", "address", "address_2", "city", "state", "zip",
    "country", "phone", "cell", "ok_to_text", "fax", "skype", "ip", "followup_date",
    "besttime", "status", "priority", "custom_status", "gmt_offset", "email", "admin_notes",
    "govt_id", "source", "user_id",
)  # fmt: skip
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
_INTEGER = re.compile(r"-?\d+")
_STATUS_IDS = {name.casefold(): number for number, name in CUSTOM_STATUSES.items()}


def _lead_values(params: Params, *, yes_no: bool, status_names: bool) -> dict[str, str]:
    """The lead fields given, checked; every problem is reported at once, as status_message[n]."""
    values = {name: params[name].strip() for name in WRITABLE if name in params}
    problems: list[str] = []
    if "ok_to_text" in values:
        allowed = ("Yes", "No") if yes_no else ("Y", "N")
        if values["ok_to_text"] not in allowed:
            problems.append(f"Invalid ok_to_text: use {allowed[0]} or {allowed[1]}")
        else:
            values["ok_to_text"] = values["ok_to_text"][0]
    if values.get("followup_date") and not _DATETIME.fullmatch(values["followup_date"]):
        problems.append("Invalid followup_date: use YYYY-MM-DD HH:MM:SS")
    for name in ("status", "priority", "user_id"):
        if values.get(name) and not _INTEGER.fullmatch(values[name]):
            problems.append(f"Invalid {name}: must be an integer")
    custom = values.get("custom_status", "")
    if custom:
        if _INTEGER.fullmatch(custom) and custom in CUSTOM_STATUSES:
            pass
        elif status_names and custom.casefold() in _STATUS_IDS:
            values["custom_status"] = _STATUS_IDS[custom.casefold()]
        else:
            problems.append(f"Invalid custom_status: {custom}")
    if values.get("email") and "@" not in values["email"]:
        problems.append(f"Invalid email address: {values['email']}")
    if problems:
        raise CommandError(STATUS_BAD_PARAMETER, *problems)
    return values


def _check_notes(params: Params) -> int:
    raw = params.get("notes", "").strip()
    if not raw:
        return 0
    try:
        notes = json.loads(raw)
    except ValueError:
        raise CommandError(STATUS_BAD_PARAMETER, "Invalid notes: not a JSON array") from None
    if not isinstance(notes, list) or not all(
        isinstance(note, dict) and "Notes" in note for note in notes
    ):
        raise CommandError(STATUS_BAD_PARAMETER, 'Invalid notes: use [{"status","Notes"}]')
    return len(notes)


def _append_tags(current: str, params: Params) -> str:
    extra = [t.strip() for t in params.get("tag_append", "").split(",") if t.strip()]
    tags = [t for t in current.split(",") if t]
    return ",".join(dict.fromkeys([*tags, *extra]))


class LeadCommands:
    """The commands about leads, over one site's records."""

    def __init__(self, store: SiteStore) -> None:
        self.store = store

    def create_lead(self, params: Params) -> Answer:
        values = _lead_values(params, yes_no=False, status_names=False)
        _check_notes(params)
        values["tags"] = _append_tags("", params)
        lead_id = self.store.insert("leads", values)
        return ok("Lead Creation Successful", lead_id=lead_id)

    def lead_set(self, params: Params) -> Answer:
        mode = params.get("mode", "").strip().lower()
        if not mode:
            raise missing("mode")
        if mode not in ("insert", "update"):
            raise CommandError(STATUS_BAD_PARAMETER, f"Invalid mode: {mode} (insert or update)")
        values = _lead_values(params, yes_no=True, status_names=True)
        if params.get("full_name", "").strip():
            first, _, last = params["full_name"].strip().rpartition(" ")
            values.update(first_name=first or last, last_name=last if first else "")
        if mode == "insert":
            values["external_id"] = params.get("external_id", "").strip()
            values["tags"] = _append_tags("", params)
            lead_id = self.store.insert("leads", values)
            self._book_followup(lead_id, values)
            return ok("Lead Inserted", lead_id=lead_id)
        lead_id = self._lead_to_update(params)
        self._update(lead_id, values, params)
        return ok("Lead Updated", lead_id=lead_id)

    def update_lead(self, params: Params) -> Answer:
        lead_id = self._lead_to_update(params)
        self._update(lead_id, _lead_values(params, yes_no=False, status_names=False), params)
        return ok("Lead Updated", lead_id=lead_id)

    def _lead_to_update(self, params: Params) -> str:
        lead_id = params.get("lead_id", "").strip()
        external_id = params.get("external_id", "").strip()
        if not lead_id and external_id:
            found = self.store.lead_by_external_id(external_id)
            if found is None:
                raise CommandError(
                    STATUS_NOT_FOUND, f"Lead with external_id {external_id} not found"
                )
            return found
        if not lead_id:
            raise missing("lead_id")
        if self.store.get("leads", lead_id) is None:
            raise CommandError(STATUS_NOT_FOUND, f"Lead {lead_id} not found")
        return lead_id

    def _update(self, lead_id: str, values: dict[str, str], params: Params) -> None:
        current = self.store.get("leads", lead_id) or {}
        if "tag_append" in params:
            values["tags"] = _append_tags(current.get("tags", ""), params)
        self.store.change("leads", lead_id, values)
        self._book_followup(lead_id, values)

    def _book_followup(self, lead_id: str, values: Mapping[str, str]) -> None:
        when = values.get("followup_date", "")
        if not when:
            return
        lead = self.store.get("leads", lead_id) or {}
        self.store.insert(
            "events",
            {
                "lead_id": lead_id,
                "user_id": lead.get("user_id", "0"),
                "event_type": "Follow-up",
                "title": f"Follow up with {lead.get('first_name', '')} {lead.get('last_name', '')}",
                "start_date": when,
                "end_date": when,
                "completed": "N",
            },
        )

    def leads_get(self, params: Params) -> Answer:
        size = _bounded(params, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        number = _bounded(params, "page_number", 1, None)
        wanted = _limit_fields(params)
        conditions = _search(params)
        with self.store.lock:
            rows = [
                row
                for row in self.store.table("leads").values()
                if all(row[name] == value for name, value in conditions)
            ]
            start = (number - 1) * size
            page = [
                {name: row[name] for name in wanted} if wanted else dict(row)
                for row in rows[start : start + size]
            ]
        # Counts come out of the database as text, the page length as a number.
        return ok("Success", num_results=len(page), total_results=str(len(rows)), leads=page)


def _bounded(params: Params, name: str, default: int, most: int | None) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1 or (most is not None and int(raw) > most):
        limit = f" between 1 and {most}" if most is not None else " of 1 or more"
        raise CommandError(STATUS_BAD_PARAMETER, f"Invalid {name}: must be an integer{limit}")
    return int(raw)


def _limit_fields(params: Params) -> list[str]:
    names = [n.strip() for n in params.get("limit_fields", "").split(",") if n.strip()]
    unknown = [n for n in names if n not in LEAD_FIELDS]
    if unknown:
        raise CommandError(STATUS_BAD_PARAMETER, f"Invalid limit_fields: {', '.join(unknown)}")
    # The id always comes back, so a narrowed list can still be edited.
    return list(dict.fromkeys(["lead_id", *names])) if names else []


def _search(params: Params) -> list[tuple[str, str]]:
    """Equality conditions from `user_id` and `search_params` (a lead_management query string)."""
    conditions = parse_qsl(params.get("search_params", ""), keep_blank_values=True)
    if params.get("user_id", "").strip():
        conditions.append(("user_id", params["user_id"].strip()))
    unknown = [name for name, _ in conditions if name not in LEAD_FIELDS]
    if unknown:
        raise CommandError(STATUS_BAD_PARAMETER, f"Invalid search_params: {', '.join(unknown)}")
    return conditions
