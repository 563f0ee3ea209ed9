"""The base of every API emulator: its aiohttp app, request log, fault plan and admin routes."""

from __future__ import annotations

import asyncio
import contextlib
import json
from abc import ABC, abstractmethod
from typing import ClassVar, assert_never

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from crmdesk.sandbox.admin import ADMIN_PREFIX, add_admin_routes
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS, Fault, FaultPlan, PlannedFault
from crmdesk.sandbox.requestlog import RecordedRequest, RequestLog

_BAD_GATEWAY_PAGE = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_LOGGED = web.RequestKey("crmdesk_sandbox_logged", RecordedRequest)
_DROPPED = web.RequestKey("crmdesk_sandbox_dropped", bool)


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX)


class Emulator(ABC):
    """One emulated API, served by the aiohttp app that `build_app` returns.

    Subclasses supply the routes and the dialect's way of saying errors; this class owns what
    every emulator shares: the request log, fault injection and the admin endpoint.
    """

    kind: ClassVar[str]
    label: ClassVar[str]

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        request_log_size: int = 1000,
    ) -> None:
        self.seed = seed
        self.records_per_entity = records_per_entity
        self.faults = FaultPlan(hang_seconds)
        self._log = RequestLog(request_log_size)
        self._closing = asyncio.Event()

    # -- what callers see -------------------------------------------------------------------

    @property
    @abstractmethod
    def base_path(self) -> str:
        """The path prefix of the API on this server, e.g. "/api/v1"."""

    @abstractmethod
    def credentials(self) -> dict[str, str]:
        """The secrets a client needs, keyed as the client's profile keys them."""

    def options(self) -> dict[str, object]:
        """Connection options a client needs beyond the credentials."""
        return {}

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far (admin calls excluded), oldest first."""
        return self._log.snapshot()

    def clear_requests(self) -> None:
        self._log.clear()

    def expire_tokens(self) -> None:  # noqa: B027 - a hook: APIs without tokens do nothing
        """Make every issued token expired."""

    def build_app(self) -> web.Application:
        middlewares: list[Middleware] = [self._record, self._misbehave, *self.api_middlewares()]
        app = web.Application(middlewares=middlewares)
        add_admin_routes(app, self)
        self.add_routes(app)
        return app

    async def close(self) -> None:
        """Wake every hanging request so the server can shut down at once."""
        self._closing.set()

    # -- what subclasses provide -----------------------------------------------------------

    @abstractmethod
    def add_routes(self, app: web.Application) -> None: ...

    def api_middlewares(self) -> list[Middleware]:
        return []

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        """How this API says an error; the fault injector uses it too."""
        return web.json_response({"message": message}, status=status)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        return self.error_response(request, 429, "Too many requests.")

    def token_expired_response(self, request: web.Request) -> web.Response:
        return self.error_response(request, 401, "Token expired.")

    def wrong_types_payload(self, request: web.Request) -> object:
        """JSON that parses but has the wrong shape for whatever was asked."""
        return {"data": "not a list", "total": {"value": 3}, "items": 42}

    async def fault_target(self, request: web.Request) -> str:
        """What a fault's `path` filter is matched against: the URL path, unless the API names
        the operation elsewhere (in a form field, say)."""
        return request.path

    def decorate_fault_response(  # noqa: B027 - a hook, empty for APIs without such headers
        self, request: web.Request, response: web.StreamResponse
    ) -> None:
        """Add the headers this API puts on every answer (e.g. rate-limit headers)."""

    # -- middlewares ------------------------------------------------------------------------

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_admin_path(request.path):
            return await handler(request)
        entry = RecordedRequest(
            method=request.method,
            path=request.path,
            query=dict(request.query),
            headers=dict(request.headers),
            body=await request.read(),
        )
        self._log.add(entry)
        request[_LOGGED] = entry
        try:
            response = await handler(request)
        except web.HTTPException as exc:
            entry.status = exc.status
            raise
        if not request.get(_DROPPED):
            entry.status = response.status
        return response

    @web.middleware
    async def _misbehave(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_admin_path(request.path):
            return await handler(request)
        planned = self.faults.take(request.method, await self.fault_target(request))
        if planned is None:
            return await handler(request)
        # Recorded now, so a test can see a hanging request and why it hangs.
        if _LOGGED in request:
            request[_LOGGED].fault = planned.fault.value
        response = await self._apply(planned, request, handler)
        if not request.get(_DROPPED):
            self.decorate_fault_response(request, response)
        return response

    async def _apply(
        self, planned: PlannedFault, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        fault = planned.fault
        # 401 and 403 are answered before the API looks at the request: nothing is done.
        if fault is Fault.HTTP_401:
            return self.error_response(request, 401, "Authentication required.")
        if fault is Fault.HTTP_403:
            return self.error_response(request, 403, "Access denied.")
        if fault is Fault.HTTP_500:
            return self.error_response(request, 500, "An unexpected error has occurred.")
        if fault is Fault.HTTP_503:
            return self.error_response(request, 503, "The service is temporarily unavailable.")
        if fault is Fault.HTTP_429:
            return self.rate_limited_response(request, reset_in=max(1, round(planned.seconds)))
        if fault is Fault.TOKEN_EXPIRED:
            return self.token_expired_response(request)
        if fault is Fault.HTML_ERROR_PAGE:
            return web.Response(status=502, text=_BAD_GATEWAY_PAGE, content_type="text/html")
        if fault is Fault.WRONG_TYPES:
            return web.json_response(self.wrong_types_payload(request))
        if fault is Fault.EMPTY_BODY:
            return web.Response(status=200, body=b"", content_type="application/json")
        if fault is Fault.DROP_CONNECTION:
            return self._drop(request)
        if fault is Fault.HANG:
            # Waiting on the closing event rather than sleeping lets stop() end hangs at once.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), planned.seconds)
            return await handler(request)
        if fault is Fault.MALFORMED_JSON:
            return await self._truncated(request, handler)
        assert_never(fault)

    def _drop(self, request: web.Request) -> web.StreamResponse:
        request[_DROPPED] = True
        transport = request.transport
        if transport is not None:
            transport.abort()
        # aiohttp notices the closed transport and writes nothing of this.
        return web.Response(status=200)

    async def _truncated(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        # The real work happens, only the answer is cut short, as when a proxy drops mid-body.
        try:
            real = await handler(request)
        except web.HTTPException as exc:
            real = exc
        body = real.body if isinstance(real, web.Response) else None
        raw = body if isinstance(body, bytes) else json.dumps({"Message": "ok"}).encode()
        cut = raw[: max(1, len(raw) // 2)]
        response = web.Response(status=200, body=cut, content_type="application/json")
        for name, value in real.headers.items():
            if name.lower() not in {"content-type", "content-length"}:
                response.headers[name] = value
        return response
