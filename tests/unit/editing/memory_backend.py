"""A Backend over a dict, whose writes a test scripts: to fail, to lose their reply after being
applied (or not), or to hang until cancelled. Only for unit tests of crmdesk.editing; the
integration tests run the real backends against the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx

from crmdesk.api import (
    ActionResult,
    ActionSpec,
    ApiError,
    EntityInfo,
    ErrorKind,
    ExchangeLog,
    FieldSpec,
    FieldType,
    Page,
    Query,
    RawRequest,
    Record,
    Redactor,
)
from crmdesk.api.backends.base import Backend, ResultListener
from crmdesk.api.model import WireRequest
from crmdesk.api.transport import Reply, Transport

FIELDS = (
    FieldSpec("name", "Name", required=True),
    FieldSpec("amount", "Amount", FieldType.CURRENCY),
    FieldSpec("active", "Active", FieldType.BOOLEAN),
    FieldSpec("due", "Due", FieldType.DATE),
    FieldSpec("code", "Code", read_only=True),
)
CONVERT = ActionSpec("convert", "Convert item", creates="items")
SET_NAME = ActionSpec(
    "set_name",
    "Set name",
    takes_values=True,
    inputs=(FieldSpec("name", "Name", required=True),),
    undoable=True,
)


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"the memory backend sent {request.method} {request.url}")


class MemoryBackend(Backend):
    """Entity "items" (created, updated, deleted) and "frozen" (never deleted)."""

    kind = "memory"

    def __init__(self, records: int = 10, *, queued_creates: bool = False) -> None:
        transport = Transport(
            "https://memory.example/",
            connection="Memory",
            connection_id="p1",
            log=ExchangeLog(),
            redactor=Redactor(),
            transport=httpx.MockTransport(_refuse),
        )
        super().__init__(transport)
        self.store: dict[str, dict[str, Any]] = {
            str(n): {"name": f"Item {n}", "amount": "10.00", "active": "1", "due": None}
            for n in range(1, records + 1)
        }
        # record id -> what its next writes do: "ok", "fail", "lost", "lost-applied",
        # "hang", "applied-hang"
        self.script: dict[str, list[str]] = {}
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.reads: list[str] = []
        self.unreadable: set[str] = set()
        self.queued_creates = queued_creates
        self.in_flight = asyncio.Event()

    # -- the contract, in memory -------------------------------------------------------------

    async def _test_connection(self) -> str:
        return "In memory."

    async def _list_entities(self) -> tuple[EntityInfo, ...]:
        return (
            EntityInfo("items", "Items", actions=(CONVERT, SET_NAME)),
            EntityInfo("frozen", "Frozen items", can_delete=False),
        )

    async def _fields_of(self, entity: str) -> tuple[FieldSpec, ...]:
        return FIELDS

    async def _list(self, info: EntityInfo, query: Query) -> Page:
        records = tuple(Record(k, v) for k, v in self.store.items())
        return Page(records, 1, len(records), len(records), 1)

    async def _get(self, info: EntityInfo, record_id: str) -> Record:
        self.reads.append(record_id)
        if record_id in self.unreadable:
            raise ApiError(ErrorKind.SERVER, "The server is down.", status=503)
        if record_id not in self.store:
            raise ApiError(ErrorKind.NOT_FOUND, f"No item {record_id}.", status=404)
        return Record(record_id, self.store[record_id])

    async def _send(self, wire: WireRequest) -> Reply:
        raise AssertionError("writes go through the scripted methods")

    async def _authorize(self, request: RawRequest) -> RawRequest:
        return request

    def _plan_update(
        self, info: EntityInfo, record_id: str, changes: dict[str, Any]
    ) -> WireRequest:
        for name, value in changes.items():
            if isinstance(value, dict):
                raise ApiError(ErrorKind.INVALID, f"{name} cannot hold a map; nothing was sent.")
        return WireRequest("PUT", f"items/{record_id}", json_body=changes)

    def _plan_delete(self, info: EntityInfo, record_id: str) -> WireRequest:
        return WireRequest("DELETE", f"items/{record_id}")

    async def _update_many(
        self, info: EntityInfo, updates: dict[str, dict[str, Any]], report: ResultListener
    ) -> None:
        if self.update_batch_size > 1:
            # A bulk call: one request, then every result at once.
            outcomes = [await self._write(rid, changes) for rid, changes in updates.items()]
            for (rid, _), outcome in zip(updates.items(), outcomes, strict=True):
                report(rid, outcome)
            return
        for record_id, changes in updates.items():
            report(record_id, await self._write(record_id, changes))

    async def _write(self, record_id: str, changes: dict[str, Any]) -> ActionResult | ApiError:
        self.sent.append((record_id, dict(changes)))
        step = (self.script.get(record_id) or ["ok"]).pop(0)
        if step in ("ok", "lost-applied", "applied-hang"):
            self.store[record_id].update(changes)
        if step in ("hang", "applied-hang"):
            self.in_flight.set()
            await asyncio.Event().wait()
        if step == "fail":
            return ApiError(ErrorKind.SERVER, "Boom.", status=500)
        if step in ("lost", "lost-applied"):
            return ApiError(ErrorKind.TRANSPORT, "The connection dropped.", outcome_unknown=True)
        return ActionResult(f"Saved item {record_id}.")

    # -- creates, deletes and actions, scripted by the same words ----------------------------

    async def create(self, entity: str, values: Mapping[str, Any]) -> ActionResult:
        step = (self.script.get("create") or ["ok"]).pop(0)
        if step == "fail":
            raise ApiError(ErrorKind.INVALID, "Name is taken.", status=400)
        if step == "lost":
            raise ApiError(ErrorKind.TIMEOUT, "No reply.", outcome_unknown=True)
        if self.queued_creates:
            return ActionResult("Item queued.", queued=True)
        new_id = str(len(self.store) + 1)
        self.store[new_id] = dict(values)
        return ActionResult(f"Created item {new_id}.", created_id=new_id, opens=(entity, new_id))

    async def delete(self, entity: str, record_id: str) -> ActionResult:
        step = (self.script.get(record_id) or ["ok"]).pop(0)
        if step == "hang":
            self.in_flight.set()
            await asyncio.Event().wait()
        if step in ("ok", "lost-applied"):
            self.store.pop(record_id, None)
        if step in ("lost", "lost-applied"):
            raise ApiError(ErrorKind.TRANSPORT, "The connection dropped.", outcome_unknown=True)
        if step == "fail":
            raise ApiError(ErrorKind.CONFLICT, "It has children.", status=409)
        return ActionResult(f"Deleted item {record_id}.")

    async def run_action(
        self,
        entity: str,
        record_id: str,
        action: str,
        args: Mapping[str, Any] | None = None,
    ) -> ActionResult:
        self.sent.append((f"{action}:{record_id}", dict(args or {})))
        step = (self.script.get(action) or ["ok"]).pop(0)
        if step == "lost":
            raise ApiError(ErrorKind.TRANSPORT, "The connection dropped.", outcome_unknown=True)
        if action == "set_name":
            self.store[record_id]["name"] = (args or {})["name"]
            return ActionResult(f"Item {record_id} renamed.")
        return ActionResult(f"Item {record_id} converted.", created_id="99", opens=("items", "99"))
