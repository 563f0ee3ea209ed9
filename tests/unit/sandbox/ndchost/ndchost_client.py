"""A plain httpx client for the NDCHost emulator (deliberately not crmdesk.api)."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from crmdesk.sandbox import Sandbox, SandboxEndpoint


class ClientApi:
    """Posts `m=clientapi` calls with the sandbox's key, or whatever a test overrides."""

    def __init__(self, client: httpx.AsyncClient, endpoint: SandboxEndpoint) -> None:
        self.client = client
        self.endpoint = endpoint
        self.url = endpoint.base_url

    async def call(self, module: str, function: str, **params: str) -> httpx.Response:
        form = {
            "m": "clientapi",
            "apikey": self.endpoint.credentials["apikey"],
            "apimodule": module,
            "apifunction": function,
            **params,
        }
        return await self.post({k: v for k, v in form.items() if v is not None})

    async def post(self, form: dict[str, str]) -> httpx.Response:
        return await self.client.post(self.url, data=form)

    async def data(self, module: str, function: str, **params: str) -> Any:
        """The `data` of a call that must succeed."""
        response = await self.call(module, function, **params)
        body = response.json()
        assert body["status"] == "success", body
        return body["data"]


_TLS = ssl.create_default_context()


def open_client_api(sandbox: Sandbox) -> tuple[httpx.AsyncClient, ClientApi]:
    endpoint = sandbox.endpoints[0]
    client = httpx.AsyncClient(timeout=10, verify=_TLS)
    return client, ClientApi(client, endpoint)
