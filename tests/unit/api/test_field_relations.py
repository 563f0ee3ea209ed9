"""FieldSpec.relates_to: which fields hold another record's id, as each backend declares it."""

from __future__ import annotations

import importlib

import pytest

from crmdesk.api import FieldSpec


def test_a_fixed_relation_names_its_entity_whatever_the_record() -> None:
    spec = FieldSpec("AccountID", relates_to="account")
    assert spec.related_entity({"AccountID": "ACC1"}) == "account"


def test_a_relation_through_another_field_reads_that_field() -> None:
    spec = FieldSpec("RelatedTo", relates_to="@RelatedType")
    assert spec.related_entity({"RelatedTo": "X1", "RelatedType": "lead"}) == "lead"
    assert spec.related_entity({"RelatedTo": "X1", "RelatedType": ""}) is None
    assert spec.related_entity({"RelatedTo": "X1"}) is None


def test_a_plain_field_relates_to_nothing() -> None:
    assert FieldSpec("Email").related_entity({"Email": "a@b.example"}) is None


@pytest.mark.parametrize(
    ("module", "table", "entity", "field", "related"),
    [
        ("mothernode_fields", "CONTACTS", None, "customer_id", "customers"),
        ("mothernode_fields", "CUSTOMERS", None, "customer_id", None),
        ("aicore_schema", "FIELDS", "events", "lead_id", "leads"),
        ("aicore_schema", "FIELDS", "events", "user_id", "users"),
        ("getresponse_fields", "FIELDS", "contacts", "campaignId", "campaigns"),
    ],
)
def test_backends_declare_the_relations_their_documents_show(
    module: str, table: str, entity: str | None, field: str, related: str | None
) -> None:
    specs = getattr(importlib.import_module(f"crmdesk.api.backends.{module}"), table)
    if entity is not None:
        specs = specs[entity]
    spec = next(s for s in specs if s.name == field)
    assert spec.relates_to == related
