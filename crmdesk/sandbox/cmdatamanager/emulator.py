"""The CMDataManager emulator: token auth, per-client quota headers, and its way of failing."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from crmdesk.sandbox.cmdatamanager.access import DENIED, EXPIRED, Quota, QuotaState, TokenRegistry
from crmdesk.sandbox.cmdatamanager.app import (
    BASE_PATH,
    NO_ROUTE,
    CMDataManagerRoutes,
    Failure,
    TaskClosePaths,
)
from crmdesk.sandbox.cmdatamanager.schema import CUSTOM_ENTITIES
from crmdesk.sandbox.cmdatamanager.store import RecordStore
from crmdesk.sandbox.emulator import Emulator, is_admin_path
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS

DEFAULT_CREDENTIALS = {
    "client_id": "sandbox-client",
    "client_secret": "sandbox-client-secret",
    "username": "demo@crmdesk.example",
    "password": "demo-password",
}
_WRONG_TYPES = {
    "token": 12345,
    "Total Records": {"value": 237},
    "Total Pages": [24],
    "Total Page": {"value": 2},
    "Entity": {"ExternalID": 42, "Properties": "FirstName=Heidi"},
    "Field": {"Name": 7},
    "ExternalID": 42,
    "Properties": ["FirstName", "Heidi"],
    "Account ExternalID": None,
    "Message": 17,
}


def _bearer(request: web.Request) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def _message(status: int, text: str) -> web.Response:
    return web.json_response({"Message": text}, status=status)


class CMDataManagerEmulator(Emulator):
    """CMDataManager by Campaign Master, as the docs and DESIGN.md's decisions describe it."""

    kind = "cmdatamanager"
    label = "CMDataManager sandbox"

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        token_lifetime: float = 3600.0,
        rate_limit: int = 5000,
        rate_window: float = 3600.0,
        monthly_limit: int | None = None,
        task_close_paths: TaskClosePaths = "both",
        credentials: Mapping[str, str] | None = None,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        request_log_size: int = 1000,
    ) -> None:
        super().__init__(
            seed=seed,
            records_per_entity=records_per_entity,
            hang_seconds=hang_seconds,
            request_log_size=request_log_size,
        )
        if task_close_paths not in ("both", "upper", "lower"):
            raise ValueError("task_close_paths must be 'both', 'upper' or 'lower'")
        self._credentials = dict(DEFAULT_CREDENTIALS if credentials is None else credentials)
        if set(self._credentials) != set(DEFAULT_CREDENTIALS):
            raise ValueError(f"credentials need exactly the keys {', '.join(DEFAULT_CREDENTIALS)}")
        self.store = RecordStore(seed, records_per_entity)
        self.tokens = TokenRegistry(token_lifetime)
        self.quota = Quota(rate_limit, rate_window, monthly_limit)
        self.routes = CMDataManagerRoutes(
            self.store, self.tokens, self._credentials, task_close_paths
        )

    @property
    def base_path(self) -> str:
        return BASE_PATH

    def credentials(self) -> dict[str, str]:
        return dict(self._credentials)

    def options(self) -> dict[str, object]:
        return {"custom_entities": list(CUSTOM_ENTITIES)}

    def expire_tokens(self) -> None:
        self.tokens.expire_all()

    def add_routes(self, app: web.Application) -> None:
        self.routes.register(app)

    def api_middlewares(self) -> list[Middleware]:
        return [self._guard]

    # -- how this API answers faults ----------------------------------------------------------

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        return _message(status, message)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        limit = self.quota.limit
        state = QuotaState(limit, 0, math.ceil(time.time()) + reset_in)
        response = _message(429, f"API calls quota exceeded! maximum admitted {limit} per hour.")
        response.headers.update(state.headers())
        return response

    def token_expired_response(self, request: web.Request) -> web.Response:
        self.tokens.expire(_bearer(request))
        return _message(401, EXPIRED)

    def wrong_types_payload(self, request: web.Request) -> object:
        return _WRONG_TYPES

    def decorate_fault_response(self, request: web.Request, response: web.StreamResponse) -> None:
        if request.path == f"{BASE_PATH}/authenticate":
            return
        token, problem = self.tokens.check(_bearer(request))
        client_id = token.client_id if token is not None else self._credentials["client_id"]
        for name, value in self.quota.peek(client_id).headers().items():
            response.headers.setdefault(name, value)
        if token is not None and problem is None:
            response.headers.setdefault("x-token-reset", str(token.expires_at))

    # -- authorization and quota, before any route ----------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        if is_admin_path(path):
            return await handler(request)
        if not path.startswith(BASE_PATH + "/"):
            return _message(404, NO_ROUTE)
        if path == f"{BASE_PATH}/authenticate" and request.method == "POST":
            # Authenticate neither counts against the quota nor carries the quota headers.
            return await self._answer(request, handler)
        token, problem = self.tokens.check(_bearer(request))
        if token is None or problem is not None:
            # Refused calls aren't counted; the headers show the sandbox client's quota.
            client_id = token.client_id if token is not None else self._credentials["client_id"]
            response = _message(401, problem or DENIED)
            response.headers.update(self.quota.peek(client_id).headers())
            return response
        state = self.quota.spend(token.client_id)
        if state.refusal is not None:
            answer: web.StreamResponse = _message(429, state.refusal)
        else:
            answer = await self._answer(request, handler)
        answer.headers.update(state.headers())
        answer.headers["x-token-reset"] = str(token.expires_at)
        return answer

    async def _answer(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The handler's response, with every failure turned into {"Message": ...}."""
        try:
            return await handler(request)
        except Failure as failure:
            return _message(failure.status, failure.message)
        except web.HTTPMethodNotAllowed as exc:
            response = _message(
                405, f"The requested resource does not support http method '{request.method}'."
            )
            response.headers["Allow"] = exc.headers.get("Allow", "")
            return response
        except web.HTTPException as exc:
            return _message(exc.status, NO_ROUTE if exc.status == 404 else exc.reason)
        except Exception:
            # A bug in the emulator still answers the way the API does; the log keeps it.
            request.app.logger.exception("CMDataManager emulator failed on %s", request.path)
            return _message(500, "An error has occurred.")
