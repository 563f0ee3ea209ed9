"""The GetResponse emulator's contacts replies validate against GetResponse's own OpenAPI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from crmdesk.sandbox import Fault, GetResponseEmulator

openapi_core = pytest.importorskip("openapi_core")
from openapi_core.testing import MockRequest, MockResponse  # noqa: E402

pytestmark = pytest.mark.asyncio

# shared/ sits beside the checkout (CI clones it there too); nothing is copied into the repo.
# CRMDESK_SHARED_DIR points elsewhere, e.g. from a git worktree that is not beside shared/.
_REPO = Path(__file__).resolve().parents[4]
SHARED = Path(os.environ.get("CRMDESK_SHARED_DIR") or _REPO.parent / "shared")
SPEC = SHARED / "specs" / "getresponse-contacts-openapi.json"
LIVE_ORIGIN = "https://api.getresponse.com"


@pytest.fixture(scope="module")
def openapi() -> Any:
    if not SPEC.exists():
        pytest.skip(f"GetResponse's OpenAPI is not at {SPEC}: put shared/ beside the checkout")
    return openapi_core.OpenAPI.from_dict(json.loads(SPEC.read_text()))


def check(openapi: Any, reply: httpx.Response, pattern: str | None = None) -> None:
    """Validate one reply, as if the live API had sent it."""
    path = "/v3" + reply.request.url.path.removeprefix("/v3")
    request = MockRequest(
        LIVE_ORIGIN,
        reply.request.method,
        path,
        path_pattern=pattern,
        args=dict(reply.request.url.params),
    )
    response = MockResponse(
        reply.content,
        status_code=reply.status_code,
        headers=dict(reply.headers),
        content_type=reply.headers.get("content-type", "application/json").split(";")[0],
    )
    openapi.validate_response(request, response)


async def first_contact(api: httpx.AsyncClient) -> dict[str, Any]:
    found: dict[str, Any] = (await api.get("contacts", params={"perPage": 1})).json()[0]
    return found


async def test_contact_list(api: httpx.AsyncClient, openapi: Any) -> None:
    reply = await api.get("contacts", params={"perPage": 50, "sort[createdOn]": "DESC"})
    check(openapi, reply)


async def test_one_contact(api: httpx.AsyncClient, openapi: Any) -> None:
    contact = await first_contact(api)
    check(openapi, await api.get(f"contacts/{contact['contactId']}"))


async def test_every_generated_contact(api: httpx.AsyncClient, openapi: Any) -> None:
    for item in (await api.get("contacts", params={"perPage": 50})).json():
        check(openapi, await api.get(f"contacts/{item['contactId']}"))


async def test_queued_create(api: httpx.AsyncClient, openapi: Any) -> None:
    campaign = (await api.get("campaigns", params={"perPage": 1})).json()[0]["campaignId"]
    body = {"email": "spec@example.org", "campaign": {"campaignId": campaign}}
    check(openapi, await api.post("contacts", json=body))


async def test_update_and_delete(api: httpx.AsyncClient, openapi: Any) -> None:
    contact = await first_contact(api)
    path = f"contacts/{contact['contactId']}"
    check(openapi, await api.post(path, json={"name": "Spec Checked", "note": "ok"}))
    check(openapi, await api.delete(path))


async def test_upserted_tags(api: httpx.AsyncClient, openapi: Any) -> None:
    contact = await first_contact(api)
    tag = (await api.get("tags", params={"perPage": 1})).json()[0]["tagId"]
    reply = await api.post(f"contacts/{contact['contactId']}/tags", json={"tags": [{"tagId": tag}]})
    check(openapi, reply)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "contacts?query[colour]=red", None),  # 400
        ("GET", "contacts/nope1", None),  # 404
        ("POST", "contacts", {"email": "not-an-email", "campaign": {"campaignId": "x"}}),  # 400
    ],
)
async def test_errors(
    api: httpx.AsyncClient, openapi: Any, method: str, path: str, body: object
) -> None:
    reply = await api.request(method, path, json=body)
    assert reply.status_code >= 400
    check(openapi, reply)


async def test_conflict(api: httpx.AsyncClient, openapi: Any) -> None:
    contact = (await api.get(f"contacts/{(await first_contact(api))['contactId']}")).json()
    body = {
        "email": contact["email"],
        "campaign": {"campaignId": contact["campaign"]["campaignId"]},
    }
    reply = await api.post("contacts", json=body)
    assert reply.status_code == 409
    check(openapi, reply)


async def test_auth_failure(api: httpx.AsyncClient, openapi: Any) -> None:
    reply = await api.get("contacts", headers={"X-Auth-Token": "api-key wrong"})
    assert reply.status_code == 401
    check(openapi, reply)


async def test_throttled(
    api: httpx.AsyncClient, openapi: Any, emulator: GetResponseEmulator
) -> None:
    emulator.faults.inject(Fault.HTTP_429)
    reply = await api.get("contacts")
    assert reply.status_code == 429
    check(openapi, reply)


async def test_the_validator_catches_a_wrong_reply(
    api: httpx.AsyncClient, openapi: Any, emulator: GetResponseEmulator
) -> None:
    emulator.faults.inject(Fault.WRONG_TYPES)
    reply = await api.get("contacts")
    with pytest.raises(openapi_core.validation.response.exceptions.DataValidationError):
        check(openapi, reply)
