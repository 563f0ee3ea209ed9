"""A plain httpx caller of the /service emulator for tests (deliberately not crmdesk.api)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

import httpx


class Service:
    """Posts commands to the emulator as a client would, with plain httpx (not crmdesk.api)."""

    def __init__(self, client: httpx.AsyncClient, url: str, login: dict[str, str]) -> None:
        self.client = client
        self.url = url
        self.login = {
            "ai_login_id": login["login_id"],
            "ai_login_password": login["login_password"],
        }

    async def post(self, command: str, **params: Any) -> httpx.Response:
        form = {**self.login, "ai_command": command, **{k: str(v) for k, v in params.items()}}
        return await self.client.post(self.url, data=form)

    async def pairs(self, command: str, **params: Any) -> dict[str, str]:
        """A command's URL-encoded answer as a flat mapping of its (bracketed) names."""
        response = await self.post(command, **params)
        assert response.headers["content-type"].startswith("text/html")
        return dict(parse_qsl(response.text, keep_blank_values=True))

    async def json(self, command: str, **params: Any) -> Any:
        return json.loads((await self.post(command, **params)).text)
