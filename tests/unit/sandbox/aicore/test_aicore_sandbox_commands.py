"""The /service emulator's commands, driven with plain httpx: formats, paging and quirks."""

from __future__ import annotations

import json

import pytest
from aicore_service import Service

from crmdesk.sandbox import AiCoreEmulator

pytestmark = pytest.mark.asyncio


async def test_ping_answers_pairs_with_status_zero(service: Service) -> None:
    assert await service.pairs("ping") == {"status": "0", "status_message": "Pong"}


@pytest.mark.parametrize(
    "login",
    [
        {"ai_login_password": "wrong"},
        {"ai_login_id": "someone-else"},
        {"ai_login_id": "", "ai_login_password": ""},
    ],
)
async def test_a_bad_login_is_a_non_zero_status(service: Service, login: dict[str, str]) -> None:
    service.login.update(login)

    answer = await service.pairs("ping")

    assert answer["status"] == "1"
    assert "login" in answer["status_message"]


async def test_an_unknown_command_is_a_non_zero_status(service: Service) -> None:
    answer = await service.pairs("launch_rocket")

    assert answer["status"] == "2"
    assert answer["status_message"] == "Invalid command: launch_rocket"


async def test_the_php_alias_and_the_documentation_page(service: Service) -> None:
    alias = await service.client.post(
        service.url + ".php", data={**service.login, "ai_command": "ping"}
    )
    page = await service.client.get(service.url)

    assert alias.text == "status=0&status_message=Pong"
    assert page.headers["content-type"].startswith("text/html")
    assert "API Service Documentation" in page.text


async def test_leads_get_pages_in_json_with_totals(service: Service) -> None:
    response = await service.post("leads_get", page_size=15, page_number=3)
    body = response.json()

    assert response.headers["content-type"].startswith("application/json")
    assert body["status"] == 0
    assert (body["num_results"], body["total_results"]) == (10, "40")
    assert [lead["lead_id"] for lead in body["leads"]] == [str(1031 + n) for n in range(10)]


async def test_leads_get_limit_fields_and_search_params(service: Service) -> None:
    body = await service.json(
        "leads_get", limit_fields="city,state", search_params="state=MI", page_size=100
    )

    assert body["leads"]
    assert all(set(lead) == {"lead_id", "city", "state"} for lead in body["leads"])
    assert all(lead["state"] == "MI" for lead in body["leads"])


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 501},
        {"page_size": 0},
        {"page_number": "two"},
        {"limit_fields": "shoe_size"},
        {"search_params": "shoe_size=9"},
    ],
)
async def test_leads_get_rejects_bad_parameters(
    service: Service, params: dict[str, object]
) -> None:
    answer = await service.pairs("leads_get", **params)

    assert answer["status"] == "3"


async def test_create_lead_takes_y_n_and_notes(service: Service, emulator: AiCoreEmulator) -> None:
    notes = json.dumps([{"status": "1", "Notes": "Called back"}])

    answer = await service.pairs(
        "create_lead", first_name="Ann", ok_to_text="Y", notes=notes, zip="02134"
    )

    assert answer["status_message"] == "Lead Creation Successful"
    lead = emulator.store.get("leads", answer["lead_id"])
    assert lead is not None
    assert (lead["ok_to_text"], lead["zip"]) == ("Y", "02134")


async def test_ok_to_text_is_y_n_for_create_but_yes_no_for_lead_set(service: Service) -> None:
    refused_create = await service.pairs("create_lead", ok_to_text="Yes")
    refused_set = await service.pairs("lead_set", mode="update", lead_id=1001, ok_to_text="Y")
    accepted = await service.pairs("lead_set", mode="update", lead_id=1001, ok_to_text="Yes")

    assert refused_create["status"] == refused_set["status"] == "3"
    assert accepted["status"] == "0"


async def test_several_problems_come_as_numbered_messages(service: Service) -> None:
    answer = await service.pairs("create_lead", email="x", followup_date="tomorrow", status="hot")

    assert answer["status"] == "3"
    assert "status_message" not in answer
    assert [answer[f"status_message[{n}]"] for n in range(3)] == [
        "Invalid followup_date: use YYYY-MM-DD HH:MM:SS",
        "Invalid status: must be an integer",
        "Invalid email address: x",
    ]


