"""Every operation of every backend, as the fuzz suite calls them, and the ids they need.

`find_ids` reads real ids from the sandbox first (straight, not through the fuzz server), so
every operation starts as a call that would succeed; the spoiled replies are the only trouble.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from crmdesk.api import Backend, Query, RawRequest, SortKey

Ids = dict[str, Any]
Operation = Callable[[Backend, Ids], Awaitable[object]]


def _replay(path: str, method: str = "GET", body: bytes = b"", form: bool = False) -> Operation:
    def run(backend: Backend, ids: Ids) -> Awaitable[object]:
        headers = (("Content-Type", "application/x-www-form-urlencoded"),) if form else ()
        url = backend.base_url.rstrip("/") + path
        return backend.replay(RawRequest(method, url, headers, body))

    return run


CMDATAMANAGER: dict[str, Operation] = {
    "test_connection": lambda b, ids: b.test_connection(),
    "fields": lambda b, ids: b.fields("lead"),
    "fields_sampled": lambda b, ids: b.fields("task"),
    "list": lambda b, ids: b.list("lead", Query(page=2, page_size=5, sort=SortKey("LastName"))),
    "get": lambda b, ids: b.get("lead", ids["lead"]),
    "create": lambda b, ids: b.create("lead", {"FirstName": "A", "LastName": "B", "Company": "C"}),
    "update": lambda b, ids: b.update("lead", ids["lead"], {"Status": "Contacted"}),
    "delete": lambda b, ids: b.delete("lead", ids["lead_2"]),
    "update_many": lambda b, ids: b.update_many(
        "lead", {ids["lead"]: {"City": "Leeds"}, ids["lead_3"]: {"City": "York"}}
    ),
    "convert": lambda b, ids: b.run_action("lead", ids["lead_4"], "convert"),
    "close": lambda b, ids: b.run_action("task", ids["task"], "close"),
    "add_task": lambda b, ids: b.run_action("lead", ids["lead"], "add_task", {"Subject": "Call"}),
    "add_opportunity": lambda b, ids: b.run_action(
        "lead", ids["lead"], "add_opportunity", {"Name": "Deal"}
    ),
    "action_inputs": lambda b, ids: b.action_inputs("lead", ids["lead"], "add_task"),
    "preview_action": lambda b, ids: b.preview_action("lead", ids["lead"], "convert"),
    "plan_update": lambda b, ids: b.plan_update("lead", ids["lead"], {"City": "Hull"}),
    "replay": _replay("/lead?page=1&per_page=2"),
}

MOTHERNODE: dict[str, Operation] = {
    "test_connection": lambda b, ids: b.test_connection(),
    "list": lambda b, ids: b.list("contacts", Query(page=2, page_size=5, sort=SortKey("email"))),
    "list_invoices": lambda b, ids: b.list("invoices", Query(sort=SortKey("quote_total"))),
    "list_opportunities": lambda b, ids: b.list("opportunities", Query()),
    "get": lambda b, ids: b.get("contacts", ids["contact"]),
    "get_invoice": lambda b, ids: b.get("invoices", ids["invoice"]),
    "fields": lambda b, ids: b.fields("leads"),
    "create": lambda b, ids: b.create("contacts", {"first_name": "A", "last_name": "B"}),
    "update": lambda b, ids: b.update("contacts", ids["contact"], {"title": "Dr"}),
    "delete": lambda b, ids: b.delete("contacts", ids["contact_2"]),
    "update_many": lambda b, ids: b.update_many(
        "contacts", {ids["contact"]: {"title": "A"}, ids["contact_3"]: {"title": "B"}}
    ),
    "make_opportunity": lambda b, ids: b.run_action("leads", ids["lead"], "make_opportunity"),
    "preview_action": lambda b, ids: b.preview_action("leads", ids["lead"], "make_opportunity"),
    "action_inputs": lambda b, ids: b.action_inputs("leads", ids["lead"], "make_opportunity"),
    "plan_delete": lambda b, ids: b.plan_delete("contacts", ids["contact"]),
    "replay": _replay("/contacts"),
}

GETRESPONSE: dict[str, Operation] = {
    "test_connection": lambda b, ids: b.test_connection(),
    "list": lambda b, ids: b.list("contacts", Query(page=2, page_size=5, sort=SortKey("email"))),
    "list_campaigns": lambda b, ids: b.list("campaigns", Query(filters={"name": "a"})),
    "get": lambda b, ids: b.get("contacts", ids["contact"]),
    "fields": lambda b, ids: b.fields("contacts"),
    "create": lambda b, ids: b.create(
        "contacts", {"email": "fuzz@example.org", "campaignId": ids["campaign"]}
    ),
    "create_tag": lambda b, ids: b.create("tags", {"name": "fuzz_tag"}),
    "update": lambda b, ids: b.update("contacts", ids["contact"], {"name": "Renamed"}),
    "delete": lambda b, ids: b.delete("contacts", ids["contact_2"]),
    "update_many": lambda b, ids: b.update_many(
        "contacts", {ids["contact"]: {"name": "A"}, ids["contact_3"]: {"name": "B"}}
    ),
    "add_tags": lambda b, ids: b.run_action(
        "contacts", ids["contact"], "add_tags", {"tags": [ids["tag"]]}
    ),
    "action_inputs": lambda b, ids: b.action_inputs("contacts", ids["contact"], "add_tags"),
    "preview_action": lambda b, ids: b.preview_action(
        "contacts", ids["contact"], "add_tags", {"tags": [ids["tag"]]}
    ),
    "plan_create": lambda b, ids: b.plan_create("tags", {"name": "planned"}),
    "replay": _replay("/campaigns?perPage=1"),
}

NDCHOST: dict[str, Operation] = {
    "test_connection": lambda b, ids: b.test_connection(),
    "list": lambda b, ids: b.list("licenses", Query(page=1, page_size=5, sort=SortKey("ip"))),
    "list_products": lambda b, ids: b.list("products", Query(sort=SortKey("name"))),
    "list_client": lambda b, ids: b.list("client", Query()),
    "get": lambda b, ids: b.get("licenses", ids["license"]),
    "fields": lambda b, ids: b.fields("licenses"),
    "action_inputs": lambda b, ids: b.action_inputs("products", ids["product"], "order"),
    "preview_action": lambda b, ids: b.preview_action(
        "products", ids["product"], "order", {"ip": "10.9.8.7", "billingcycle": ids["cycle"]}
    ),
    "order": lambda b, ids: b.run_action(
        "products", ids["product"], "order", {"ip": "10.9.8.7", "billingcycle": ids["cycle"]}
    ),
    "replay": _replay(
        "", "POST", b"m=clientapi&apikey=x&apimodule=client&apifunction=getdetails", form=True
    ),
}

AICORE: dict[str, Operation] = {
    "test_connection": lambda b, ids: b.test_connection(),
    "list": lambda b, ids: b.list("leads", Query(page=2, page_size=5, sort=SortKey("city"))),
    "list_users": lambda b, ids: b.list("users", Query(sort=SortKey("user_id"))),
    "list_events": lambda b, ids: b.list("events", Query(filters={"lead_id": ids["lead"]})),
    "get": lambda b, ids: b.get("leads", ids["lead"]),
    "get_user": lambda b, ids: b.get("users", ids["user"]),
    "get_event": lambda b, ids: b.get("events", ids["event"]),
    "create": lambda b, ids: b.create("leads", {"first_name": "A", "last_name": "B"}),
    "create_event": lambda b, ids: b.create(
        "events", {"title": "Call", "start_date": "2030-01-01 10:00:00"}
    ),
    "update": lambda b, ids: b.update("leads", ids["lead"], {"city": "Monroe"}),
    "update_many": lambda b, ids: b.update_many(
        "leads", {ids["lead"]: {"city": "A"}, ids["lead_2"]: {"city": "B"}}
    ),
    "set_status": lambda b, ids: b.run_action("leads", ids["lead"], "set_status", {"status": 2}),
    "action_inputs": lambda b, ids: b.action_inputs("leads", ids["lead"], "set_status"),
    "preview_action": lambda b, ids: b.preview_action(
        "leads", ids["lead"], "set_status", {"status": 3}
    ),
    "plan_update": lambda b, ids: b.plan_update("leads", ids["lead"], {"ok_to_text": "Y"}),
    "confirm_notifications": lambda b, ids: b.confirm_notifications(),
    "replay": _replay("", "POST", b"ai_command=ping&ai_login_id=x", form=True),
}

OPERATIONS: dict[str, dict[str, Operation]] = {
    "cmdatamanager": CMDATAMANAGER,
    "mothernode": MOTHERNODE,
    "getresponse": GETRESPONSE,
    "ndchost": NDCHOST,
    "aicore": AICORE,
}


async def find_ids(kind: str, backend: Backend) -> Ids:
    """Ids of real records for the operations above, read from the sandbox as it is."""

    async def ids_of(entity: str, count: int = 4) -> list[str]:
        page = await backend.list(entity, Query(page=1, page_size=max(count, 5)))
        return [record.id for record in page.records[:count]]

    if kind == "cmdatamanager":
        leads = await ids_of("lead")
        return {
            "lead": leads[0],
            "lead_2": leads[1],
            "lead_3": leads[2],
            "lead_4": leads[3],
            "task": (await ids_of("task", 1))[0],
        }
    if kind == "mothernode":
        contacts = await ids_of("contacts")
        return {
            "contact": contacts[0],
            "contact_2": contacts[1],
            "contact_3": contacts[2],
            "invoice": (await ids_of("invoices", 1))[0],
            "lead": (await ids_of("leads", 1))[0],
        }
    if kind == "getresponse":
        contacts = await ids_of("contacts")
        return {
            "contact": contacts[0],
            "contact_2": contacts[1],
            "contact_3": contacts[2],
            "campaign": (await ids_of("campaigns", 1))[0],
            "tag": (await ids_of("tags", 1))[0],
        }
    if kind == "ndchost":
        products = (await backend.list("products", Query())).records
        product = next(p for p in products if isinstance(p.values.get("pricing"), dict))
        return {
            "license": (await ids_of("licenses", 1))[0],
            "product": product.id,
            "cycle": next(iter(product.values["pricing"])),
        }
    leads = await ids_of("leads")
    return {
        "lead": leads[0],
        "lead_2": leads[1],
        "user": (await ids_of("users", 1))[0],
        "event": (await ids_of("events", 1))[0],
    }
