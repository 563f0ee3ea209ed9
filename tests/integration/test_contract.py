"""Every kind, through the Backend contract only: what an entity says it can do is true.

The UI offers what `EntityInfo` and `KindInfo` say and nothing else, so each claim is tried
against the kind's sandbox: writes an entity refuses are refused before the network, writes
it allows can be planned, paging and sorting happen where it says, filters are taken only
where it says, actions can be described and previewed, replays are signed by the connection.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from crmdesk.api import (
    ApiError,
    Backend,
    EntityInfo,
    ErrorKind,
    Query,
    RawRequest,
    SortKey,
    kind_info,
    kinds,
    open_backend,
)
from crmdesk.sandbox import Emulator, Sandbox, SandboxEndpoint

pytestmark = pytest.mark.asyncio


@dataclass
class Opened:
    backend: Backend
    emulator: Emulator
    endpoint: SandboxEndpoint


@pytest.fixture(params=kinds())
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest_asyncio.fixture
async def opened(kind: str) -> AsyncIterator[Opened]:
    async with Sandbox(kinds=(kind,), records_per_entity=30) as sandbox:
        endpoint = sandbox.endpoints[0]
        async with open_backend(
            kind, endpoint.base_url, endpoint.credentials, connection="Sandbox", **endpoint.options
        ) as backend:
            yield Opened(backend, sandbox.emulator(kind), endpoint)


def secrets_of(opened: Opened) -> list[str]:
    secret = {f.name for f in kind_info(opened.backend.kind).credentials if f.secret}
    return [v for k, v in opened.endpoint.credentials.items() if k in secret]


def sent(opened: Opened) -> int:
    return len(opened.emulator.requests)


async def test_writes_an_entity_refuses_never_reach_the_network(opened: Opened) -> None:
    backend = opened.backend
    for info in await backend.entities():
        before = sent(opened)
        for allowed, attempt in (
            (info.can_create, backend.plan_create(info.name, {"name": "x"})),
            (info.can_update, backend.plan_update(info.name, "1", {"name": "x"})),
            (info.can_delete, backend.plan_delete(info.name, "1")),
        ):
            if allowed:
                attempt.close()
                continue
            with pytest.raises(ApiError) as caught:
                await attempt
            assert caught.value.kind is ErrorKind.UNSUPPORTED, info.name
        assert sent(opened) == before, f"{info.name}: a refused write was sent"


async def a_record(backend: Backend, info: EntityInfo) -> str | None:
    page = await backend.list(info.name, Query(page_size=5))
    return page.records[0].id if page.records else None


async def test_writes_an_entity_allows_can_be_reviewed_before_sending(opened: Opened) -> None:
    backend = opened.backend
    for info in await backend.entities():
        if not info.can_update:
            continue
        record_id = await a_record(backend, info)
        assert record_id is not None, info.name
        fields = [f for f in await backend.fields(info.name) if not f.read_only]
        text_field = next(f for f in fields if f.type.value == "text")
        before = sent(opened)
        planned = await backend.plan_update(info.name, record_id, {text_field.name: "Reviewed"})
        assert sent(opened) == before, "planning must not send"
        assert planned.url.startswith(opened.endpoint.base_url.rstrip("/").rsplit("/", 1)[0])
        assert "Reviewed" in planned.body or "Reviewed" in planned.url
        for secret in secrets_of(opened):
            assert secret not in planned.text, "a planned write shows a secret"


async def test_paging_and_sorting_happen_where_the_entity_says(opened: Opened) -> None:
    backend = opened.backend
    for info in await backend.entities():
        page = await backend.list(info.name, Query(page_size=5))
        assert page.paged_by_server is info.server_paging, info.name
        sortable = next((f for f in await backend.fields(info.name) if f.sortable), None)
        if sortable is None:
            continue
        # A field marked sortable sorts, by the server or by crmdesk, as the entity says.
        sorted_page = await backend.list(info.name, Query(page_size=5, sort=SortKey(sortable.name)))
        assert sorted_page.sorted_by_server is info.server_sorting, info.name


async def test_filters_are_taken_only_where_the_entity_says(opened: Opened) -> None:
    backend = opened.backend
    for info in await backend.entities():
        before = sent(opened)
        name = info.filters[0] if info.filters else "name"
        query = Query(filters={name: "zzz-no-such-value"})
        if not info.filterable:
            with pytest.raises(ApiError) as caught:
                await backend.list(info.name, query)
            assert caught.value.kind is ErrorKind.UNSUPPORTED
            assert sent(opened) == before
            continue
        if info.filters:
            with pytest.raises(ApiError):
                await backend.list(info.name, Query(filters={"no_such_filter": "x"}))
            assert sent(opened) == before, "an unknown filter must be refused before the network"


async def test_every_action_can_be_described_without_doing_it(opened: Opened) -> None:
    backend = opened.backend
    for info in await backend.entities():
        if not info.actions:
            continue
        record_id = await a_record(backend, info)
        assert record_id is not None
        for action in info.actions:
            before = sent(opened)
            inputs = await backend.action_inputs(info.name, record_id, action.name)
            args = {
                f.name: (f.options[0] if f.options else "198.51.100.9")
                for f in inputs
                if f.required
            }
            preview = await backend.preview_action(info.name, record_id, action.name, args)
            assert preview.action == action
            assert preview.summary.endswith(".")
            assert preview.api_calls >= 1
            assert (preview.cost is not None) is action.costs_money, action.name
            writes = [r for r in opened.emulator.requests[before:] if r.method not in ("GET",)]
            assert all(b"order" not in r.body for r in writes), "a preview must not order"


async def test_a_replay_is_signed_by_the_connection_and_stays_on_its_server(opened: Opened) -> None:
    backend = opened.backend
    info = (await backend.entities())[0]
    await backend.list(info.name, Query(page_size=2))
    recorded = [e for e in backend.exchange_log if not e.auth][-1]
    request = RawRequest(
        recorded.method, recorded.url, recorded.request_headers, recorded.request_body
    )

    assert not backend.writes(request)  # a production connection would not ask
    again = await backend.replay(request)

    assert again.status == recorded.status == 200
    assert again.note == "replay"
    with pytest.raises(ApiError) as caught:
        await backend.replay(RawRequest("GET", "https://elsewhere.example/steal"))
    assert "own server" in caught.value.message


async def test_a_read_only_connection_replays_reads_and_refuses_writes(
    kind: str, opened: Opened
) -> None:
    endpoint = opened.endpoint
    async with open_backend(
        kind, endpoint.base_url, endpoint.credentials, read_only=True, **endpoint.options
    ) as backend:
        info = (await backend.entities())[0]
        await backend.list(info.name, Query(page_size=2))
        read = [e for e in backend.exchange_log if not e.auth][-1]
        replayed = await backend.replay(
            RawRequest(read.method, read.url, read.request_headers, read.request_body)
        )
        assert replayed.status == 200
        writable = next(i for i in await backend.entities() if i.can_update or i.actions)
        record_id = await a_record(backend, writable)
        assert record_id is not None
    # The same connection, writable, plans a write; replaying that plan read-only is refused.
    async with open_backend(
        kind, endpoint.base_url, endpoint.credentials, **endpoint.options
    ) as rw:
        if writable.can_update:
            field = next(f for f in await rw.fields(writable.name) if not f.read_only)
            plan = await rw.plan_update(writable.name, record_id, {field.name: "x"})
            body = plan.body.encode()
            write = RawRequest(plan.method, plan.url, (("Content-Type", plan.content_type),), body)
        else:
            return
    async with open_backend(
        kind, endpoint.base_url, endpoint.credentials, read_only=True, **endpoint.options
    ) as backend:
        assert backend.writes(write)
        before = sent(opened)
        with pytest.raises(ApiError) as caught:
            await backend.replay(write)
        assert caught.value.kind is ErrorKind.READ_ONLY
        assert sent(opened) == before
