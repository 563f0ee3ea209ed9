"""What the filter bar offers per entity, how criteria become a query, and find by id."""

from __future__ import annotations

import pytest

from crmdesk.api import EntityInfo, FieldSpec, Record
from crmdesk.exporting import (
    ANY_FIELD,
    Column,
    Criterion,
    filter_fields,
    parse_record_ref,
    split,
)

FIELDS = (
    FieldSpec("email", "Email"),
    FieldSpec("name", "Name"),
    FieldSpec("createdOn", "Created"),
    FieldSpec("note", "Note"),
    FieldSpec("contacts", "Contacts", extra={"embedded": True}),
)


def _field(fields, key):
    return next(f for f in fields if f.key == key)


def test_named_server_filters_come_first_with_date_range_edges_then_local_fields() -> None:
    entity = EntityInfo(
        "contacts", "Contacts", filterable=True, filters=("createdOn.from", "createdOn.to", "email")
    )
    offered = filter_fields(entity, FIELDS)
    assert [(f.key, f.label, f.server) for f in offered] == [
        ("createdOn.from", "Created from", True),
        ("createdOn.to", "Created until", True),
        ("email", "Email", True),
        ("name", "Name", False),
        ("note", "Note", False),
        (ANY_FIELD, "Any field", False),
    ]
    assert offered[0].hint == "YYYY-MM-DD"


def test_an_api_that_filters_any_field_offers_every_field_on_the_server() -> None:
    offered = filter_fields(EntityInfo("leads", "Leads", filterable=True), FIELDS)
    assert [f.key for f in offered if f.server] == ["email", "name", "createdOn", "note"]


def test_an_api_that_filters_nothing_is_filtered_locally() -> None:
    offered = filter_fields(EntityInfo("lead", "Leads"), FIELDS)
    assert not any(f.server for f in offered)


def test_criteria_split_into_query_filters_and_a_local_filter() -> None:
    entity = EntityInfo("contacts", "C", filterable=True, filters=("createdOn.from", "email"))
    offered = filter_fields(entity, FIELDS)
    criteria = [
        Criterion(_field(offered, "email"), " ada@example.com "),
        Criterion(_field(offered, "createdOn.from"), "2024-01-31"),
        Criterion(_field(offered, "name"), "lovelace"),
        Criterion(_field(offered, ANY_FIELD), "London"),
    ]
    result = split(criteria)
    assert result.server == {"email": "ada@example.com", "createdOn.from": "2024-01-31"}
    columns = [Column("name", "Name", FIELDS[1]), Column("note", "Note", FIELDS[3])]
    match = result.local.matcher(columns)
    assert match(Record("1", {"name": "Ada LOVELACE", "note": "born in London"}))
    assert not match(Record("2", {"name": "Ada Lovelace", "note": "Paris"}))
    assert [c.words for c in criteria] == [
        "Email = ada@example.com",
        "Created from 2024-01-31",
        "Name contains “lovelace”",
        "any field contains “London”",
    ]


def test_a_date_edge_that_is_not_a_date_is_refused_before_the_network() -> None:
    entity = EntityInfo("contacts", "C", filterable=True, filters=("createdOn.to",))
    edge = filter_fields(entity, FIELDS)[0]
    with pytest.raises(ValueError, match="takes a date such as 2024-03-31"):
        split([Criterion(edge, "last week")])


ENTITIES = (EntityInfo("lead", "Leads"), EntityInfo("account", "Accounts"))


@pytest.mark.parametrize(
    ("text", "entity", "record_id"),
    [
        ("  QWE4R5T6 ", None, "QWE4R5T6"),
        ("https://crm.example/api/v1/lead/QWE4R5T6", "lead", "QWE4R5T6"),
        ("https://crm.example/app/accounts/ACC%201/edit", "account", "ACC 1"),
        ("https://dealer.example/service?show=x&lead_id=991", "lead", "991"),
        ("https://crm.example/r?id=77", None, "77"),
        ("https://crm.example/records/abc123", None, "abc123"),
    ],
)
def test_an_id_or_a_record_url_names_the_record(text, entity, record_id) -> None:
    ref = parse_record_ref(text, ENTITIES)
    assert ref is not None
    assert (ref.entity, ref.record_id) == (entity, record_id)


def test_nothing_typed_names_no_record() -> None:
    assert parse_record_ref("   ") is None
