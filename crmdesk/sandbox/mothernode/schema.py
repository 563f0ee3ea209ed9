"""What the emulated Mothernode resources hold: their fields, id fields and singular names.

Every value on the wire is a string, as in the vendor's examples: flags are "0"/"1", money is
"4000.00", and a date that was never set is "0000-00-00" (or "0000-00-00 00:00:00").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

NO_DATE = "0000-00-00"
NO_DATETIME = "0000-00-00 00:00:00"


class Kind(Enum):
    """How a field's value is checked and written back."""

    TEXT = "text"
    FLAG = "flag"
    MONEY = "money"
    INTEGER = "integer"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True, slots=True)
class Resource:
    """One resource path (`/contacts`) and the fields its records carry."""

    name: str
    singular: str
    id_field: str
    fields: dict[str, Kind]
    read_only: frozenset[str]
    required: tuple[str, ...] = ()
    writable: bool = True

    @property
    def settable(self) -> frozenset[str]:
        return frozenset(self.fields) - self.read_only


def _kinds(text: str = "", **special: Kind) -> dict[str, Kind]:
    fields = {name: Kind.TEXT for name in text.split()}
    fields.update(special)
    return fields


CUSTOMERS = Resource(
    "customers",
    "customer",
    "customer_id",
    _kinds(
        "customer_id customer_number company_name address1 address2 city state zip country "
        "tel fax website billing_address1 billing_city billing_state billing_zip "
        "billing_country shipping_address1 shipping_city shipping_state shipping_zip "
        "shipping_country sales_user_id pm1_user_id",
        created_date=Kind.DATETIME,
    ),
    read_only=frozenset({"customer_id", "customer_number", "created_date"}),
    required=("company_name",),
)

CONTACTS = Resource(
    "contacts",
    "contact",
    "contact_id",
    _kinds(
        "contact_id customer_id first_name last_name salutation title department email "
        "alt_email contact_tel contact_mobile twitter linkedin",
        is_decision_maker=Kind.FLAG,
        do_not_call=Kind.FLAG,
        do_not_email=Kind.FLAG,
        birthday=Kind.DATE,
        created_date=Kind.DATETIME,
    ),
    read_only=frozenset({"contact_id", "created_date"}),
    required=("last_name",),
)

LEADS = Resource(
    "leads",
    "lead",
    "lead_id",
    _kinds(
        "lead_id lead_number l_working_title l_company_name primary_contact customer_id "
        "opp_status opp_probability_id v_lead_source v_stage_name v_phase_name v_type_name",
        is_individual=Kind.FLAG,
        is_opportunity=Kind.FLAG,
        o_project_cost=Kind.MONEY,
        o_close_date=Kind.DATE,
        created_date=Kind.DATETIME,
    ),
    read_only=frozenset({"lead_id", "lead_number", "created_date"}),
    required=("l_working_title",),
)

NOTES = Resource(
    "notes",
    "note",
    "note_id",
    _kinds(
        "note_id ref_id ref_type ref_msg note_text author_id customer_id note_action_type",
        is_all_day=Kind.FLAG,
        event_start_date=Kind.DATETIME,
        event_end_date=Kind.DATETIME,
        created_date=Kind.DATETIME,
    ),
    read_only=frozenset({"note_id", "created_date"}),
    required=("ref_id", "ref_type", "ref_msg"),
)

INVOICE_HEADER = _kinds(
    "invoice_id invoice_number customer_id company_name bill_address1 bill_city bill_state "
    "bill_zip bill_country",
    revision_date=Kind.DATE,
    due_date=Kind.DATE,
    subtotal=Kind.MONEY,
    tax_total=Kind.MONEY,
    quote_total=Kind.MONEY,
)
INVOICE_LINE = _kinds(
    "item_name",
    line_number=Kind.INTEGER,
    qty=Kind.INTEGER,
    unit_cost=Kind.MONEY,
    markup=Kind.MONEY,
    discount=Kind.MONEY,
    is_taxable=Kind.FLAG,
)
INVOICES = Resource(
    "invoices",
    "invoice",
    "invoice_id",
    INVOICE_HEADER,
    read_only=frozenset(INVOICE_HEADER),
    writable=False,
)

RESOURCES = {r.name: r for r in (CUSTOMERS, CONTACTS, LEADS, NOTES, INVOICES)}
REF_TYPES = ("client", "contact")
# The KB's invoice filter example says ?country=US&state=TX of a header that says bill_*.
INVOICE_FILTER_ALIASES = {
    "country": "bill_country",
    "state": "bill_state",
    "city": "bill_city",
    "zip": "bill_zip",
}
