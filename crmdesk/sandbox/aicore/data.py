"""Deterministic fake dealer-site data: leads from car shoppers, staff users, and their events."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

DEFAULT_COUNTS = {"leads": 1500, "users": 120, "events": 900}

LEAD_FIELDS = (
    "lead_id", "external_id", "user_id", "first_name", "last_name", "company", "address",
    "address_2", "city", "state", "zip", "country", "phone", "cell", "ok_to_text", "fax",
    "skype", "ip", "followup_date", "besttime", "status", "priority", "custom_status",
    "gmt_offset", "email", "admin_notes", "govt_id", "source", "tags", "date_added",
    "last_updated",
)  # fmt: skip
USER_FIELDS = (
    "user_id", "username", "account_type", "first_name", "last_name", "email", "phone",
    "company", "date_added", "enroller_id", "upline_id", "enroller_code", "blocked",
)  # fmt: skip
EVENT_FIELDS = (
    "event_id", "lead_id", "user_id", "event_type", "title", "description", "start_date",
    "end_date", "completed",
)  # fmt: skip

# custom_status is an integer, and lead_set also takes one of these names for it.
CUSTOM_STATUSES = {
    "1": "New",
    "2": "Contacted",
    "3": "Appointment Set",
    "4": "Test Drive",
    "5": "Sold",
    "6": "Lost",
}
LEAD_STATUSES = ("0", "1", "2", "3")
EVENT_TYPES = ("Call", "Appointment", "Test Drive", "Follow-up", "Email")
ACCOUNT_TYPES = ("Sales", "Manager", "Finance", "BDC", "Admin")

_FIRST = (
    "James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "Carlos",
    "Aisha", "Tyrone", "Mei", "Dmitri", "Brenda", "Kevin", "Rosa", "Hank", "Tamika", "Wyatt",
    "Crystal", "Darnell", "Heather", "Luis", "Shannon", "Cody", "Amber", "Travis", "Keisha",
)  # fmt: skip
_LAST = (
    "Smith", "Johnson", "Williams", "Brown", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson",
    "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young",
)  # fmt: skip
_PLACES = (
    ("Monroe", "MI", "48161", "734"), ("Warren", "MI", "48089", "586"),
    ("Springfield", "OH", "45502", "937"), ("Bradenton", "FL", "34205", "941"),
    ("Petoskey", "MI", "49770", "231"), ("Denver", "CO", "80204", "303"),
    ("Knoxville", "TN", "37902", "865"), ("Tulsa", "OK", "74103", "918"),
    ("Boise", "ID", "83702", "208"), ("Macon", "GA", "31201", "478"),
)  # fmt: skip
_STREETS = ("Main St", "Telegraph Rd", "Oak Ave", "Dixie Hwy", "Maple Dr", "Elm St", "Route 66")
_SOURCES = ("Website", "CarGurus", "Autotrader", "Walk-in", "Phone", "Facebook", "Referral")
_CARS = (
    "2016 Honda Civic", "2018 Ford F-150", "2015 Toyota Camry", "2019 Chevrolet Silverado",
    "2017 Jeep Wrangler", "2014 Nissan Altima", "2020 Hyundai Elantra", "2013 Dodge Ram 1500",
    "2018 Subaru Outback", "2016 GMC Sierra",
)  # fmt: skip
_NOTES = (
    "Interested in the {car}",
    "Asked about financing for the {car}",
    "Wants a trade-in quote; looking at the {car}",
    "Test drove the {car}",
    "",
)
_BESTTIME = ("Morning", "Afternoon", "Evening", "Weekends", "")
_TAGS = ("credit-app", "trade-in", "cash-buyer", "first-time", "repeat", "")
_START = datetime(2023, 1, 2, 8, 0, 0)


def stamp(moment: datetime) -> str:
    """A date as the platform writes it: `YYYY-MM-DD HH:MM:SS`."""
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _moment(rng: random.Random) -> datetime:
    return _START + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))


def _phone(rng: random.Random, area: str) -> str:
    return f"({area}) 555-{rng.randrange(100, 10000):04d}"


class FakeData:
    """Builds each entity's records; the same seed and counts always give the same data."""

    def __init__(self, seed: int, records_per_entity: int | None) -> None:
        self._seed = seed
        self.counts = {
            name: default if records_per_entity is None else records_per_entity
            for name, default in DEFAULT_COUNTS.items()
        }

    def _rng(self, entity: str) -> random.Random:
        return random.Random(f"aicore:{self._seed}:{entity}")

    def users(self) -> list[dict[str, str]]:
        rng = self._rng("users")
        users = []
        for number in range(1, self.counts["users"] + 1):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            city, _, _, area = rng.choice(_PLACES)
            upline = str(rng.randrange(1, number)) if number > 1 else "0"
            users.append(
                {
                    "user_id": str(number),
                    "username": f"{first[0]}{last}{number}".lower(),
                    "account_type": rng.choice(ACCOUNT_TYPES),
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}{number}@dealer.example".lower(),
                    "phone": _phone(rng, area),
                    "company": f"{city} Auto Sales",
                    "date_added": stamp(_moment(rng)),
                    "enroller_id": upline,
                    "upline_id": upline,
                    "enroller_code": f"{last[:3].upper()}{number:04d}",
                    "blocked": "Y" if rng.random() < 0.05 else "N",
                }
            )
        return users

    def leads(self, user_count: int) -> list[dict[str, str]]:
        rng = self._rng("leads")
        leads = []
        for number in range(1, self.counts["leads"] + 1):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            city, state, zip_code, area = rng.choice(_PLACES)
            added = _moment(rng)
            followup = added + timedelta(days=rng.randrange(1, 30)) if rng.random() < 0.4 else None
            leads.append(
                {
                    "lead_id": str(1000 + number),
                    "external_id": f"WEB-{number:06d}" if rng.random() < 0.3 else "",
                    "user_id": str(rng.randrange(1, user_count + 1)) if user_count else "0",
                    "first_name": first,
                    "last_name": last,
                    "company": "",
                    "address": f"{rng.randrange(10, 9999)} {rng.choice(_STREETS)}",
                    "address_2": "",
                    "city": city,
                    "state": state,
                    "zip": zip_code,
                    "country": "US",
                    "phone": _phone(rng, area),
                    "cell": _phone(rng, area) if rng.random() < 0.7 else "",
                    "ok_to_text": "Y" if rng.random() < 0.6 else "N",
                    "fax": "",
                    "skype": "",
                    "ip": f"198.51.100.{rng.randrange(1, 255)}",
                    "followup_date": stamp(followup) if followup else "0000-00-00 00:00:00",
                    "besttime": rng.choice(_BESTTIME),
                    "status": rng.choice(LEAD_STATUSES),
                    "priority": str(rng.randrange(0, 4)),
                    "custom_status": rng.choice(tuple(CUSTOM_STATUSES)),
                    "gmt_offset": "-5",
                    "email": f"{first}.{last}{number}@mail.example".lower(),
                    "admin_notes": rng.choice(_NOTES).format(car=rng.choice(_CARS)),
                    "govt_id": "",
                    "source": rng.choice(_SOURCES),
                    "tags": rng.choice(_TAGS),
                    "date_added": stamp(added),
                    "last_updated": stamp(added + timedelta(hours=rng.randrange(0, 500))),
                }
            )
        return leads

    def events(self, lead_ids: list[str], user_count: int) -> list[dict[str, str]]:
        rng = self._rng("events")
        events = []
        for number in range(1, self.counts["events"] + 1):
            start = _moment(rng)
            kind = rng.choice(EVENT_TYPES)
            lead_id = rng.choice(lead_ids) if lead_ids else "0"
            events.append(
                {
                    "event_id": str(number),
                    "lead_id": lead_id,
                    "user_id": str(rng.randrange(1, user_count + 1)) if user_count else "0",
                    "event_type": kind,
                    "title": f"{kind} with lead {lead_id}",
                    "description": rng.choice(_NOTES).format(car=rng.choice(_CARS)),
                    "start_date": stamp(start),
                    "end_date": stamp(start + timedelta(minutes=rng.choice((15, 30, 60)))),
                    "completed": "Y" if rng.random() < 0.5 else "N",
                }
            )
        return events
