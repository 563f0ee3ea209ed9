"""A receiver for the sandbox pushers' tests: records what arrives and answers as scripted
(plain aiohttp, deliberately not crmdesk.inbox)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

Answer = Callable[[dict[str, Any], web.Request], web.Response]


def ok(body: dict[str, Any], request: web.Request) -> web.Response:
    return web.json_response({"status": "OK"})


@dataclass
class Receiver:
    url: str = ""
    answer: Answer = ok
    received: list[tuple[dict[str, Any], dict[str, str]]] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    hold: float = 0.0

    def bodies(self, request: str | None = None) -> list[dict[str, Any]]:
        return [body for body, _ in self.received if request in (None, body.get("request"))]

    def messages(self) -> list[dict[str, Any]]:
        return [m for body in self.bodies("delivery") for m in body["messages"]]

    async def handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            body = json.loads(await request.read())
            self.received.append((body, dict(request.headers)))
            if self.hold:
                await asyncio.sleep(self.hold)
            return self.answer(body, request)
        finally:
            self.in_flight -= 1


@asynccontextmanager
async def receiving(answer: Answer = ok) -> AsyncIterator[Receiver]:
    receiver = Receiver(answer=answer)
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=1.0, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    receiver.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        yield receiver
    finally:
        await runner.cleanup()
