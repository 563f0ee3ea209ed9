"""A plain httpx client for driving an emulator in tests (deliberately not crmdesk.api)."""

from __future__ import annotations

import ssl

import httpx

from crmdesk.sandbox import Sandbox, SandboxEndpoint


class Api:
    """A plain httpx client on one emulator, with the token once `login` has run."""

    def __init__(self, client: httpx.AsyncClient, endpoint: SandboxEndpoint) -> None:
        self.client = client
        self.endpoint = endpoint
        self.token: str | None = None

    async def login(self) -> httpx.Response:
        response = await self.client.post("authenticate", headers=self.endpoint.credentials)
        self.token = response.json()["token"]
        return response

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    async def get(self, path: str, **params: object) -> httpx.Response:
        query = {name: str(value) for name, value in params.items()}
        return await self.client.get(path, params=query, headers=self._auth())

    async def post(self, path: str, body: object = None) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self._auth())

    async def put(self, path: str, body: object = None) -> httpx.Response:
        return await self.client.put(path, json=body, headers=self._auth())

    async def delete(self, path: str) -> httpx.Response:
        return await self.client.delete(path, headers=self._auth())

    async def send(self, method: str, path: str, content: bytes) -> httpx.Response:
        return await self.client.request(method, path, content=content, headers=self._auth())


# Loading the CA bundle costs ~30 ms per client; the sandbox is plain HTTP, so build it once.
_TLS = ssl.create_default_context()


def open_api(sandbox: Sandbox) -> tuple[httpx.AsyncClient, Api]:
    endpoint = sandbox.endpoints[0]
    client = httpx.AsyncClient(base_url=endpoint.base_url + "/", timeout=10, verify=_TLS)
    return client, Api(client, endpoint)
