"""The Mothernode emulator driven with plain httpx: auth, root keys, quirks and writes."""

from __future__ import annotations

import httpx
import pytest

from crmdesk.sandbox import MothernodeEmulator, Sandbox

pytestmark = pytest.mark.asyncio


async def test_basic_auth_is_required(anonymous: httpx.AsyncClient) -> None:
    response = await anonymous.get("/contacts")
    assert response.status_code == 401
    assert response.json() == {
        "error": "Unauthorized",
        "message": "Your API key is missing or invalid.",
    }
    assert response.headers["WWW-Authenticate"].startswith("Basic")


async def test_a_wrong_password_is_refused(anonymous: httpx.AsyncClient, sandbox: Sandbox) -> None:
    key = sandbox.endpoints[0].credentials["access_key"]
    response = await anonymous.get("/", auth=(key, "wrong"))
    assert response.status_code == 401


async def test_the_root_answers_a_valid_key(api: httpx.AsyncClient) -> None:
    response = await api.get("/")
    assert response.status_code == 200


async def test_a_read_only_key_reads_but_gets_403_on_writes(reader: httpx.AsyncClient) -> None:
    assert (await reader.get("/customers")).status_code == 200
    response = await reader.post("/notes", json={"note": {"ref_msg": "x"}})
    assert response.status_code == 403
    assert (await reader.delete("/notes/1000")).status_code == 403


async def test_lists_use_the_plural_root_and_records_the_singular(api: httpx.AsyncClient) -> None:
    listed = (await api.get("/contacts")).json()
    assert list(listed) == ["contacts"]
    assert len(listed["contacts"]) == 40
    first = listed["contacts"][0]
    one = (await api.get(f"/contacts/{first['contact_id']}")).json()
    assert one == {"contact": first}


async def test_every_value_is_a_string_and_empty_dates_are_zero(api: httpx.AsyncClient) -> None:
    leads = (await api.get("/leads")).json()["leads"]
    scalars = [v for lead in leads for k, v in lead.items() if k != "contacts"]
    assert all(isinstance(v, str) for v in scalars)
    plain = [lead for lead in leads if lead["is_opportunity"] == "0"]
    assert plain
    assert {lead["o_close_date"] for lead in plain} == {"0000-00-00"}
    assert {lead["is_opportunity"] for lead in leads} == {"0", "1"}


async def test_customers_and_leads_embed_contacts(api: httpx.AsyncClient) -> None:
    customers = (await api.get("/customers")).json()["customers"]
    assert all(isinstance(c["contacts"], list) for c in customers)
    assert any(c["contacts"] for c in customers)
    lead = (await api.get("/leads")).json()["leads"][0]
    assert lead["contacts"][0]["contact_id"] == lead["primary_contact"]


async def test_notes_and_events(api: httpx.AsyncClient) -> None:
    notes = (await api.get("/notes")).json()["notes"]
    events = [n for n in notes if n["event_start_date"] != "0000-00-00 00:00:00"]
    assert events
    assert len(events) < len(notes)
    assert notes[0]["note_id"].isdigit()
    assert {n["ref_type"] for n in notes} <= {"client", "contact"}


async def test_invoices_are_an_object_keyed_by_number(api: httpx.AsyncClient) -> None:
    invoices = (await api.get("/invoices")).json()["invoices"]
    assert isinstance(invoices, dict)
    number, invoice = next(iter(invoices.items()))
    assert invoice["header"]["invoice_number"] == number
    assert invoice["detail"][0]["line_number"] == "1"
    by_number = (await api.get(f"/invoices/{number}")).json()
    by_id = (await api.get(f"/invoices/{invoice['header']['invoice_id']}")).json()
    assert by_number == by_id == {"invoice": invoice}


async def test_filters_are_field_equals_value(api: httpx.AsyncClient) -> None:
    opportunities = (await api.get("/leads", params={"is_opportunity": "1"})).json()["leads"]
    assert opportunities
    assert {lead["is_opportunity"] for lead in opportunities} == {"1"}
    texas = (await api.get("/invoices", params={"country": "US", "state": "TX"})).json()
    assert {i["header"]["bill_state"] for i in texas["invoices"].values()} == {"TX"}
    nothing = await api.get("/contacts", params={"email": "nobody@nowhere.example"})
    assert nothing.json() == {"contacts": []}
    unknown = await api.get("/contacts", params={"shoe_size": "9"})
    assert unknown.status_code == 400


async def test_writes_take_the_singular_wrapper(
    api: httpx.AsyncClient, emulator: MothernodeEmulator
) -> None:
    created = await api.post(
        "/contacts", json={"contact": {"last_name": "Lovelace", "do_not_email": True}}
    )
    assert created.status_code == 201
    contact = created.json()["contact"]
    assert (contact["do_not_email"], contact["birthday"]) == ("1", "0000-00-00")
    path = f"/contacts/{contact['contact_id']}"
    updated = await api.put(path, json={"contact": {"birthday": "1815-12-10"}})
    assert updated.json()["contact"]["birthday"] == "1815-12-10"
    deleted = await api.delete(path)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert (await api.get(path)).status_code == 404
    assert emulator.store.get("contacts", contact["contact_id"]) is None


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"last_name": "Flat"}, 'The request body must be {"contact": {...}}.'),
        ({"contact": {"first_name": "Only"}}, "Field 'last_name' is required."),
        ({"contact": {"last_name": "X", "shoe": "9"}}, "Unknown field 'shoe' for contact."),
        ({"contact": {"last_name": "X", "contact_id": "1"}}, "Field 'contact_id' is read-only."),
        (
            {"contact": {"last_name": "X", "do_not_call": "maybe"}},
            "Field 'do_not_call' must be 0 or 1.",
        ),
        (
            {"contact": {"last_name": "X", "birthday": "10/12/1815"}},
            "Field 'birthday' must be a date (YYYY-MM-DD).",
        ),
        ({"contact": {"last_name": ["X"]}}, "Field 'last_name' must be a string or a number."),
    ],
)
async def test_bad_writes_are_400_with_a_reason(
    api: httpx.AsyncClient, body: object, message: str
) -> None:
    response = await api.post("/contacts", json=body)
    assert (response.status_code, response.json()["message"]) == (400, message)


async def test_not_json_is_400(api: httpx.AsyncClient) -> None:
    response = await api.post("/notes", content=b"ref_msg=hi")
    assert response.status_code == 400


async def test_unknown_things_are_404_and_invoices_405(api: httpx.AsyncClient) -> None:
    assert (await api.get("/widgets")).status_code == 404
    assert (await api.get("/notes/1")).status_code == 404
    assert (await api.put("/customers/nope", json={"customer": {}})).status_code == 404
    refused = await api.post("/invoices", json={"invoice": {}})
    assert refused.status_code == 405
