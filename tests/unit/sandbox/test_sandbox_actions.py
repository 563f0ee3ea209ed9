"""Field metadata, sub-creates, lead convert and task close of the CMDataManager emulator."""

from __future__ import annotations

import pytest
from sandbox_client import Api, open_api

from crmdesk.sandbox import CMDataManagerEmulator, Sandbox

FIELD_TYPES = {
    "Text", "LongText", "Email", "Phone", "Url", "Picklist", "Number", "Currency", "Date",
    "DateTime", "Boolean",
}  # fmt: skip


def _first(emulator: CMDataManagerEmulator, entity: str, **where: str) -> str:
    for external_id, props in emulator.store.records(entity).items():
        if all(props[k] == v for k, v in where.items()):
            return external_id
    raise AssertionError(f"no {entity} with {where}")


@pytest.mark.asyncio
async def test_field_metadata_pages_with_its_own_quirky_keys(api: Api) -> None:
    first = (await api.get("contact/fields", per_page=10, page=1)).json()
    second = (await api.get("Contact/Fields", per_page=10, page=2)).json()

    assert set(first) == {"Total Records", "Total Page", "Field"}
    assert (first["Total Records"], first["Total Page"]) == ("14", "2")
    assert len(first["Field"]) + len(second["Field"]) == 14
    item = first["Field"][0]
    assert item["ExternalID"].startswith("FLD")
    assert set(item["Properties"]) == {"Name", "Label", "Type", "Required", "ReadOnly", "Options"}


@pytest.mark.asyncio
async def test_field_metadata_describes_types_flags_and_options(api: Api) -> None:
    fields = (await api.get("lead/fields")).json()["Field"]

    by_name = {f["Properties"]["Name"]: f["Properties"] for f in fields}
    assert {p["Type"] for p in by_name.values()} <= FIELD_TYPES
    assert by_name["Status"]["Type"] == "Picklist"
    assert by_name["Status"]["Options"] == [
        "Open", "Contacted", "Qualified", "Unqualified", "Converted",
    ]  # fmt: skip
    assert by_name["LastName"]["Required"] == "True"
    assert by_name["CreatedDate"]["ReadOnly"] == "True"
    assert by_name["Email"]["Options"] == []
    all_ids = [f["ExternalID"] for f in fields]
    assert len(set(all_ids)) == len(all_ids)


@pytest.mark.asyncio
async def test_every_entity_but_task_has_field_metadata(api: Api) -> None:
    for entity in ("account", "lead", "contact", "opportunity", "subscription"):
        assert (await api.get(f"{entity}/fields")).status_code == 200
    task = await api.get("task/fields")

    assert task.status_code == 404
    assert "Message" in task.json()


@pytest.mark.asyncio
async def test_field_metadata_paging_is_checked(api: Api) -> None:
    response = await api.get("account/fields", page=1)

    assert response.status_code == 400


@pytest.mark.asyncio
@pytest.mark.parametrize("parent", ["account", "contact", "lead", "opportunity", "subscription"])
async def test_a_task_can_be_added_under_its_parents(
    api: Api, emulator: CMDataManagerEmulator, parent: str
) -> None:
    parent_id = next(iter(emulator.store.records(parent)))

    response = await api.post(f"{parent}/{parent_id}/task", {"Subject": "Call back"})

    assert response.status_code == 201
    task = emulator.store.get("task", response.json()["ExternalID"])
    assert task is not None
    assert (task["RelatedTo"], task["RelatedType"], task["Status"]) == (
        parent_id, parent, "Not Started",
    )  # fmt: skip


