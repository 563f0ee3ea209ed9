"""Per kind, the reads and writes the faults-by-operation test runs, and how each write shows
in the sandbox's request log (so what reached the server is read from the server's side).

A write's `prepare` makes what it needs unfaulted (a record to delete, a lead to make an
opportunity) and returns the call, the fault's filter, the log matcher, and whether
`find_outcome` can tell for this write (it cannot for some creates and actions).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from crmdesk.api import Backend, Query
from crmdesk.sandbox import RecordedRequest

Call = Callable[[], Awaitable[Any]]
_ADDRESSES = (f"198.51.{a}.{b}" for a in range(100, 120) for b in range(1, 255))
Matcher = Callable[[RecordedRequest], bool]


@dataclass(frozen=True)
class Write:
    """One write, ready to be sent once a fault is planned for it."""

    call: Call
    method: str | None
    path: str | None
    matches: Matcher
    tells: bool


Prepare = Callable[[Backend, str], Awaitable[Write]]


def rest(method: str, path: str) -> Matcher:
    return lambda r: r.method == method and r.path.lower().endswith(path.lower())


def form(field: str) -> Matcher:
    return lambda r: r.method == "POST" and field.encode() in r.body


async def first_id(backend: Backend, entity: str, skip: int = 0) -> str:
    return (await backend.list(entity, Query(page_size=10))).records[skip].id


# -- CMDataManager ---------------------------------------------------------------------------


async def cm_create(b: Backend, tag: str) -> Write:
    values = {"FirstName": tag, "LastName": "Fault", "Company": "Faults Ltd"}
    return Write(lambda: b.create("lead", values), "POST", "/lead", rest("POST", "/lead"), False)


async def cm_update(b: Backend, tag: str) -> Write:
    lead = await first_id(b, "lead")
    path = f"/lead/{lead}"
    call = lambda: b.update("lead", lead, {"Title": tag})  # noqa: E731
    return Write(call, "PUT", path, rest("PUT", path), True)


async def cm_delete(b: Backend, tag: str) -> Write:
    created = await b.create("lead", {"FirstName": tag, "LastName": "Gone", "Company": "X"})
    path = f"/lead/{created.created_id}"
    call = lambda: b.delete("lead", str(created.created_id))  # noqa: E731
    return Write(call, "DELETE", path, rest("DELETE", path), True)


async def cm_close(b: Backend, tag: str) -> Write:
    task = await first_id(b, "task")
    path = f"/task/close/{task}"
    call = lambda: b.run_action("task", task, "close")  # noqa: E731
    return Write(call, "PUT", path, rest("PUT", path), False)


# -- Mothernode ------------------------------------------------------------------------------


async def mn_create(b: Backend, tag: str) -> Write:
    call = lambda: b.create("contacts", {"first_name": "Fault", "last_name": tag})  # noqa: E731
    return Write(call, "POST", "/contacts", rest("POST", "/contacts"), True)


async def mn_update(b: Backend, tag: str) -> Write:
    contact = await first_id(b, "contacts")
    path = f"/contacts/{contact}"
    call = lambda: b.update("contacts", contact, {"title": tag})  # noqa: E731
    return Write(call, "PUT", path, rest("PUT", path), True)


async def mn_delete(b: Backend, tag: str) -> Write:
    created = await b.create("contacts", {"first_name": "Gone", "last_name": tag})
    path = f"/contacts/{created.created_id}"
    call = lambda: b.delete("contacts", str(created.created_id))  # noqa: E731
    return Write(call, "DELETE", path, rest("DELETE", path), True)


async def mn_opportunity(b: Backend, tag: str) -> Write:
    lead = await b.create("leads", {"l_working_title": tag})
    path = f"/leads/{lead.created_id}"
    call = lambda: b.run_action("leads", str(lead.created_id), "make_opportunity")  # noqa: E731
    return Write(call, "PUT", path, rest("PUT", path), True)


# -- GetResponse -----------------------------------------------------------------------------


async def gr_create(b: Backend, tag: str) -> Write:
    campaign = await first_id(b, "campaigns")
    values = {"email": f"{tag.lower()}@faults.example", "campaignId": campaign}
    call = lambda: b.create("contacts", values)  # noqa: E731
    return Write(call, "POST", "/v3/contacts", rest("POST", "/v3/contacts"), False)


async def gr_update(b: Backend, tag: str) -> Write:
    contact = await first_id(b, "contacts")
    path = f"/v3/contacts/{contact}"
    call = lambda: b.update("contacts", contact, {"name": tag})  # noqa: E731
    return Write(call, "POST", path, rest("POST", path), True)


async def gr_delete(b: Backend, tag: str) -> Write:
    created = await b.create("tags", {"name": tag.lower()})
    path = f"/v3/tags/{created.created_id}"
    call = lambda: b.delete("tags", str(created.created_id))  # noqa: E731
    return Write(call, "DELETE", path, rest("DELETE", path), True)


async def gr_tags(b: Backend, tag: str) -> Write:
    contact = await first_id(b, "contacts", 1)
    tag_id = await first_id(b, "tags")
    path = f"/v3/contacts/{contact}/tags"
    call = lambda: b.run_action("contacts", contact, "add_tags", {"tags": [tag_id]})  # noqa: E731
    return Write(call, "POST", path, rest("POST", path), False)


# -- NDCHost ---------------------------------------------------------------------------------


async def nd_order(b: Backend, tag: str) -> Write:
    products = (await b.list("products", Query())).records
    product = next(p for p in products if isinstance(p.values.get("pricing"), dict))
    cycle = next(iter(product.values["pricing"]))
    ip = next(_ADDRESSES)  # an IP of its own, so its one license can only be this order
    args = {"ip": ip, "billingcycle": cycle}
    call = lambda: b.run_action("products", product.id, "order", args)  # noqa: E731
    matcher = form("apifunction=order")
    return Write(call, None, "cpanellicensing/order", matcher, True)


# -- aicore ----------------------------------------------------------------------------------


async def ai_create(b: Backend, tag: str) -> Write:
    call = lambda: b.create("leads", {"first_name": tag, "last_name": "Fault"})  # noqa: E731
    return Write(call, None, None, form("ai_command=create_lead"), False)


async def ai_update(b: Backend, tag: str) -> Write:
    lead = await first_id(b, "leads")
    call = lambda: b.update("leads", lead, {"city": tag})  # noqa: E731
    return Write(call, None, None, form("ai_command=lead_set"), True)


async def ai_status(b: Backend, tag: str) -> Write:
    lead = await first_id(b, "leads", 1)
    # A status the lead does not have yet, so that holding it means the change was made.
    before = str((await b.get("leads", lead)).values.get("status"))
    status = next(s for s in range(2, 9) if str(s) != before)
    call = lambda: b.run_action("leads", lead, "set_status", {"status": status})  # noqa: E731
    return Write(call, None, None, form("ai_command=lead_set"), True)


WRITES: dict[str, dict[str, Prepare]] = {
    "cmdatamanager": {
        "create": cm_create,
        "update": cm_update,
        "delete": cm_delete,
        "close": cm_close,
    },
    "mothernode": {
        "create": mn_create,
        "update": mn_update,
        "delete": mn_delete,
        "make_opportunity": mn_opportunity,
    },
    "getresponse": {
        "create": gr_create,
        "update": gr_update,
        "delete": gr_delete,
        "add_tags": gr_tags,
    },
    "ndchost": {"order": nd_order},
    "aicore": {"create": ai_create, "update": ai_update, "set_status": ai_status},
}
# Per kind: the entity whose list and first record the read checks fetch.
READS = {
    "cmdatamanager": "lead",
    "mothernode": "contacts",
    "getresponse": "contacts",
    "ndchost": "licenses",
    "aicore": "leads",
}
