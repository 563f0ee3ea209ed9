"""Deterministic fake records for the emulated Mothernode account, one resource at a time.

IDs are computed from (seed, resource, number), so contacts can name their customer without
the customers being generated first.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from crmdesk.sandbox.mothernode import words as w
from crmdesk.sandbox.mothernode.schema import NO_DATE, NO_DATETIME

DEFAULT_COUNTS: dict[str, int] = {
    "customers": 800,
    "contacts": 2000,
    "leads": 1500,
    "notes": 2500,
    "invoices": 600,
}
FIRST_NOTE_ID = 1000
FIRST_INVOICE_NUMBER = 10000
FIRST_LEAD_NUMBER = 5000
FIRST_CUSTOMER_NUMBER = 2000

Fields = dict[str, str]
Invoice = tuple[Fields, list[Fields]]
_FIRST_DAY = date(2022, 1, 1)


def record_uuid(seed: int, resource: str, number: int) -> str:
    """A UUID-like id that is the same for the same seed, resource and record number."""
    digest = hashlib.blake2b(f"{seed}:{resource}:{number}".encode(), digest_size=16).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}"


def _day(rng: random.Random, span: int = 1000) -> date:
    return _FIRST_DAY + timedelta(days=rng.randrange(span))


def _stamp(rng: random.Random) -> str:
    return f"{_day(rng)} {rng.randrange(7, 19):02d}:{rng.randrange(60):02d}:00"


def _company(rng: random.Random) -> str:
    return f"{rng.choice(w.COMPANY_FIRST)} {rng.choice(w.COMPANY_SECOND)}{rng.choice(w.LEGAL)}"


def _phone(rng: random.Random, area: str) -> str:
    return f"({area}) 555-{rng.randrange(100, 10000):04d}"


class FakeAccount:
    """Builds each resource's generated records; the same seed always gives the same data."""

    def __init__(self, seed: int, counts: Mapping[str, int]) -> None:
        self.seed = seed
        self.counts = dict(counts)
        self._makers: dict[str, Callable[[random.Random, int], Fields]] = {
            "customers": self._customer,
            "contacts": self._contact,
            "leads": self._lead,
            "notes": self._note,
        }

    def ref(self, resource: str, number: int) -> str:
        return record_uuid(self.seed, resource, number)

    def _pick(self, rng: random.Random, resource: str) -> tuple[int, str]:
        number = rng.randrange(max(1, self.counts[resource]))
        return number, self.ref(resource, number)

    def generate(self, resource: str) -> dict[str, Fields]:
        """id → fields for every generated record of `resource` (not invoices), in order."""
        rng = random.Random(f"{self.seed}:{resource}")
        make = self._makers[resource]
        records: dict[str, Fields] = {}
        for number in range(self.counts[resource]):
            fields = make(rng, number)
            records[next(iter(fields.values()))] = fields
        return records

    def invoices(self) -> dict[str, Invoice]:
        """invoice number → (header, lines), in number order."""
        rng = random.Random(f"{self.seed}:invoices")
        found: dict[str, Invoice] = {}
        for number in range(self.counts["invoices"]):
            header, lines = self._invoice(rng, number)
            found[header["invoice_number"]] = (header, lines)
        return found

    # -- one maker per resource; each returns the id field first -----------------------------

    def _customer(self, rng: random.Random, number: int) -> Fields:
        city, state, zip3, area = rng.choice(w.PLACES)
        street = f"{rng.randrange(100, 9999)} {rng.choice(w.STREETS)}"
        zip_code = f"{zip3}{rng.randrange(100):02d}"
        name = _company(rng)
        domain = name.split(" ")[0].lower() + name.split(" ")[1].lower().rstrip(",.")
        same_billing = rng.random() < 0.7
        return {
            "customer_id": self.ref("customers", number),
            "customer_number": str(FIRST_CUSTOMER_NUMBER + number),
            "company_name": name,
            "address1": street,
            "address2": rng.choice(("", "", "", f"Suite {rng.randrange(100, 500)}")),
            "city": city,
            "state": state,
            "zip": zip_code,
            "country": "US",
            "tel": _phone(rng, area),
            "fax": rng.choice(("", _phone(rng, area))),
            "website": f"www.{domain}.example",
            "billing_address1": street if same_billing else "PO Box " + str(rng.randrange(9999)),
            "billing_city": city,
            "billing_state": state,
            "billing_zip": zip_code,
            "billing_country": "US",
            "shipping_address1": street,
            "shipping_city": city,
            "shipping_state": state,
            "shipping_zip": zip_code,
            "shipping_country": "US",
            "sales_user_id": rng.choice(w.USER_IDS),
            "pm1_user_id": rng.choice(("0", *w.USER_IDS)),
            "created_date": _stamp(rng),
        }

    def _contact(self, rng: random.Random, number: int) -> Fields:
        first, last = rng.choice(w.FIRST_NAMES), rng.choice(w.LAST_NAMES)
        _, customer = self._pick(rng, "customers")
        area = rng.choice(w.PLACES)[3]
        box = f"{first}.{last}".lower()
        return {
            "contact_id": self.ref("contacts", number),
            "customer_id": customer,
            "first_name": first,
            "last_name": last,
            "salutation": rng.choice(w.SALUTATIONS),
            "title": rng.choice(w.TITLES),
            "department": rng.choice(w.DEPARTMENTS),
            "email": f"{box}@{customer[:6]}.example",
            "alt_email": rng.choice(("", "", f"{box}@mail.example")),
            "contact_tel": _phone(rng, area),
            "contact_mobile": rng.choice(("", _phone(rng, area))),
            "is_decision_maker": rng.choice(("0", "0", "1")),
            "do_not_call": rng.choice(("0",) * 9 + ("1",)),
            "do_not_email": rng.choice(("0",) * 9 + ("1",)),
            "twitter": rng.choice(("", "", f"@{first.lower()}{last[:3].lower()}")),
            "linkedin": rng.choice(("", f"linkedin.com/in/{box.replace('.', '-')}")),
            "birthday": rng.choice(
                (NO_DATE, NO_DATE, str(date(1960, 1, 1) + timedelta(rng.randrange(15000))))
            ),
            "created_date": _stamp(rng),
        }

    def _lead(self, rng: random.Random, number: int) -> Fields:
        opportunity = rng.random() < 0.4
        _, customer = self._pick(rng, "customers")
        _, contact = self._pick(rng, "contacts")
        individual = rng.random() < 0.15
        return {
            "lead_id": self.ref("leads", number),
            "lead_number": str(FIRST_LEAD_NUMBER + number),
            "l_working_title": rng.choice(w.WORK),
            "l_company_name": "" if individual else _company(rng),
            "is_individual": "1" if individual else "0",
            "primary_contact": contact,
            "customer_id": customer,
            "opp_status": rng.choice(w.OPP_STATUSES) if opportunity else "",
            "opp_probability_id": str(rng.choice((10, 25, 50, 75, 90))) if opportunity else "0",
            "o_project_cost": f"{rng.randrange(5, 900) * 50:.2f}" if opportunity else "0.00",
            "o_close_date": str(_day(rng, 1200)) if opportunity else NO_DATE,
            "is_opportunity": "1" if opportunity else "0",
            "v_lead_source": rng.choice(w.LEAD_SOURCES),
            "v_stage_name": rng.choice(w.STAGES),
            "v_phase_name": rng.choice(w.PHASES),
            "v_type_name": rng.choice(w.LEAD_TYPES),
            "created_date": _stamp(rng),
        }

    def _note(self, rng: random.Random, number: int) -> Fields:
        on_contact = rng.random() < 0.4
        _, customer = self._pick(rng, "customers")
        ref = self._pick(rng, "contacts")[1] if on_contact else customer
        event = rng.random() < 0.3
        start = f"{_day(rng, 1200)} {rng.randrange(8, 17):02d}:00:00"
        all_day = event and rng.random() < 0.25
        end = start[:11] + f"{int(start[11:13]) + 1:02d}:00:00"
        return {
            "note_id": str(FIRST_NOTE_ID + number),
            "ref_id": ref,
            "ref_type": "contact" if on_contact else "client",
            "ref_msg": rng.choice(w.NOTE_SUBJECTS),
            "note_text": rng.choice(w.NOTE_TEXTS),
            "author_id": rng.choice(w.USER_IDS),
            "customer_id": customer,
            "note_action_type": rng.choice(w.ACTION_TYPES),
            "is_all_day": "1" if all_day else "0",
            "event_start_date": start if event else NO_DATETIME,
            "event_end_date": end if event else NO_DATETIME,
            "created_date": _stamp(rng),
        }

    def _invoice(self, rng: random.Random, number: int) -> Invoice:
        lines: list[Fields] = []
        subtotal = 0.0
        for line_number in range(1, rng.randrange(2, 6)):
            item, cost = rng.choice(w.ITEMS)
            qty = rng.randrange(1, 20)
            discount = rng.choice((0.0, 0.0, 5.0, 10.0))
            subtotal += qty * float(cost) - discount
            lines.append(
                {
                    "line_number": str(line_number),
                    "item_name": item,
                    "qty": str(qty),
                    "unit_cost": cost,
                    "markup": "0.00",
                    "discount": f"{discount:.2f}",
                    "is_taxable": rng.choice(("1", "1", "0")),
                }
            )
        tax = round(subtotal * 0.0825, 2)
        city, state, zip3, _ = rng.choice(w.PLACES)
        revised = _day(rng, 1100)
        header = {
            "invoice_id": self.ref("invoices", number),
            "invoice_number": str(FIRST_INVOICE_NUMBER + number),
            "customer_id": self._pick(rng, "customers")[1],
            "company_name": _company(rng),
            "bill_address1": f"{rng.randrange(100, 9999)} {rng.choice(w.STREETS)}",
            "bill_city": city,
            "bill_state": state,
            "bill_zip": f"{zip3}{rng.randrange(100):02d}",
            "bill_country": "US",
            "revision_date": str(revised),
            "due_date": rng.choice((str(revised + timedelta(days=30)), NO_DATE)),
            "subtotal": f"{subtotal:.2f}",
            "tax_total": f"{tax:.2f}",
            "quote_total": f"{subtotal + tax:.2f}",
        }
        return header, lines
