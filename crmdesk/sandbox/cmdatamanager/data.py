"""Deterministic fake CRM records, generated one entity at a time and column by column for speed."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from crmdesk.sandbox.cmdatamanager import words as w
from crmdesk.sandbox.cmdatamanager.ids import ExternalIds
from crmdesk.sandbox.cmdatamanager.schema import (
    DEPARTMENTS,
    INDUSTRIES,
    LEAD_SOURCES,
    OWNERS,
    PRIORITIES,
    SCHEMAS,
    STAGES,
    SUBSCRIPTION_STATUSES,
    TASK_STATUSES,
)

DEFAULT_COUNTS: dict[str, int] = {
    "account": 2500,
    "lead": 3000,
    "contact": 4000,
    "task": 3500,
    "opportunity": 2000,
    "subscription": 1500,
}
# Fixed block numbers keep every entity's IDs independent of which entity is generated first.
ENTITY_BLOCKS = {name: number for number, name in enumerate(DEFAULT_COUNTS)}

_FIRST_DAY = date(2023, 1, 1)
DAYS = tuple((_FIRST_DAY + timedelta(days=n)).isoformat() for n in range(365 * 3 + 1))
_TIMES = tuple(f"{h:02d}:{m:02d}:00" for h in range(8, 19) for m in range(60))
_BIRTHDAYS = tuple((date(1958, 1, 1) + timedelta(days=n)).isoformat() for n in range(365 * 44))
_MASK = (1 << 64) - 1
_COMPANIES = tuple(
    (f"{stem} {kind}{legal}", f"{stem}-{kind}.example".lower().replace(" ", ""))
    for stem in w.COMPANY_STEMS
    for kind in w.COMPANY_KINDS
    for legal in w.LEGAL_FORMS
)

Columns = dict[str, list[str]]
# Stands for "the record's ModifiedDate" until the stamps exist.
_LAST_CHANGE = "<last change>"


def _mix(value: int) -> int:
    """splitmix64's finaliser: a cheap, well-spread hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


