"""The aicore backend against the /service emulator: listing, reading and writing records."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from crmdesk.api import ApiError, Backend, ErrorKind, Query, SortKey
from crmdesk.sandbox import AiCoreEmulator

pytestmark = pytest.mark.asyncio


def sent(emulator: AiCoreEmulator) -> list[dict[str, str]]:
    """The form fields of every request the emulator received, oldest first."""
    forms = []
    for request in emulator.requests:
        fields = parse_qs(request.body.decode(), keep_blank_values=True)
        forms.append({name: values[0] for name, values in fields.items()})
    return forms


async def test_connection_test_pings_with_the_login(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    said = await site.test_connection()

    assert "sandbox-api" in said
    assert "ping" in said
    assert [form["ai_command"] for form in sent(emulator)] == ["ping"]


async def test_entities_say_what_the_api_can_do(site: Backend) -> None:
    leads, users, events = await site.entities()

    assert (leads.name, users.name, events.name) == ("leads", "users", "events")
    assert not any(info.can_delete for info in (leads, users, events))
    assert not any(info.server_sorting for info in (leads, users, events))
    assert leads.server_paging
    assert not users.server_paging
    assert not users.can_create
    assert not any(info.has_field_metadata for info in await site.entities())


async def test_leads_are_paged_by_the_server_with_its_totals(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    page = await site.list("leads", Query(page=2, page_size=25))

    assert [r.id for r in page.records] == [str(1026 + n) for n in range(25)]
    assert (page.total_records, page.total_pages) == (60, 3)
    assert page.paged_by_server
    assert page.sorted_by_server
    assert sent(emulator)[-1]["page_number"] == "2"


async def test_a_sorted_lead_page_is_the_servers_page_sorted_locally(site: Backend) -> None:
    plain = await site.list("leads", Query(page=1, page_size=20))
    ordered = await site.list("leads", Query(page=1, page_size=20, sort=SortKey("last_name")))

    names = [r.values["last_name"] for r in ordered.records]
    assert names == sorted(names, key=str.casefold)
    assert {r.id for r in ordered.records} == {r.id for r in plain.records}
    assert not ordered.sorted_by_server
    assert ordered.paged_by_server
    assert ordered.total_records == 60


async def test_limit_fields_narrows_leads_and_keeps_the_id(site: Backend) -> None:
    page = await site.list("leads", Query(page_size=5, fields=("email",)))

    assert set(page.records[0].values) == {"lead_id", "email"}


async def test_lead_filters_go_to_user_id_and_search_params(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    lead = emulator.store.get("leads", "1003")
    assert lead is not None

    page = await site.list(
        "leads", Query(filters={"user_id": lead["user_id"], "source": lead["source"]})
    )

    assert "1003" in {r.id for r in page.records}
    assert all(r.values["source"] == lead["source"] for r in page.records)
    form = sent(emulator)[-1]
    assert form["user_id"] == lead["user_id"]
    assert form["search_params"] == f"source={lead['source']}"


async def test_users_are_fetched_whole_and_paged_and_sorted_locally(site: Backend) -> None:
    page = await site.list("users", Query(page=2, page_size=10, sort=SortKey("username")))
    every = await site.list("users", Query(page=1, page_size=100, sort=SortKey("username")))

    assert (page.total_records, page.total_pages) == (60, 6)
    assert not page.paged_by_server
    assert not page.sorted_by_server
    assert [r.id for r in page.records] == [r.id for r in every.records[10:20]]


async def test_events_filter_by_lead(site: Backend, emulator: AiCoreEmulator) -> None:
    event = emulator.store.get("events", "4")
    assert event is not None

    page = await site.list("events", Query(page_size=100, filters={"lead_id": event["lead_id"]}))

    assert "4" in {r.id for r in page.records}
    assert all(r.values["lead_id"] == event["lead_id"] for r in page.records)


async def test_events_refuse_other_filters_before_the_network(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    with pytest.raises(ApiError) as caught:
        await site.list("events", Query(filters={"title": "x"}))

    assert caught.value.kind is ErrorKind.UNSUPPORTED
    assert emulator.requests == []


@pytest.mark.parametrize(
    ("entity", "record_id"), [("leads", "1007"), ("users", "7"), ("events", "7")]
)
async def test_get_reads_one_record(site: Backend, entity: str, record_id: str) -> None:
    record = await site.get(entity, record_id)

    assert record.id == record_id
    assert record.values[{"leads": "lead_id", "users": "user_id", "events": "event_id"}[entity]]


@pytest.mark.parametrize("entity", ["leads", "users", "events"])
async def test_get_of_a_missing_record_is_not_found(site: Backend, entity: str) -> None:
    with pytest.raises(ApiError) as caught:
        await site.get(entity, "999999")

    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert caught.value.exchange is not None


async def test_create_lead_sends_y_n_and_notes_as_json(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    result = await site.create(
        "leads",
        {"first_name": "Ada", "ok_to_text": True, "notes": [{"status": "1", "Notes": "Hi"}]},
    )

    assert result.created_id is not None
    stored = emulator.store.get("leads", result.created_id)
    assert stored is not None
    assert (stored["first_name"], stored["ok_to_text"]) == ("Ada", "Y")
    form = sent(emulator)[-1]
    assert form["ai_command"] == "create_lead"
    assert form["notes"] == '[{"status": "1", "Notes": "Hi"}]'


async def test_lead_update_goes_through_lead_set_with_yes_no(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    result = await site.update("leads", "1002", {"ok_to_text": "N", "city": "Monroe"})

    assert result.message == "Lead Updated."
    form = sent(emulator)[-1]
    assert (form["ai_command"], form["mode"], form["lead_id"]) == ("lead_set", "update", "1002")
    assert form["ok_to_text"] == "No"
    stored = emulator.store.get("leads", "1002")
    assert stored is not None
    assert (stored["ok_to_text"], stored["city"]) == ("N", "Monroe")


async def test_a_followup_date_books_a_followup_event(site: Backend) -> None:
    await site.update("leads", "1004", {"followup_date": "2030-05-06 10:00:00"})

    page = await site.list("events", Query(page_size=100, filters={"lead_id": "1004"}))

    assert "2030-05-06 10:00:00" in {r.values["start_date"] for r in page.records}


async def test_custom_status_may_be_named_in_an_update(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    await site.update("leads", "1005", {"custom_status": "Sold"})

    stored = emulator.store.get("leads", "1005")
    assert stored is not None
    assert stored["custom_status"] == "5"


async def test_several_messages_are_joined_into_one_error(site: Backend) -> None:
    with pytest.raises(ApiError) as caught:
        await site.create("leads", {"email": "nowhere", "followup_date": "soon"})

    assert caught.value.kind is ErrorKind.INVALID
    assert "followup_date" in caught.value.message
    assert "email" in caught.value.message
    assert "; " in caught.value.message
    assert caught.value.vendor_code == "3"


async def test_users_and_events_are_updated(site: Backend, emulator: AiCoreEmulator) -> None:
    await site.update("users", "3", {"company": "Monroe Motors"})
    await site.update("events", "3", {"completed": "Y"})

    user, event = emulator.store.get("users", "3"), emulator.store.get("events", "3")
    assert user is not None
    assert event is not None
    assert (user["company"], event["completed"]) == ("Monroe Motors", "Y")


async def test_an_event_is_created_with_event_set(site: Backend, emulator: AiCoreEmulator) -> None:
    result = await site.create(
        "events", {"title": "Test drive", "start_date": "2030-01-02 09:00:00", "lead_id": 1001}
    )

    assert result.created_id is not None
    assert sent(emulator)[-1]["mode"] == "insert"
    stored = emulator.store.get("events", result.created_id)
    assert stored is not None
    assert stored["lead_id"] == "1001"


@pytest.mark.parametrize(
    ("call", "kind"),
    [("delete-lead", ErrorKind.UNSUPPORTED), ("create-user", ErrorKind.UNSUPPORTED)],
)
async def test_what_the_api_cannot_do_is_refused_before_the_network(
    site: Backend, emulator: AiCoreEmulator, call: str, kind: ErrorKind
) -> None:
    attempt = (
        site.delete("leads", "1001")
        if call == "delete-lead"
        else site.create("users", {"username": "x"})
    )
    with pytest.raises(ApiError) as caught:
        await attempt

    assert caught.value.kind is kind
    assert emulator.requests == []


async def test_authenticate_notifications_opens_notification_traffic(
    site: Backend, emulator: AiCoreEmulator
) -> None:
    said = await site.confirm_notifications()

    assert said == "Notifications authenticated."
    assert emulator.store.notifications_authenticated
