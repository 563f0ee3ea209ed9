"""Every command the emulated `/service` knows, dispatched by `ai_command`.

Decisions where the docs are silent: query_users and events_get return every match at once
(only leads_get pages), nested as `users[n][field]`; user_get answers the user's fields as
plain pairs beside `status`; event_set takes `mode` like lead_set; authenticate_notifications
takes no parameters beyond the login and opens notification traffic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Literal

from crmdesk.sandbox.aicore.data import ACCOUNT_TYPES, EVENT_TYPES
from crmdesk.sandbox.aicore.leads import LeadCommands, Params
from crmdesk.sandbox.aicore.store import SiteStore
from crmdesk.sandbox.aicore.wire import (
    STATUS_BAD_COMMAND,
    STATUS_BAD_PARAMETER,
    STATUS_FAILED,
    STATUS_NOT_FOUND,
    Answer,
    CommandError,
    missing,
    ok,
)

Format = Literal["pairs", "json", "json-as-html"]
USER_WRITABLE = (
    "username", "account_type", "first_name", "last_name", "email", "phone", "company",
    "blocked",
)  # fmt: skip
EVENT_WRITABLE = (
    "lead_id", "user_id", "event_type", "title", "description", "start_date", "end_date",
    "completed",
)  # fmt: skip
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def _required(params: Params, name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise missing(name)
    return value


def _yes_no(values: dict[str, str], name: str, problems: list[str]) -> None:
    if name in values and values[name] not in ("Y", "N"):
        problems.append(f"Invalid {name}: use Y or N")


class SiteCommands:
    """Runs one command against the site's records and says how to write the answer."""

    def __init__(self, store: SiteStore) -> None:
        self.store = store
        self.leads = LeadCommands(store)
        self._commands: dict[str, tuple[Callable[[Params], object], Format]] = {
            "ping": (self.ping, "pairs"),
            "create_lead": (self.leads.create_lead, "pairs"),
            "lead_set": (self.leads.lead_set, "pairs"),
            "update_lead": (self.leads.update_lead, "pairs"),
            "leads_get": (self.leads.leads_get, "json"),
            "query_users": (self.query_users, "pairs"),
            "user_get": (self.user_get, "pairs"),
            "update_user": (self.update_user, "pairs"),
            "events_get": (self.events_get, "pairs"),
            "event_set": (self.event_set, "pairs"),
            "authenticate_notifications": (self.authenticate_notifications, "pairs"),
            # The batch answer is a JSON array sent with PHP's default text/html type.
            "batch": (self.batch, "json-as-html"),
        }

    def run(self, command: str, params: Params) -> tuple[object, Format]:
        """The answer to `command` and its format; failures raise CommandError."""
        found = self._commands.get(command)
        if found is None:
            raise CommandError(STATUS_BAD_COMMAND, f"Invalid command: {command}")
        handler, answer_format = found
        return handler(params), answer_format

    # -- simple commands -------------------------------------------------------------------

    def ping(self, params: Params) -> Answer:
        return ok("Pong")

    def authenticate_notifications(self, params: Params) -> Answer:
        self.store.authenticate_notifications()
        return ok("Notifications authenticated")

    # -- users -----------------------------------------------------------------------------

    def query_users(self, params: Params) -> Answer:
        with self.store.lock:
            users = [dict(row) for row in self.store.table("users").values()]
        return ok("Success", num_results=len(users), users=users)

    def user_get(self, params: Params) -> Answer:
        user_id = _required(params, "user_id")
        user = self.store.get("users", user_id)
        if user is None:
            raise CommandError(STATUS_NOT_FOUND, f"User {user_id} not found")
        return ok("Success", **user)

    def update_user(self, params: Params) -> Answer:
        user_id = _required(params, "user_id")
        if self.store.get("users", user_id) is None:
            raise CommandError(STATUS_NOT_FOUND, f"User {user_id} not found")
        values = {name: params[name].strip() for name in USER_WRITABLE if name in params}
        problems: list[str] = []
        _yes_no(values, "blocked", problems)
        if "account_type" in values and values["account_type"] not in ACCOUNT_TYPES:
            problems.append(f"Invalid account_type: {values['account_type']}")
        if "username" in values:
            if not values["username"]:
                problems.append("Invalid username: must not be empty")
            elif any(
                row["username"] == values["username"] and uid != user_id
                for uid, row in self.store.table("users").items()
            ):
                problems.append(f"Username {values['username']} is already taken")
        if problems:
            raise CommandError(STATUS_BAD_PARAMETER, *problems)
        self.store.change("users", user_id, values)
        return ok("User Updated", user_id=user_id)

    # -- events ----------------------------------------------------------------------------

    def events_get(self, params: Params) -> Answer:
        conditions = [
            (name, params[name].strip())
            for name in ("event_id", "lead_id", "user_id")
            if params.get(name, "").strip()
        ]
        with self.store.lock:
            events = [
                dict(row)
                for row in self.store.table("events").values()
                if all(row[name] == value for name, value in conditions)
            ]
        return ok("Success", num_results=len(events), events=events)

    def event_set(self, params: Params) -> Answer:
        mode = _required(params, "mode").lower()
        if mode not in ("insert", "update"):
            raise CommandError(STATUS_BAD_PARAMETER, f"Invalid mode: {mode} (insert or update)")
        values = {name: params[name].strip() for name in EVENT_WRITABLE if name in params}
        problems: list[str] = []
        _yes_no(values, "completed", problems)
        for name in ("start_date", "end_date"):
            if values.get(name) and not _DATETIME.fullmatch(values[name]):
                problems.append(f"Invalid {name}: use YYYY-MM-DD HH:MM:SS")
        if "event_type" in values and values["event_type"] not in EVENT_TYPES:
            problems.append(f"Invalid event_type: {values['event_type']}")
        if problems:
            raise CommandError(STATUS_BAD_PARAMETER, *problems)
        if mode == "insert":
            _required(params, "title")
            _required(params, "start_date")
            values.setdefault("completed", "N")
            values.setdefault("end_date", values["start_date"])
            event_id = self.store.insert("events", values)
            return ok("Event Inserted", event_id=event_id)
        event_id = _required(params, "event_id")
        if not self.store.change("events", event_id, values):
            raise CommandError(STATUS_NOT_FOUND, f"Event {event_id} not found")
        return ok("Event Updated", event_id=event_id)

    # -- batch -----------------------------------------------------------------------------

    def batch(self, params: Params) -> list[object]:
        raw = _required(params, "json")
        try:
            items = json.loads(raw)
        except ValueError:
            raise CommandError(STATUS_BAD_PARAMETER, "Invalid json: not valid JSON") from None
        if not isinstance(items, list):
            raise CommandError(STATUS_BAD_PARAMETER, "Invalid json: must be an array")
        return [self._batch_item(item) for item in items]

    def _batch_item(self, item: object) -> object:
        if not isinstance(item, dict):
            return "ERROR: Batch item is not an object"
        params = {str(k): _as_text(v) for k, v in item.items()}
        command = params.pop("ai_command", "").strip()
        if not command:
            return missing("ai_command").batch_item()
        if command == "batch":
            return "ERROR: batch cannot be nested"
        try:
            answer, _ = self.run(command, params)
        except CommandError as error:
            return error.batch_item()
        except Exception:
            return CommandError(STATUS_FAILED, "An unexpected error has occurred").answer()
        return answer


def _as_text(value: object) -> str:
    # Batch items are JSON, so numbers and nested values arrive typed; commands take text.
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def answer_params(form: Mapping[str, str]) -> dict[str, str]:
    """A command's own parameters: the form without the login and the command name."""
    skip = {"ai_login_id", "ai_login_password", "ai_command"}
    return {name: value for name, value in form.items() if name not in skip}
