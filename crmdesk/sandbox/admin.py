"""The `/__sandbox__/` endpoint: faults and the request log of a running emulator, by hand."""

from __future__ import annotations

import ipaddress
import json
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.typedefs import Handler

from crmdesk.sandbox.faults import Fault, PlannedFault

if TYPE_CHECKING:
    from crmdesk.sandbox.emulator import Emulator

ADMIN_PREFIX = "/__sandbox__/"


def add_admin_routes(app: web.Application, emulator: Emulator) -> None:
    admin = _Admin(emulator)
    routes: list[tuple[str, str, Handler]] = [
        ("GET", "faults", admin.list_faults),
        ("POST", "faults", admin.inject),
        ("DELETE", "faults", admin.clear_faults),
        ("GET", "requests", admin.list_requests),
        ("DELETE", "requests", admin.clear_requests),
        ("POST", "expire-tokens", admin.expire_tokens),
    ]
    for method, name, handler in routes:
        app.router.add_route(method, ADMIN_PREFIX + name, loopback_only(handler))


def loopback_only(handler: Handler) -> Handler:
    # The server may be bound to a public address from the command line; the admin is not.
    async def guarded(request: web.Request) -> web.StreamResponse:
        if not _is_loopback(request.remote):
            return _error(403, "The sandbox admin endpoint answers loopback clients only.")
        return await handler(request)

    return guarded


def _is_loopback(remote: str | None) -> bool:
    if remote is None:
        return False
    try:
        return ipaddress.ip_address(remote).is_loopback
    except ValueError:
        return False


def _describe(planned: PlannedFault) -> dict[str, object]:
    return {
        "fault": planned.fault.value,
        "remaining": planned.remaining,
        "path": planned.path,
        "method": planned.method,
        "seconds": planned.seconds,
    }


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class _Admin:
    def __init__(self, emulator: Emulator) -> None:
        self._emulator = emulator

    async def list_faults(self, request: web.Request) -> web.Response:
        return web.json_response({"pending": [_describe(p) for p in self._emulator.faults.pending]})

    async def inject(self, request: web.Request) -> web.Response:
        try:
            spec = json.loads(await request.read())
        except ValueError:
            return _error(400, "Body must be JSON.")
        if not isinstance(spec, dict):
            return _error(400, "Body must be a JSON object.")
        try:
            fault = Fault(str(spec.get("fault", "")).upper())
        except ValueError:
            return _error(400, f"fault must be one of {', '.join(f.value for f in Fault)}.")
        count, seconds = spec.get("count", 1), spec.get("seconds")
        path, method = spec.get("path"), spec.get("method")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            return _error(400, "count must be a positive integer.")
        if seconds is not None and not isinstance(seconds, int | float):
            return _error(400, "seconds must be a number.")
        if not isinstance(path, str | None) or not isinstance(method, str | None):
            return _error(400, "path and method must be strings.")
        self._emulator.faults.inject(
            fault, count, path, method, seconds=None if seconds is None else float(seconds)
        )
        return web.json_response({"pending": [_describe(p) for p in self._emulator.faults.pending]})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self._emulator.faults.clear()
        return web.json_response({"pending": []})

    async def list_requests(self, request: web.Request) -> web.Response:
        entries = [entry.to_json() for entry in self._emulator.requests]
        return web.json_response({"requests": entries})

    async def clear_requests(self, request: web.Request) -> web.Response:
        self._emulator.clear_requests()
        return web.json_response({"requests": []})

    async def expire_tokens(self, request: web.Request) -> web.Response:
        self._emulator.expire_tokens()
        return web.json_response({"expired": True})
