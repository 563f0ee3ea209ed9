"""The NDCHost client API emulator: one form-POST endpoint, an API key, and its error envelope."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from crmdesk.sandbox.emulator import Emulator, is_admin_path
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS
from crmdesk.sandbox.ndchost.routes import (
    BASE_PATH,
    INVALID_KEY,
    NDCHostRoutes,
    error_envelope,
    operation,
    read_params,
)
from crmdesk.sandbox.ndchost.store import Account

DEFAULT_APIKEY = "ndc-sandbox-3f9c2a7e51b84d06"
_WRONG_TYPES = {
    "status": "success",
    "message": 17,
    "data": "firstname=Heidi&lastname=Young",
}


class NDCHostEmulator(Emulator):
    """NDCHost's client API (a WHMCS addon) as the wiki and DESIGN.md's decisions describe it.

    Faults are matched against `/index.php/<apimodule>/<apifunction>`, so a test can make one
    function misbehave: every call has the same URL path.
    """

    kind = "ndchost"
    label = "NDCHost sandbox"

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        apikey: str = DEFAULT_APIKEY,
        api_enabled: bool = True,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        request_log_size: int = 1000,
    ) -> None:
        super().__init__(
            seed=seed,
            records_per_entity=records_per_entity,
            hang_seconds=hang_seconds,
            request_log_size=request_log_size,
        )
        if not apikey:
            raise ValueError("the sandbox needs a non-empty apikey")
        self._apikey = apikey
        self.account = Account(seed, records_per_entity)
        self.routes = NDCHostRoutes(self.account, apikey, api_enabled=api_enabled)

    @property
    def base_path(self) -> str:
        return BASE_PATH

    def credentials(self) -> dict[str, str]:
        return {"apikey": self._apikey}

    def add_routes(self, app: web.Application) -> None:
        self.routes.register(app)

    def api_middlewares(self) -> list[Middleware]:
        return [self._guard]

    async def fault_target(self, request: web.Request) -> str:
        if request.path != BASE_PATH:
            return request.path
        return f"{BASE_PATH}/{operation(await read_params(request))}"

    # -- how this API answers faults --------------------------------------------------------

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        return error_envelope(message, status)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        # The API documents no limit; this is what a fronting proxy's limiter would send.
        response = error_envelope("Too many requests, slow down.", 429)
        response.headers["Retry-After"] = str(reset_in)
        return response

    def token_expired_response(self, request: web.Request) -> web.Response:
        # No tokens here: the nearest thing is a key revoked in the portal mid-session.
        return error_envelope(INVALID_KEY)

    def wrong_types_payload(self, request: web.Request) -> object:
        return _WRONG_TYPES

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """A bug in the emulator still answers in the API's envelope; the log keeps it."""
        if is_admin_path(request.path):
            return await handler(request)
        try:
            return await handler(request)
        except web.HTTPException:
            raise
        except Exception:
            request.app.logger.exception("NDCHost emulator failed on %s", request.path)
            return error_envelope("An internal error occurred", 500)
