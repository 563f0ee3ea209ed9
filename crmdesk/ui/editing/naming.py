"""How a record is named in words where an editor speaks of it: "Lead QEM2B3L3 · George Bishop"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crmdesk.api import EntityInfo, Record, kind_info
from crmdesk.profiles import Profile

# Fields that name a record, tried in order; the first pair that is filled wins.
_NAME_FIELDS: tuple[tuple[str, ...], ...] = (
    ("FirstName", "LastName"),
    ("first_name", "last_name"),
    ("firstname", "lastname"),
    ("name",),
    ("Name",),
    ("company",),
    ("Company",),
    ("Subject",),
    ("subject",),
    ("title",),
    ("Title",),
    ("email",),
    ("Email",),
)


def singular(label: str) -> str:
    """ "Leads" → "Lead", "Opportunities" → "Opportunity" (entity labels are plural)."""
    if label.endswith("ies"):
        return label[:-3] + "y"
    if label.endswith("s") and not label.endswith("ss"):
        return label[:-1]
    return label


def record_name(values: Mapping[str, Any]) -> str:
    for names in _NAME_FIELDS:
        parts = [str(values[n]).strip() for n in names if values.get(n) not in (None, "")]
        if parts:
            return " ".join(parts)
    return ""


def record_words(entity: EntityInfo, record: Record | None, record_id: str = "") -> str:
    """The record in words: its entity, its id and a name when it has one."""
    rid = record.id if record is not None else record_id
    name = record_name(record.values) if record is not None else ""
    head = f"{singular(entity.label)} {rid}"
    return f"{head} · {name}" if name and name != rid else head


def service_name(profile: Profile) -> str:
    """The service behind a connection (its kind's label), where what the service does is
    spoken of: a queued create "will appear when <the service> has processed it". The
    connection's own name is the user's, not the server's."""
    return kind_info(profile.kind).label
