"""The GetResponse emulator: `X-Auth-Token: api-key …`, account limits, and ErrorResponse bodies.

Decisions where the docs are silent: a missing or malformed X-Auth-Token and an unknown key both
answer code 1014 with `auth_failure_status` (401 as in the OpenAPI examples; 403 as on the
errors page); a call beyond the 10 in flight is refused like a throttled one (429, code 1015).
"""

from __future__ import annotations

import asyncio
import hmac
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from crmdesk.sandbox.emulator import Emulator, is_admin_path
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS
from crmdesk.sandbox.getresponse.errors import ApiFailure, code_for_status, error_response
from crmdesk.sandbox.getresponse.limits import Limits, QuotaState
from crmdesk.sandbox.getresponse.routes import BASE_PATH, TIME_ZONE, GetResponseRoutes
from crmdesk.sandbox.getresponse.store import ResourceStore
from crmdesk.sandbox.getresponse.webhooks import WebhookPush
from crmdesk.sandbox.pushadmin import add_push_routes

DEFAULT_API_KEY = "sandbox0getresponse0api0key0000"
_AUTH_FAILED = "Unable to authenticate request. Check credentials or authentication method details"
_THROTTLED = "You have reached your requests limit for this time window, please wait..."
_WRONG_TYPES_LIST = {"contactId": 42, "email": ["not", "a", "string"], "campaign": "nope"}
_WRONG_TYPES_ITEM = [{"contactId": None}, 17, "x"]


class GetResponseEmulator(Emulator):
    """GetResponse APIv3 (contacts and lists), as its docs, its OpenAPI and DESIGN.md say."""

    kind = "getresponse"
    label = "GetResponse sandbox"

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        api_key: str = DEFAULT_API_KEY,
        domain: str | None = None,
        auth_failure_status: int = 401,
        rate_limit: int = 30_000,
        rate_window: float = 600.0,
        per_second: int = 80,
        max_in_flight: int = 10,
        latency: float = 0.0,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        request_log_size: int = 1000,
    ) -> None:
        super().__init__(
            seed=seed,
            records_per_entity=records_per_entity,
            hang_seconds=hang_seconds,
            request_log_size=request_log_size,
        )
        if auth_failure_status not in (401, 403):
            raise ValueError("auth_failure_status must be 401 or 403")
        self.api_key = api_key
        self.domain = domain
        self.auth_failure_status = auth_failure_status
        # Seconds every API call takes, so tests can hold calls in flight at the same time.
        self.latency = latency
        self.store = ResourceStore(seed, records_per_entity)
        self.limits = Limits(rate_limit, rate_window, per_second, max_in_flight)
        self.routes = GetResponseRoutes(self.store)
        # The account's webhooks: `push.register(url)`, then `push.burst(n)` etc.
        self.push = WebhookPush(self.store, seed=seed)

    @property
    def base_path(self) -> str:
        return BASE_PATH

    def credentials(self) -> dict[str, str]:
        return {"api_key": self.api_key}

    def options(self) -> dict[str, object]:
        return {"domain": self.domain} if self.domain else {}

    def add_routes(self, app: web.Application) -> None:
        self.routes.register(app)
        add_push_routes(app, self.push)
        app.on_startup.append(self._start_push)

    async def _start_push(self, app: web.Application) -> None:
        await self.push.start()

    async def close(self) -> None:
        await super().close()
        await self.push.close()

    def api_middlewares(self) -> list[Middleware]:
        return [self._guard]

    # -- how this API answers faults ----------------------------------------------------------

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        return error_response(status, code_for_status(status), message)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        state = QuotaState(self.limits.limit, 0, reset_in, refused=True, wait=reset_in)
        return self._throttled(state)

    def token_expired_response(self, request: web.Request) -> web.Response:
        # API keys expire after 90 days unused; the answer is the usual 1014.
        return self._auth_failed("The API key provided is expired")

    def wrong_types_payload(self, request: web.Request) -> object:
        item = request.path.rstrip("/").count("/") > 2
        return _WRONG_TYPES_ITEM if item else _WRONG_TYPES_LIST

    def decorate_fault_response(self, request: web.Request, response: web.StreamResponse) -> None:
        for name, value in self.limits.peek().headers().items():
            response.headers.setdefault(name, value)

    # -- answers --------------------------------------------------------------------------------

    def _auth_failed(self, message: str = _AUTH_FAILED) -> web.Response:
        context = {"authenticationType": "auth_token"}
        return error_response(self.auth_failure_status, 1014, message, context)

    def _throttled(self, state: QuotaState, parallel: bool = False) -> web.Response:
        wait = state.wait if state.wait is not None else state.reset_in
        if parallel:
            context: dict[str, object] = {
                "currentLimit": self.limits.max_in_flight,
                "timeToReset": "1 seconds",
                "limitType": "parallel requests",
            }
        else:
            context = {"currentLimit": state.limit, "timeToReset": f"{wait} seconds"}
        response = error_response(429, 1015, _THROTTLED, context)
        response.headers.update(state.headers())
        return response

    def _caller_problem(self, request: web.Request) -> web.Response | None:
        scheme, _, key = request.headers.get("X-Auth-Token", "").partition(" ")
        if scheme != "api-key" or not hmac.compare_digest(
            key.strip().encode(), self.api_key.encode()
        ):
            return self._auth_failed()
        if self.domain is not None and request.headers.get("X-Domain") != self.domain:
            # A MAX account answers as if the key were unknown when X-Domain is wrong.
            return self._auth_failed()
        zone = request.headers.get("X-Time-Zone")
        if zone:
            try:
                request[TIME_ZONE] = ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                return error_response(
                    400, 1021, f"Unknown time zone '{zone}'", {"X-Time-Zone": zone}
                )
        return None

    # -- before any route -----------------------------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_admin_path(request.path):
            return await handler(request)
        problem = self._caller_problem(request)
        if problem is not None:
            problem.headers.update(self.limits.peek().headers())
            return problem
        if not self.limits.enter():
            return self._throttled(self.limits.peek(), parallel=True)
        try:
            state = self.limits.spend()
            if state.refused:
                return self._throttled(state)
            if self.latency:
                await asyncio.sleep(self.latency)
            answer = await self._answer(request, handler)
        finally:
            self.limits.leave()
        answer.headers.update(state.headers())
        return answer

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiFailure as failure:
            return failure.response()
        except web.HTTPMethodNotAllowed as exc:
            response = error_response(
                405,
                1000,
                f"Method {request.method} is not allowed here",
                {"allowed": sorted(exc.allowed_methods)},
            )
            response.headers["Allow"] = exc.headers.get("Allow", "")
            return response
        except web.HTTPNotFound:
            return error_response(404, 1013, "Resource not found", {"path": request.path})
        except web.HTTPException as exc:
            return error_response(exc.status, code_for_status(exc.status), exc.reason)
        except Exception:
            # A bug in the emulator still answers the way the API does; the log keeps it.
            request.app.logger.exception("GetResponse emulator failed on %s", request.path)
            return error_response(500, 1, "Internal error")