class FakeData:
    """Builds the generated records of each entity; the same seed always gives the same data."""

    def __init__(self, seed: int, counts: Mapping[str, int], ids: ExternalIds) -> None:
        self._seed = seed
        self._counts = dict(counts)
        self._ids = ids
        self._generators: dict[str, Callable[[random.Random, int], Columns]] = {
            "account": self._accounts,
            "lead": self._leads,
            "contact": self._contacts,
            "task": self._tasks,
            "opportunity": self._opportunities,
            "subscription": self._subscriptions,
        }

    def generate(self, entity: str) -> dict[str, dict[str, str]]:
        """ExternalID → Properties for every generated record of `entity`, in creation order."""
        count = self._counts[entity]
        rng = random.Random(f"{self._seed}:{entity}")
        columns = self._generators[entity](rng, count)
        columns.update(_stamps(rng, count))
        for name, values in columns.items():
            # Converting a lead or completing a task was the record's last change.
            if _LAST_CHANGE in values:
                modified = columns["ModifiedDate"]
                columns[name] = [modified[i] if v else "" for i, v in enumerate(values)]
        names = SCHEMAS[entity].field_names
        ordered = [columns.get(name) or [""] * count for name in names]
        block = ENTITY_BLOCKS[entity]
        return {
            self._ids.generated(block, index): dict(zip(names, values, strict=True))
            for index, values in enumerate(zip(*ordered, strict=True))
        }

    # -- shared pieces ----------------------------------------------------------------------

    def _ref(self, entity: str, index: int) -> str:
        return self._ids.generated(ENTITY_BLOCKS[entity], index)

    def _refs(self, rng: random.Random, entity: str, n: int) -> tuple[list[int], list[str]]:
        """Random records of another entity, as numbers and IDs (computed, not generated)."""
        picked = rng.choices(range(max(1, self._counts[entity])), k=n)
        return picked, [self._ref(entity, i) for i in picked]

    def company(self, index: int) -> tuple[str, str]:
        """The name and mail domain of the company behind account `index`."""
        return _COMPANIES[_mix(self._seed * 1_000_003 + index) % len(_COMPANIES)]

    # -- one generator per entity -----------------------------------------------------------

    def _accounts(self, rng: random.Random, n: int) -> Columns:
        companies = [self.company(i) for i in range(n)]
        places = rng.choices(w.PLACES, k=n)
        revenue = [rng.lognormvariate(14.5, 1.3) for _ in range(n)]
        return {
            "Name": [name for name, _ in companies],
            "Industry": rng.choices(INDUSTRIES, k=n),
            "Phone": _phones(rng, places),
            "Email": [
                f"{box}@{domain}"
                for box, (_, domain) in zip(
                    rng.choices(("info", "hello", "sales", "office"), k=n), companies, strict=True
                )
            ],
            "Website": [f"https://www.{domain}" for _, domain in companies],
            "City": [p[0] for p in places],
            "Country": [p[1] for p in places],
            "Owner": rng.choices(OWNERS, k=n),
            "AnnualRevenue": [f"{round(r, -3):.2f}" for r in revenue],
            "Employees": [str(max(1, int(r / 90_000))) for r in revenue],
            "Description": _sometimes(rng, w.DESCRIPTIONS, n, 0.2),
        }

    def _leads(self, rng: random.Random, n: int) -> Columns:
        firsts, lasts = rng.choices(w.FIRST_NAMES, k=n), rng.choices(w.LAST_NAMES, k=n)
        companies = rng.choices(_COMPANIES, k=n)
        statuses = rng.choices(
            ("Open", "Contacted", "Qualified", "Unqualified", "Converted"),
            weights=(30, 25, 20, 15, 10),
            k=n,
        )
        converted = [s == "Converted" for s in statuses]
        accounts = rng.choices(range(max(1, self._counts["account"])), k=n)
        return {
            "FirstName": firsts,
            "LastName": lasts,
            "Company": [name for name, _ in companies],
            "Title": rng.choices(w.TITLES, k=n),
            "Status": statuses,
            "Email": _emails(firsts, lasts, [d for _, d in companies]),
            "Phone": _phones(rng, rng.choices(w.PLACES, k=n)),
            "Source": rng.choices(LEAD_SOURCES, k=n),
            "Owner": rng.choices(OWNERS, k=n),
            "Description": _sometimes(rng, w.DESCRIPTIONS, n, 0.25),
            "ConvertedAccountID": [
                self._ref("account", a) if c else ""
                for a, c in zip(accounts, converted, strict=True)
            ],
            "ConvertedDate": [_LAST_CHANGE if c else "" for c in converted],
        }

    def _contacts(self, rng: random.Random, n: int) -> Columns:
        firsts, lasts = rng.choices(w.FIRST_NAMES, k=n), rng.choices(w.LAST_NAMES, k=n)
        numbers, accounts = self._refs(rng, "account", n)
        places = rng.choices(w.PLACES, k=n)
        return {
            "FirstName": firsts,
            "LastName": lasts,
            "Email": _emails(firsts, lasts, [self.company(i)[1] for i in numbers]),
            "Phone": _phones(rng, places),
            "Mobile": _sometimes(rng, _phones(rng, places), n, 0.6),
            "Title": rng.choices(w.TITLES, k=n),
            "Department": rng.choices(DEPARTMENTS, k=n),
            "AccountID": accounts,
            "City": [p[0] for p in places],
            "Owner": rng.choices(OWNERS, k=n),
            "DoNotCall": rng.choices(("False", "True"), weights=(9, 1), k=n),
            "Birthdate": _sometimes(rng, _BIRTHDAYS, n, 0.4),
        }

    def _tasks(self, rng: random.Random, n: int) -> Columns:
        statuses = rng.choices(TASK_STATUSES, weights=(30, 20, 10, 35, 5), k=n)
        kinds = rng.choices(("account", "contact", "lead", "opportunity"), k=n)
        related = [self._ref(kind, rng.randrange(max(1, self._counts[kind]))) for kind in kinds]
        return {
            "Subject": rng.choices(w.TASK_SUBJECTS, k=n),
            "Status": statuses,
            "Priority": rng.choices(PRIORITIES, weights=(3, 5, 2), k=n),
            "DueDate": _sometimes(rng, DAYS, n, 0.9),
            "Owner": rng.choices(OWNERS, k=n),
            "RelatedTo": related,
            "RelatedType": kinds,
            "Description": _sometimes(rng, w.DESCRIPTIONS, n, 0.15),
            "CompletedDate": [_LAST_CHANGE if s == "Completed" else "" for s in statuses],
        }

    def _opportunities(self, rng: random.Random, n: int) -> Columns:
        numbers, accounts = self._refs(rng, "account", n)
        stages = rng.choices(STAGES, weights=(20, 20, 15, 10, 20, 15), k=n)
        chance = {"Prospecting": 10, "Qualification": 25, "Proposal": 50, "Negotiation": 75}
        items = rng.choices(w.OPPORTUNITY_ITEMS, k=n)
        amounts = [rng.lognormvariate(9.5, 1.0) for _ in range(n)]
        return {
            "Name": [
                f"{self.company(i)[0]} - {item}" for i, item in zip(numbers, items, strict=True)
            ],
            "Stage": stages,
            "Amount": [f"{round(a, -1):.2f}" for a in amounts],
            "Probability": [str(chance.get(s, 100 if s == "Closed Won" else 0)) for s in stages],
            "CloseDate": rng.choices(DAYS, k=n),
            "AccountID": accounts,
            "Owner": rng.choices(OWNERS, k=n),
            "Source": rng.choices(LEAD_SOURCES, k=n),
            "RelatedTo": accounts,
            "RelatedType": ["account"] * n,
            "Description": _sometimes(rng, w.DESCRIPTIONS, n, 0.2),
        }

    def _subscriptions(self, rng: random.Random, n: int) -> Columns:
        plans = rng.choices(tuple(w.PLAN_PRICES), weights=(4, 3, 2, 1), k=n)
        seats = rng.choices(range(1, 250), k=n)
        starts = rng.choices(range(len(DAYS) - 366), k=n)
        _, accounts = self._refs(rng, "account", n)
        return {
            "Plan": plans,
            "Status": rng.choices(SUBSCRIPTION_STATUSES, weights=(10, 70, 8, 12), k=n),
            "Seats": [str(s) for s in seats],
            "MonthlyPrice": [
                f"{w.PLAN_PRICES[p] * s:.2f}" for p, s in zip(plans, seats, strict=True)
            ],
            "StartDate": [DAYS[d] for d in starts],
            "RenewalDate": [DAYS[d + 365] for d in starts],
            "AutoRenew": rng.choices(("True", "False"), weights=(4, 1), k=n),
            "AccountID": accounts,
            "Owner": rng.choices(OWNERS, k=n),
            "Notes": _sometimes(rng, w.DESCRIPTIONS, n, 0.1),
        }


