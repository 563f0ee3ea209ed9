"""What every emulated pusher offers (`Pusher`), and its admin endpoint, by hand:

GET  /__sandbox__/push            settings, state and counts
POST /__sandbox__/push            {"url": ..., "rate": ..., ...} (see each pusher's apply)
POST /__sandbox__/push/burst      {"count": 50}
POST /__sandbox__/push/periodic   {"every": 4} or {"every": null} to stop
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

from aiohttp import web

from crmdesk.sandbox.admin import ADMIN_PREFIX, loopback_only


class Pusher(Protocol):
    """An emulated server's notification sender (aicore push, GetResponse webhooks)."""

    url: str | None

    def register(self, url: str | None) -> None: ...
    def set_rate(self, rate: float | None) -> None: ...
    def burst(self, count: int) -> list[dict[str, Any]]: ...
    def start_periodic(self, every: float = 4.0) -> None: ...
    def stop_periodic(self) -> None: ...
    async def drain(self, timeout: float | None = None) -> bool: ...
    def apply(self, settings: Mapping[str, Any]) -> None: ...
    def describe(self) -> dict[str, Any]: ...


def number(settings: Mapping[str, Any], name: str, *, whole: bool = False) -> float | None:
    """A setting that must be a positive number if given; ValueError in words."""
    value = settings.get(name)
    if value is None:
        return None
    kinds = int if whole else (int, float)
    if not isinstance(value, kinds) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{name} must be a positive {'whole ' if whole else ''}number")
    return float(value)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _body(request: web.Request) -> dict[str, Any] | web.Response:
    try:
        spec = json.loads(await request.read() or b"{}")
    except ValueError:
        return _error(400, "Body must be JSON.")
    if not isinstance(spec, dict):
        return _error(400, "Body must be a JSON object.")
    return spec


def add_push_routes(app: web.Application, pusher: Pusher) -> None:
    async def show(request: web.Request) -> web.Response:
        return web.json_response(pusher.describe())

    async def apply(request: web.Request) -> web.Response:
        spec = await _body(request)
        if isinstance(spec, web.Response):
            return spec
        try:
            pusher.apply(spec)
        except ValueError as exc:
            return _error(400, str(exc))
        return web.json_response(pusher.describe())

    async def burst(request: web.Request) -> web.Response:
        spec = await _body(request)
        if isinstance(spec, web.Response):
            return spec
        count = spec.get("count", 10)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 100_000:
            return _error(400, "count must be a whole number from 1 to 100000.")
        pusher.burst(count)
        return web.json_response(pusher.describe())

    async def periodic(request: web.Request) -> web.Response:
        spec = await _body(request)
        if isinstance(spec, web.Response):
            return spec
        try:
            every = number(spec, "every")
        except ValueError as exc:
            return _error(400, str(exc))
        if every is None:
            pusher.stop_periodic()
        else:
            pusher.start_periodic(every)
        return web.json_response(pusher.describe())

    prefix = ADMIN_PREFIX + "push"
    app.router.add_route("GET", prefix, loopback_only(show))
    app.router.add_route("POST", prefix, loopback_only(apply))
    app.router.add_route("POST", prefix + "/burst", loopback_only(burst))
    app.router.add_route("POST", prefix + "/periodic", loopback_only(periodic))
