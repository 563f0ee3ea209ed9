"""The notifications an emulated site has to tell: `generic` text, `membership` changes and
`new_user` sign-ups, with the fields API-NOTES §5 lists, made from (and into) the site's data.

A `new_user` adds the user to the site, and a `membership` change is made to the user it
names, so "open the related record" finds what the message is about.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timedelta
from typing import Any

from crmdesk.sandbox.aicore.data import ACCOUNT_TYPES, stamp
from crmdesk.sandbox.aicore.store import SiteStore

Notice = dict[str, Any]
KINDS = ("generic", "membership", "new_user")
MEMBERSHIP_STATUSES = ("created", "updated", "blocked", "unblocked", "expired", "deleted")
_WEIGHTS = (4, 3, 3)
_FIRST = ("Avery", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Quinn", "Devon")
_LAST = ("Nguyen", "Patel", "Okafor", "Schmidt", "Kowalski", "Haddad", "Rossi", "Murphy")
_STREETS = ("Main St", "Market St", "Lake Rd", "Hill Ave", "Park Blvd", "River Dr")
_CITIES = (("Monroe", "MI", "48161"), ("Toledo", "OH", "43604"), ("Tampa", "FL", "33602"))
_GENERIC = (
    "Lead {lead} ({name}) asked for a test drive on {day}",
    "Lead {lead} ({name}) submitted a credit application",
    "Inventory sync finished: {n} vehicles updated",
    "Lead {lead} ({name}) was assigned to {user}",
    "Daily report: {n} new leads since yesterday",
    "Appointment with {name} (lead {lead}) moved to {day}",
)


class SiteNotices:
    """Makes notices. With `distinct` (the default) no two it makes are the same message, so
    a receiver that de-duplicates must keep every one."""

    def __init__(self, store: SiteStore, seed: int = 1, *, distinct: bool = True) -> None:
        self._store = store
        self._rng = random.Random(f"aicore-notices:{seed}")
        self._distinct = distinct
        self._seen: set[str] = set()
        self._counter = 0

    def make(self, count: int, kinds: tuple[str, ...] = KINDS) -> list[Notice]:
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown notification types {sorted(unknown)}; known: {KINDS}")
        weights = [_WEIGHTS[KINDS.index(kind)] for kind in kinds]
        return [self.one(self._rng.choices(kinds, weights)[0]) for _ in range(count)]

    def one(self, kind: str) -> Notice:
        for _ in range(20):
            notice = {
                "generic": self.generic,
                "membership": self.membership,
                "new_user": self.new_user,
            }[kind]()
            if not self._distinct or self._keep(notice):
                return notice
        return self.generic(unique=True)

    def _keep(self, notice: Notice) -> bool:
        digest = hashlib.sha256(json.dumps(notice, sort_keys=True).encode()).hexdigest()
        if digest in self._seen:
            return False
        self._seen.add(digest)
        return True

    # -- the three types ------------------------------------------------------------------------

    def generic(self, *, unique: bool = False) -> Notice:
        rng = self._rng
        self._counter += 1
        lead = self._any("leads")
        user = self._any("users")
        day = datetime.now() + timedelta(days=rng.randrange(1, 10))
        text = rng.choice(_GENERIC).format(
            lead=lead.get("lead_id", "1001"),
            name=f"{lead.get('first_name', 'Pat')} {lead.get('last_name', 'Doe')}",
            user=user.get("username", "sales"),
            day=day.strftime("%a %d %b at %H:00"),
            n=rng.randrange(2, 60),
        )
        if unique:
            text += f" (#{self._counter})"
        return {"type": "generic", "data": text}

    def membership(self) -> Notice:
        rng = self._rng
        user = self._any("users")
        user_id = user.get("user_id", "1")
        status = rng.choice(MEMBERSHIP_STATUSES)
        expires = rng.random() < 0.5
        now = datetime.now()
        # The change happens on the site too, as it would before the site tells anyone.
        if status in ("blocked", "unblocked"):
            self._store.change("users", user_id, {"blocked": "Y" if status == "blocked" else "N"})
        return {
            "type": "membership",
            "data": {
                "status": status,
                "user_id": user_id,
                "external_user_id": f"EXT-{int(user_id):06d}" if user_id.isdigit() else "",
                "account_type": user.get("account_type", rng.choice(ACCOUNT_TYPES)),
                "expires": "Y" if expires else "N",
                "exp_date": stamp(now + timedelta(days=rng.randrange(30, 400))) if expires else "",
                "blocked": "Y" if status == "blocked" else "N",
                "date_created": user.get("date_added", stamp(now)),
                "last_updated": stamp(now + timedelta(seconds=self._tick())),
            },
        }

    def new_user(self) -> Notice:
        rng = self._rng
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        city, state, zip_code = rng.choice(_CITIES)
        upline = self._any("users").get("user_id", "0")
        values = {
            "username": "",
            "account_type": rng.choice(ACCOUNT_TYPES),
            "first_name": first,
            "last_name": last,
            "email": "",
            "phone": f"(734) 555-{rng.randrange(1000, 10000)}",
            "company": f"{city} Auto Sales",
            "enroller_id": upline,
            "upline_id": upline,
            "blocked": "N",
        }
        user_id = self._store.insert("users", values)
        username = f"{first[0]}{last}{user_id}".lower()
        email = f"{first}.{last}{user_id}@dealer.example".lower()
        code = f"{last[:3].upper()}{int(user_id):04d}"
        self._store.change(
            "users", user_id, {"username": username, "email": email, "enroller_code": code}
        )
        row = self._store.get("users", user_id) or {}
        address = {
            "address": f"{rng.randrange(10, 9999)} {rng.choice(_STREETS)}",
            "address_2": "",
            "city": city,
            "state": state,
            "zip": zip_code,
            "country": "US",
        }
        return {
            "type": "new_user",
            "data": {
                "user_id": user_id,
                "username": username,
                "account_type": values["account_type"],
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": values["phone"],
                "company": values["company"],
                "date_added": row.get("date_added", stamp(datetime.now())),
                "enroller_id": upline,
                "upline_id": upline,
                "enroller_code": code,
                "enroller_code_name": f"{first} {last}",
                "billing_address": address,
                "shipping_address": dict(address),
            },
        }

    def _any(self, entity: str) -> dict[str, str]:
        with self._store.lock:
            table = self._store.table(entity)
            if not table:
                return {}
            key = (
                self._rng.choice(list(table))
                if len(table) < 5000
                else str(self._rng.randrange(1, len(table)))
            )
            return dict(table.get(key) or next(iter(table.values())))

    def _tick(self) -> int:
        # Later changes are stamped later, as they are on a real site.
        self._counter += 1
        return self._counter
