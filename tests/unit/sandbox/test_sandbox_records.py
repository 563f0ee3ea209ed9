"""Lists, paging, sorting, field selection and record writes of the CMDataManager emulator."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sandbox_client import Api

from crmdesk.sandbox import CMDataManagerEmulator

ID_PATTERN = re.compile(r"[A-Z]{3}\d[A-Z]\d[A-Z]\d")


def _ids(response_json: dict[str, object]) -> list[str]:
    entity = response_json["Entity"]
    assert isinstance(entity, list)
    return [record["ExternalID"] for record in entity]


@pytest.mark.asyncio
async def test_a_list_page_has_string_totals_and_nested_records(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    count = emulator.store.count("account")

    body = (await api.get("account", per_page=10, page=2)).json()

    assert body["Total Records"] == str(count)
    assert body["Total Pages"] == str(-(-count // 10))
    assert len(body["Entity"]) == 10
    record = body["Entity"][0]
    assert ID_PATTERN.fullmatch(record["ExternalID"])
    assert all(isinstance(v, str) for v in record["Properties"].values())
    assert {"Name", "Industry", "AnnualRevenue", "CreatedDate"} <= set(record["Properties"])


@pytest.mark.asyncio
async def test_without_paging_the_first_hundred_come_in_creation_order(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    body = (await api.get("lead")).json()

    assert _ids(body) == list(emulator.store.records("lead"))[:100]
    assert body["Total Pages"] == str(-(-emulator.store.count("lead") // 100))


@pytest.mark.asyncio
async def test_a_page_past_the_end_is_empty_with_true_totals(api: Api) -> None:
    body = (await api.get("contact", per_page=1000, page=99)).json()

    assert body["Entity"] == []
    assert body["Total Records"] == "4000"
    assert body["Total Pages"] == "4"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"page": 1}, "together"),
        ({"per_page": 10}, "together"),
        ({"per_page": 0, "page": 1}, "per_page"),
        ({"per_page": 1001, "page": 1}, "per_page"),
        ({"per_page": 10, "page": 0}, "page"),
        ({"per_page": "ten", "page": 1}, "integer"),
        ({"per_page": 10, "page": "1.5"}, "integer"),
        ({"sort_by": "Nope"}, "Nope"),
        ({"sort_by": "Name", "sort_order": "up"}, "sort_order"),
        ({"fields": "Name,Nope"}, "Nope"),
    ],
)
async def test_bad_list_parameters_are_refused(
    api: Api, params: dict[str, object], needle: str
) -> None:
    response = await api.get("account", **params)

    assert response.status_code == 400
    assert needle in response.json()["Message"]


@pytest.mark.asyncio
async def test_numbers_sort_numerically_in_both_directions(api: Api) -> None:
    asc = (await api.get("opportunity", sort_by="Amount", per_page=1000, page=1)).json()
    desc = await api.get("opportunity", sort_by="Amount", sort_order="DESC", per_page=50, page=1)

    amounts = [float(r["Properties"]["Amount"]) for r in asc["Entity"]]
    assert amounts == sorted(amounts)
    top = [float(r["Properties"]["Amount"]) for r in desc.json()["Entity"]]
    assert top == sorted(top, reverse=True)
    assert top[0] >= amounts[-1]


@pytest.mark.asyncio
async def test_text_sorts_ignoring_case_with_empty_values_last(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    await api.post("account", {"Name": "aardvark works", "City": ""})
    await api.post("account", {"Name": "Aardvark Labs"})
    last_page = -(-emulator.store.count("account") // 1000)

    first = (await api.get("account", sort_by="Name", per_page=2, page=1)).json()
    by_city = (await api.get("account", sort_by="City", per_page=1000, page=last_page)).json()
    desc = await api.get("account", sort_by="City", sort_order="desc", per_page=2, page=1)

    names = [r["Properties"]["Name"] for r in first["Entity"]]
    assert names == ["Aardvark Labs", "aardvark works"]
    cities = [r["Properties"]["City"] for r in by_city["Entity"]]
    assert cities[-2:] == ["", ""]
    assert cities[:-2] == sorted(cities[:-2], key=str.casefold)
    # Descending is the exact reverse, so the empty values come first there.
    assert [r["Properties"]["City"] for r in desc.json()["Entity"]] == ["", ""]


@pytest.mark.asyncio
async def test_dates_sort_chronologically(api: Api) -> None:
    body = (await api.get("task", sort_by="DueDate", per_page=500, page=1)).json()

    due = [r["Properties"]["DueDate"] for r in body["Entity"]]
    assert due == sorted(due, key=date.fromisoformat)


@pytest.mark.asyncio
async def test_sorted_paging_is_stable_and_complete(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    pages = [
        _ids((await api.get("lead", sort_by="Status", per_page=700, page=p)).json())
        for p in range(1, 6)
    ]
    again = _ids((await api.get("lead", sort_by="Status", per_page=700, page=2)).json())

    flat = [external_id for page in pages for external_id in page]
    assert again == pages[1]
    assert sorted(flat) == sorted(emulator.store.records("lead"))
    # Ties on Status are ordered by ExternalID.
    records = emulator.store.records("lead")
    first_status = records[flat[0]]["Status"]
    same = [i for i in flat if records[i]["Status"] == first_status]
    assert same == sorted(same)


@pytest.mark.asyncio
async def test_writes_reach_a_sorted_list(api: Api) -> None:
    before = (await api.get("account", sort_by="Name", per_page=1, page=1)).json()
    created = (await api.post("account", {"Name": "000 First Ltd"})).json()["ExternalID"]

    after = (await api.get("account", sort_by="Name", per_page=1, page=1)).json()

    assert _ids(after) == [created]
    assert int(after["Total Records"]) == int(before["Total Records"]) + 1


@pytest.mark.asyncio
async def test_fields_selects_properties_on_lists_and_single_records(api: Api) -> None:
    listed = (await api.get("contact", fields="FirstName, Email", per_page=3, page=1)).json()
    one_id = listed["Entity"][0]["ExternalID"]
    single = (await api.get(f"contact/{one_id}", fields="LastName")).json()

    assert all(set(r["Properties"]) == {"FirstName", "Email"} for r in listed["Entity"])
    assert single["ExternalID"] == one_id
    assert list(single["Properties"]) == ["LastName"]


@pytest.mark.asyncio
async def test_entity_names_are_case_insensitive(api: Api) -> None:
    lower = (await api.get("lead", per_page=5, page=1)).json()
    upper = (await api.get("LEAD", per_page=5, page=1)).json()
    title = await api.get(f"Lead/{lower['Entity'][0]['ExternalID']}")

    assert upper == lower
    assert title.status_code == 200


@pytest.mark.asyncio
async def test_unknown_entities_and_records_are_not_found(api: Api) -> None:
    entity = await api.get("invoice")
    record = await api.get("lead/AAA0A0A0")

    assert entity.status_code == 404
    assert "invoice" in entity.json()["Message"]
    assert record.status_code == 404
    assert record.json() == {"Message": "Record not found."}


@pytest.mark.asyncio
async def test_create_read_update_delete(api: Api) -> None:
    created = await api.post(
        "opportunity", {"Name": "Big deal", "Stage": "Proposal", "Amount": 12500, "Probability": 40}
    )
    external_id = created.json()["ExternalID"]
    read = (await api.get(f"opportunity/{external_id}")).json()["Properties"]
    updated = await api.put(f"opportunity/{external_id}", {"Stage": "Negotiation", "Amount": "9"})
    reread = (await api.get(f"opportunity/{external_id}")).json()["Properties"]
    deleted = await api.delete(f"opportunity/{external_id}")
    gone = await api.get(f"opportunity/{external_id}")

    assert created.status_code == 201
    assert ID_PATTERN.fullmatch(external_id)
    assert read["Amount"] == "12500.00"
    assert read["Probability"] == "40"
    assert read["Description"] == ""
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", read["CreatedDate"])
    assert updated.json() == {"Message": "Record updated."}
    assert (reread["Stage"], reread["Amount"]) == ("Negotiation", "9.00")
    assert reread["ModifiedDate"] >= read["ModifiedDate"]
    assert deleted.json() == {"Message": "Record deleted."}
    assert gone.status_code == 404
    assert (await api.delete(f"opportunity/{external_id}")).status_code == 404


@pytest.mark.asyncio
async def test_booleans_and_defaults_are_stored_as_strings(api: Api) -> None:
    created = await api.post("contact", {"LastName": "Young", "DoNotCall": True, "Email": None})
    props = (await api.get(f"contact/{created.json()['ExternalID']}")).json()["Properties"]

    assert props["DoNotCall"] == "True"
    assert props["Email"] == ""
    lead = await api.post("lead", {"LastName": "Young", "Company": "Northwind"})
    status = (await api.get(f"lead/{lead.json()['ExternalID']}")).json()["Properties"]["Status"]
    assert status == "Open"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("entity", "body", "needle"),
    [
        ("lead", {"LastName": "Y", "Company": "C", "Status": "Converted?"},
         "Status: 'Converted?' is not one of Open, Contacted, Qualified, Unqualified"),
        ("lead", {"LastName": "Y", "Company": "C", "Shoe": "42"}, "Unknown field 'Shoe'"),
        ("lead", {"LastName": "Y", "Company": "C", "CreatedDate": "2024-01-01T00:00:00"},
         "'CreatedDate' is read-only"),
        ("lead", {"LastName": "Y", "Company": "C", "ConvertedAccountID": "X"}, "read-only"),
        ("lead", {"Company": "C"}, "'LastName' is missing"),
        ("lead", {"LastName": "Y", "Company": "C", "Email": "nobody"}, "not an email"),
        ("account", {"Name": "N", "Employees": "many"}, "Employees: 'many' is not a number"),
        ("account", {"Name": "N", "AnnualRevenue": "1,000"}, "is not a number"),
        ("opportunity", {"Name": "N", "Stage": "Proposal", "CloseDate": "02/03/2024"},
         "CloseDate: '02/03/2024' is not a date"),
        ("opportunity", {"Name": "N", "Stage": "Proposal", "CloseDate": "2024-02-30"},
         "is not a date"),
        ("contact", {"LastName": "Y", "DoNotCall": "maybe"}, "DoNotCall"),
        ("contact", {"LastName": "Y", "Title": {"nested": True}}, "Title"),
    ],
)  # fmt: skip
async def test_invalid_creates_are_refused_with_a_clear_message(
    api: Api, entity: str, body: dict[str, object], needle: str
) -> None:
    response = await api.post(entity, body)

    assert response.status_code == 400
    assert needle in response.json()["Message"]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"{not json", "Invalid JSON"), (b"[1, 2]", "JSON object"), (b"", "JSON object")],
)
async def test_bodies_that_are_not_json_objects_are_refused(
    api: Api, content: bytes, needle: str
) -> None:
    response = await api.send("POST", "account", content)

    assert response.status_code == 400
    assert needle in response.json()["Message"]


@pytest.mark.asyncio
async def test_updates_are_validated_too(api: Api, emulator: CMDataManagerEmulator) -> None:
    external_id = next(iter(emulator.store.records("account")))

    cleared = await api.put(f"account/{external_id}", {"Name": ""})
    read_only = await api.put(f"account/{external_id}", {"ModifiedDate": "2024-01-01T00:00:00"})
    missing = await api.put("account/AAA0A0A0", {"Name": "x"})

    assert cleared.status_code == 400
    assert "Name" in cleared.json()["Message"]
    assert read_only.status_code == 400
    assert missing.status_code == 404