@pytest.mark.asyncio
async def test_an_opportunity_under_an_account_belongs_to_it(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    account_id = next(iter(emulator.store.records("account")))

    response = await api.post(
        f"account/{account_id}/opportunity",
        {"Name": "Upsell", "Stage": "Prospecting", "RelatedTo": "ignored"},
    )

    opportunity = emulator.store.get("opportunity", response.json()["ExternalID"])
    assert response.status_code == 201
    assert opportunity is not None
    assert opportunity["AccountID"] == opportunity["RelatedTo"] == account_id


@pytest.mark.asyncio
@pytest.mark.parametrize("parent", ["task", "opportunity", "subscription"])
async def test_opportunities_cannot_be_added_under_other_entities(
    api: Api, emulator: CMDataManagerEmulator, parent: str
) -> None:
    parent_id = next(iter(emulator.store.records(parent)))

    response = await api.post(
        f"{parent}/{parent_id}/opportunity", {"Name": "x", "Stage": "Proposal"}
    )

    assert response.status_code == 404


@pytest.mark.asyncio
async def test_sub_creates_need_an_existing_parent_and_a_valid_body(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    task_id = next(iter(emulator.store.records("task")))
    lead_id = next(iter(emulator.store.records("lead")))

    missing_parent = await api.post("lead/AAA0A0A0/task", {"Subject": "x"})
    under_task = await api.post(f"task/{task_id}/task", {"Subject": "x"})
    no_subject = await api.post(f"lead/{lead_id}/task", {"Priority": "High"})
    unknown_child = await api.post(f"lead/{lead_id}/invoice", {})

    assert missing_parent.status_code == 404
    assert under_task.status_code == 404
    assert no_subject.status_code == 400
    assert "Subject" in no_subject.json()["Message"]
    assert unknown_child.status_code == 404


@pytest.mark.asyncio
async def test_converting_a_lead_creates_an_account_and_a_contact(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    lead_id = _first(emulator, "lead", Status="Qualified")
    lead = emulator.store.get("lead", lead_id)
    assert lead is not None
    contacts_before = emulator.store.count("contact")

    response = await api.put(f"lead/convert/{lead_id}", {"Industry": "Retail"})

    assert response.status_code == 200
    account_id = response.json()["Account ExternalID"]
    account = (await api.get(f"account/{account_id}")).json()["Properties"]
    assert (account["Name"], account["Email"], account["Owner"], account["Industry"]) == (
        lead["Company"], lead["Email"], lead["Owner"], "Retail",
    )  # fmt: skip
    converted = emulator.store.get("lead", lead_id)
    assert converted is not None
    assert converted["Status"] == "Converted"
    assert converted["ConvertedAccountID"] == account_id
    assert emulator.store.count("contact") == contacts_before + 1
    contact = list(emulator.store.records("contact").values())[-1]
    assert (contact["LastName"], contact["AccountID"]) == (lead["LastName"], account_id)


@pytest.mark.asyncio
async def test_converting_twice_or_a_missing_lead_fails(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    lead_id = _first(emulator, "lead", Status="Open")

    first = await api.client.put(f"lead/convert/{lead_id}", headers=api._auth())
    again = await api.put(f"Lead/Convert/{lead_id}")
    missing = await api.put("lead/convert/AAA0A0A0")
    bad_body = await api.put(f"lead/convert/{_first(emulator, 'lead', Status='Open')}", ["x"])

    assert first.status_code == 200
    assert again.status_code == 400
    assert again.json() == {"Message": "Lead is already converted."}
    assert missing.status_code == 404
    assert bad_body.status_code == 400


@pytest.mark.asyncio
@pytest.mark.parametrize("path", ["task/close", "Task/Close"])
async def test_closing_a_task_completes_it_under_both_spellings(
    api: Api, emulator: CMDataManagerEmulator, path: str
) -> None:
    task_id = _first(emulator, "task", Status="In Progress")

    response = await api.put(f"{path}/{task_id}", {"FieldName": "FieldValue"})
    again = await api.put(f"{path}/{task_id}")

    assert response.status_code == 200
    assert response.json() == {"Message": "Record updated."}
    assert again.status_code == 200
    task = emulator.store.get("task", task_id)
    assert task is not None
    assert task["Status"] == "Completed"
    assert task["CompletedDate"] != ""


@pytest.mark.asyncio
async def test_closing_a_missing_task_is_not_found(api: Api) -> None:
    assert (await api.put("task/close/AAA0A0A0")).status_code == 404


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("paths", "works", "fails"),
    [("upper", "Task/Close", "task/close"), ("lower", "task/close", "Task/Close")],
)
async def test_the_task_close_spelling_can_be_restricted(
    paths: str, works: str, fails: str
) -> None:
    async with Sandbox(records_per_entity=20, task_close_paths=paths) as sandbox:
        client, api = open_api(sandbox)
        emulator = sandbox.emulator("cmdatamanager")
        task_id = next(iter(emulator.store.records("task")))
        async with client:
            await api.login()
            refused = await api.put(f"{fails}/{task_id}")
            accepted = await api.put(f"{works}/{task_id}")

    assert refused.status_code == 404
    assert "Message" in refused.json()
    assert accepted.status_code == 200
    assert [r.path.rsplit("/", 1)[0] for r in emulator.requests[-2:]] == [
        f"/api/v1/{fails}", f"/api/v1/{works}",
    ]  # fmt: skip


def test_an_unknown_task_close_option_is_refused() -> None:
    with pytest.raises(ValueError, match="task_close_paths"):
        Sandbox(task_close_paths="sideways")


@pytest.mark.asyncio
async def test_a_close_path_is_not_taken_for_a_record(
    api: Api, emulator: CMDataManagerEmulator
) -> None:
    task_id = next(iter(emulator.store.records("task")))

    via_get = await api.get(f"task/close/{task_id}")
    other_action = await api.put(f"account/close/{task_id}")

    assert via_get.status_code in (404, 405)
    assert other_action.status_code == 404