async def test_lead_set_insert_update_by_external_id_and_full_name(
    service: Service, emulator: AiCoreEmulator
) -> None:
    inserted = await service.pairs(
        "lead_set", mode="insert", external_id="CRM-9", full_name="Mary Ann Lee"
    )
    updated = await service.pairs(
        "lead_set", mode="update", external_id="CRM-9", custom_status="Sold"
    )

    assert inserted["lead_id"] == updated["lead_id"]
    lead = emulator.store.get("leads", inserted["lead_id"])
    assert lead is not None
    assert (lead["first_name"], lead["last_name"], lead["custom_status"]) == (
        "Mary Ann",
        "Lee",
        "5",
    )


async def test_lead_set_needs_a_mode_and_an_existing_lead(service: Service) -> None:
    no_mode = await service.pairs("lead_set", lead_id=1001)
    missing = await service.pairs("lead_set", mode="update", lead_id=99)
    no_id = await service.pairs("lead_set", mode="update")

    assert no_mode["status_message"] == 'ERROR: Required parameter "mode" missing'
    assert missing["status"] == "4"
    assert no_id["status_message"] == 'ERROR: Required parameter "lead_id" missing'


async def test_a_followup_date_books_an_event(service: Service, emulator: AiCoreEmulator) -> None:
    before = emulator.store.count("events")

    await service.pairs(
        "lead_set", mode="update", lead_id=1002, followup_date="2031-01-01 09:00:00"
    )
    events = await service.pairs("events_get", lead_id=1002)

    assert emulator.store.count("events") == before + 1
    assert "2031-01-01 09:00:00" in events.values()


async def test_update_lead_and_tag_append(service: Service, emulator: AiCoreEmulator) -> None:
    answer = await service.pairs("update_lead", lead_id=1003, city="Macon", tag_append="vip,vip")

    assert answer["status"] == "0"
    lead = emulator.store.get("leads", "1003")
    assert lead is not None
    assert lead["city"] == "Macon"
    assert lead["tags"].split(",").count("vip") == 1


async def test_users_nest_in_pairs_and_update(service: Service, emulator: AiCoreEmulator) -> None:
    listed = await service.pairs("query_users")
    one = await service.pairs("user_get", user_id=2)
    taken = await service.pairs("update_user", user_id=2, username=listed["users[0][username]"])
    changed = await service.pairs("update_user", user_id=2, blocked="Y")

    assert listed["num_results"] == "40"
    assert listed["users[39][user_id]"] == "40"
    assert one["username"] == listed["users[1][username]"]
    assert taken["status"] == "3"
    assert changed["status"] == "0"
    user = emulator.store.get("users", "2")
    assert user is not None
    assert user["blocked"] == "Y"


async def test_events_insert_update_and_validation(service: Service) -> None:
    inserted = await service.pairs(
        "event_set", mode="insert", title="Call", start_date="2030-01-01 10:00:00"
    )
    updated = await service.pairs(
        "event_set", mode="update", event_id=inserted["event_id"], completed="Y"
    )
    bad = await service.pairs("event_set", mode="update", event_id=1, completed="maybe")
    fetched = await service.pairs("events_get", event_id=inserted["event_id"])

    assert updated["status"] == "0"
    assert bad["status"] == "3"
    assert fetched["events[0][completed]"] == "Y"


async def test_batch_answers_a_json_array_with_bare_string_errors(service: Service) -> None:
    calls = [
        {"ai_command": "lead_set", "mode": "update", "lead_id": 1001, "city": "Tulsa"},
        {"ai_command": "lead_set", "mode": "update"},
        {"ai_command": "user_get", "user_id": 999},
        {"city": "nowhere"},
        {"ai_command": "batch", "json": "[]"},
        "not an object",
    ]
    response = await service.post("batch", json=json.dumps(calls))

    assert response.headers["content-type"].startswith("text/html")
    results = response.json()
    assert results[0] == {"status": 0, "status_message": "Lead Updated", "lead_id": "1001"}
    assert results[1] == 'ERROR: Required parameter "lead_id" missing'
    assert results[2] == {"status": 4, "status_message": "User 999 not found"}
    assert results[3] == 'ERROR: Required parameter "ai_command" missing'
    assert all(isinstance(r, str) for r in results[4:])


@pytest.mark.parametrize("payload", [None, "{not json", '{"a": 1}'])
async def test_batch_needs_a_json_array(service: Service, payload: str | None) -> None:
    answer = await (service.pairs("batch", json=payload) if payload else service.pairs("batch"))

    assert answer["status"] == "3"


async def test_authenticate_notifications_opens_traffic(
    service: Service, emulator: AiCoreEmulator
) -> None:
    answer = await service.pairs("authenticate_notifications")

    assert answer["status"] == "0"
    assert emulator.store.notifications_authenticated
