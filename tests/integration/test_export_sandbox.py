"""Exporting a view of 10,000 sandbox leads to each format, read back with csv, openpyxl and
json: every record once, in the view's order, only its columns, with its filters."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from crmdesk.api import Backend, Query, SortKey
from crmdesk.exporting import (
    Column,
    Condition,
    ExportFormat,
    ExportView,
    LocalFilter,
    export_view,
)

RECORDS = 10_000
pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox(records_per_entity=RECORDS)]


async def _view(crm: Backend, local: LocalFilter | None = None) -> ExportView:
    fields = {spec.name: spec for spec in await crm.fields("lead")}
    columns = (
        Column("id", "ExternalID"),
        Column("LastName", "Last name", fields["LastName"]),
        Column("Email", "Email", fields["Email"]),
        Column("Status", "Status", fields["Status"]),
    )
    query = Query(page_size=1000, sort=SortKey("LastName"))
    return ExportView("lead", "Leads", columns, query, local or LocalFilter(()))


async def _expected(crm: Backend) -> list[tuple[str, str]]:
    rows = []
    for page in range(1, RECORDS // 1000 + 1):
        listed = await crm.list("lead", Query(page=page, page_size=1000, sort=SortKey("LastName")))
        rows += [(r.id, r.values.get("LastName") or "") for r in listed.records]
    return rows


async def test_csv_xlsx_and_json_hold_every_record_of_the_view(crm: Backend, tmp_path: Path):
    view = await _view(crm)
    expected = await _expected(crm)
    assert len(expected) == RECORDS

    done = await export_view(crm, view, tmp_path / "leads.csv", ExportFormat.CSV)
    assert (done.records, done.pages) == (RECORDS, 10)
    with (tmp_path / "leads.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["ExternalID", "Last name", "Email", "Status"]
    assert [(r[0], r[1]) for r in rows[1:]] == expected

    await export_view(crm, view, tmp_path / "leads.xlsx", ExportFormat.XLSX)
    book = openpyxl.load_workbook(tmp_path / "leads.xlsx", read_only=True)
    try:
        sheet = book["Leads"]
        cells = [tuple(cell or "" for cell in row[:2]) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    assert cells[0] == ("ExternalID", "Last name")
    assert cells[1:] == expected

    await export_view(crm, view, tmp_path / "leads.json", ExportFormat.JSON, field_names=True)
    items = json.loads((tmp_path / "leads.json").read_text(encoding="utf-8"))
    assert set(items[0]) == {"id", "LastName", "Email", "Status"}
    assert [(i["id"], i["LastName"] or "") for i in items] == expected


async def test_a_local_filter_exports_only_the_matching_records(crm: Backend, tmp_path: Path):
    view = await _view(crm, LocalFilter((Condition("Status", "qualified"),)))
    done = await export_view(crm, view, tmp_path / "qualified.csv", ExportFormat.CSV)
    with (tmp_path / "qualified.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))[1:]
    assert 0 < done.records == len(rows) < RECORDS
    assert {row[3] for row in rows} <= {"Qualified", "Unqualified"}


async def test_a_local_filter_on_a_column_not_exported_still_applies(crm: Backend, tmp_path: Path):
    full = await _view(crm)
    owner = next(c for c in full.columns if c.name == "Status")
    shown = tuple(c for c in full.columns if c.name != "Status")
    view = ExportView(
        "lead",
        "Leads",
        shown,
        full.query,
        LocalFilter((Condition("Status", "qualified"),)),
        searched=(*shown, owner),
    )
    done = await export_view(crm, view, tmp_path / "q.csv", ExportFormat.CSV)
    assert 0 < done.records < RECORDS