def _phones(rng: random.Random, places: list[tuple[str, str, str]]) -> list[str]:
    numbers = rng.choices(range(1000), k=len(places))
    return [f"{p[2]}{n:03d}" for p, n in zip(places, numbers, strict=True)]


def _emails(firsts: list[str], lasts: list[str], domains: list[str]) -> list[str]:
    return [
        f"{f.lower()}.{last.lower()}@{d}" for f, last, d in zip(firsts, lasts, domains, strict=True)
    ]


def _sometimes(
    rng: random.Random, pool: tuple[str, ...] | list[str], n: int, share: float
) -> list[str]:
    """Values from `pool` for about `share` of the records, empty for the rest."""
    picks = rng.choices(pool, k=n)
    present = rng.choices((True, False), weights=(share, 1 - share), k=n)
    return [p if keep else "" for p, keep in zip(picks, present, strict=True)]


def _stamps(rng: random.Random, n: int) -> Columns:
    """CreatedDate and a ModifiedDate on or after it, all within 2023–2025."""
    last = len(DAYS) - 1
    created_days = rng.choices(range(last - 30), k=n)
    delays = rng.choices(range(240), k=n)
    created_times, modified_times = rng.choices(_TIMES, k=n), rng.choices(_TIMES, k=n)
    created = [f"{DAYS[d]}T{t}" for d, t in zip(created_days, created_times, strict=True)]
    modified = [
        f"{DAYS[min(d + late, last)]}T{t2 if late else t1}"
        for d, late, t1, t2 in zip(created_days, delays, created_times, modified_times, strict=True)
    ]
    return {"CreatedDate": created, "ModifiedDate": modified}
