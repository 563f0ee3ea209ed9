"""The entities of the emulated CMDataManager tenant: their fields, and validation of writes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

OWNERS = ("sam", "kim", "lee", "alex", "jo", "priya", "chen", "maria")


class FieldType(StrEnum):
    TEXT = "Text"
    LONG_TEXT = "LongText"
    EMAIL = "Email"
    PHONE = "Phone"
    URL = "Url"
    PICKLIST = "Picklist"
    NUMBER = "Number"
    CURRENCY = "Currency"
    DATE = "Date"
    DATETIME = "DateTime"
    BOOLEAN = "Boolean"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    type: FieldType = FieldType.TEXT
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    # Picklist values only the server sets (a lead becomes Converted by converting it).
    reserved: tuple[str, ...] = ()
    default: str = ""

    @property
    def writable_options(self) -> tuple[str, ...]:
        return tuple(o for o in self.options if o not in self.reserved)


@dataclass(frozen=True, slots=True)
class EntitySchema:
    name: str
    fields: tuple[FieldSpec, ...]
    has_field_metadata: bool = True
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


class ValidationError(ValueError):
    """A write the API refuses with 400; the text is the Message."""


T = FieldType


def _stamps() -> tuple[FieldSpec, FieldSpec]:
    return (
        FieldSpec("CreatedDate", "Created", T.DATETIME, read_only=True),
        FieldSpec("ModifiedDate", "Modified", T.DATETIME, read_only=True),
    )


def _owner() -> FieldSpec:
    return FieldSpec("Owner", "Owner", T.PICKLIST, options=OWNERS)


INDUSTRIES = (
    "Agriculture", "Construction", "Education", "Energy", "Finance", "Healthcare",
    "Hospitality", "Logistics", "Manufacturing", "Media", "Retail", "Software",
)  # fmt: skip
LEAD_STATUSES = ("Open", "Contacted", "Qualified", "Unqualified", "Converted")
LEAD_SOURCES = ("Web", "Referral", "Trade show", "Cold call", "Partner", "Advertisement")
DEPARTMENTS = ("Sales", "Marketing", "Finance", "IT", "Operations", "Purchasing", "Executive")
TASK_STATUSES = ("Not Started", "In Progress", "Waiting", "Completed", "Deferred")
PRIORITIES = ("Low", "Normal", "High")
STAGES = ("Prospecting", "Qualification", "Proposal", "Negotiation", "Closed Won", "Closed Lost")
PLANS = ("Starter", "Team", "Business", "Enterprise")
SUBSCRIPTION_STATUSES = ("Trial", "Active", "Past Due", "Cancelled")
TASK_PARENTS = ("account", "contact", "lead", "opportunity", "subscription")
OPPORTUNITY_PARENTS = ("account", "contact", "lead")

SCHEMAS: dict[str, EntitySchema] = {
    s.name: s
    for s in (
        EntitySchema("account", (
            FieldSpec("Name", "Account name", required=True),
            FieldSpec("Industry", "Industry", T.PICKLIST, options=INDUSTRIES),
            FieldSpec("Phone", "Phone", T.PHONE),
            FieldSpec("Email", "Email", T.EMAIL),
            FieldSpec("Website", "Website", T.URL),
            FieldSpec("City", "City"),
            FieldSpec("Country", "Country"),
            _owner(),
            FieldSpec("AnnualRevenue", "Annual revenue", T.CURRENCY),
            FieldSpec("Employees", "Employees", T.NUMBER),
            FieldSpec("Description", "Description", T.LONG_TEXT),
            *_stamps(),
        )),
        EntitySchema("lead", (
            FieldSpec("FirstName", "First name"),
            FieldSpec("LastName", "Last name", required=True),
            FieldSpec("Company", "Company", required=True),
            FieldSpec("Title", "Job title"),
            FieldSpec("Status", "Status", T.PICKLIST, options=LEAD_STATUSES,
                      reserved=("Converted",), default="Open"),
            FieldSpec("Email", "Email", T.EMAIL),
            FieldSpec("Phone", "Phone", T.PHONE),
            FieldSpec("Source", "Lead source", T.PICKLIST, options=LEAD_SOURCES),
            _owner(),
            FieldSpec("Description", "Description", T.LONG_TEXT),
            FieldSpec("ConvertedAccountID", "Converted account", read_only=True),
            FieldSpec("ConvertedDate", "Converted", T.DATETIME, read_only=True),
            *_stamps(),
        )),
        EntitySchema("contact", (
            FieldSpec("FirstName", "First name"),
            FieldSpec("LastName", "Last name", required=True),
            FieldSpec("Email", "Email", T.EMAIL),
            FieldSpec("Phone", "Phone", T.PHONE),
            FieldSpec("Mobile", "Mobile", T.PHONE),
            FieldSpec("Title", "Job title"),
            FieldSpec("Department", "Department", T.PICKLIST, options=DEPARTMENTS),
            FieldSpec("AccountID", "Account"),
            FieldSpec("City", "City"),
            _owner(),
            FieldSpec("DoNotCall", "Do not call", T.BOOLEAN, default="False"),
            FieldSpec("Birthdate", "Birthdate", T.DATE),
            *_stamps(),
        )),
        EntitySchema("task", (
            FieldSpec("Subject", "Subject", required=True),
            FieldSpec("Status", "Status", T.PICKLIST, options=TASK_STATUSES,
                      default="Not Started"),
            FieldSpec("Priority", "Priority", T.PICKLIST, options=PRIORITIES, default="Normal"),
            FieldSpec("DueDate", "Due date", T.DATE),
            _owner(),
            FieldSpec("RelatedTo", "Related to"),
            FieldSpec("RelatedType", "Related type", T.PICKLIST, options=TASK_PARENTS),
            FieldSpec("Description", "Description", T.LONG_TEXT),
            FieldSpec("CompletedDate", "Completed", T.DATETIME, read_only=True),
            *_stamps(),
        ), has_field_metadata=False),
        EntitySchema("opportunity", (
            FieldSpec("Name", "Opportunity name", required=True),
            FieldSpec("Stage", "Stage", T.PICKLIST, required=True, options=STAGES),
            FieldSpec("Amount", "Amount", T.CURRENCY),
            FieldSpec("Probability", "Probability (%)", T.NUMBER),
            FieldSpec("CloseDate", "Close date", T.DATE),
            FieldSpec("AccountID", "Account"),
            _owner(),
            FieldSpec("Source", "Lead source", T.PICKLIST, options=LEAD_SOURCES),
            FieldSpec("RelatedTo", "Related to"),
            FieldSpec("RelatedType", "Related type", T.PICKLIST, options=OPPORTUNITY_PARENTS),
            FieldSpec("Description", "Description", T.LONG_TEXT),
            *_stamps(),
        )),
        EntitySchema("subscription", (
            FieldSpec("Plan", "Plan", T.PICKLIST, required=True, options=PLANS),
            FieldSpec("Status", "Status", T.PICKLIST, options=SUBSCRIPTION_STATUSES,
                      default="Trial"),
            FieldSpec("Seats", "Seats", T.NUMBER),
            FieldSpec("MonthlyPrice", "Monthly price", T.CURRENCY),
            FieldSpec("StartDate", "Start date", T.DATE),
            FieldSpec("RenewalDate", "Renewal date", T.DATE),
            FieldSpec("AutoRenew", "Renews automatically", T.BOOLEAN, default="True"),
            FieldSpec("AccountID", "Account"),
            _owner(),
            FieldSpec("Notes", "Notes", T.LONG_TEXT),
            *_stamps(),
        )),
    )
}  # fmt: skip

CUSTOM_ENTITIES = ("subscription",)
# Children that may be created under a record: POST /{entity}/{id}/{child}.
CHILD_PARENTS: dict[str, tuple[str, ...]] = {
    "task": TASK_PARENTS,
    "opportunity": OPPORTUNITY_PARENTS,
}

_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def _as_text(spec: FieldSpec, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value
    raise ValidationError(f"{spec.name}: must be a string, number or boolean")


def _checked(spec: FieldSpec, text: str) -> str:
    """The value as stored, or ValidationError naming the field and the value."""
    if text == "":
        return text
    kind = spec.type
    if kind is T.PICKLIST and text not in spec.writable_options:
        raise ValidationError(
            f"{spec.name}: '{text}' is not one of {', '.join(spec.writable_options)}"
        )
    if kind in (T.NUMBER, T.CURRENCY):
        if not _NUMBER.fullmatch(text):
            raise ValidationError(f"{spec.name}: '{text}' is not a number")
        return f"{Decimal(text):.2f}" if kind is T.CURRENCY else text
    if kind is T.DATE and (not _DATE.fullmatch(text) or not _parses(date.fromisoformat, text)):
        raise ValidationError(f"{spec.name}: '{text}' is not a date (YYYY-MM-DD)")
    if kind is T.DATETIME and (
        not _DATETIME.fullmatch(text) or not _parses(datetime.fromisoformat, text)
    ):
        raise ValidationError(f"{spec.name}: '{text}' is not a date and time (YYYY-MM-DDTHH:MM:SS)")
    if kind is T.EMAIL:
        local, at, domain = text.partition("@")
        if not (local and at and domain):
            raise ValidationError(f"{spec.name}: '{text}' is not an email address")
    if kind is T.BOOLEAN:
        if text.lower() not in ("true", "false"):
            raise ValidationError(f"{spec.name}: '{text}' is not True or False")
        return "True" if text.lower() == "true" else "False"
    return text


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def validate(
    schema: EntitySchema, values: Mapping[str, object], *, creating: bool
) -> dict[str, str]:
    """The write as the store keeps it: every value a string, checked against the schema."""
    clean: dict[str, str] = {}
    for name, value in values.items():
        spec = schema.by_name.get(name)
        if spec is None:
            raise ValidationError(f"Unknown field '{name}' for entity '{schema.name}'")
        if spec.read_only:
            raise ValidationError(f"Field '{name}' is read-only")
        clean[name] = _checked(spec, _as_text(spec, value))
    for spec in schema.fields:
        if not spec.required:
            continue
        if creating and clean.get(spec.name, "") == "":
            raise ValidationError(f"Required field '{spec.name}' is missing")
        if not creating and clean.get(spec.name) == "":
            raise ValidationError(f"Required field '{spec.name}' cannot be empty")
    return clean
