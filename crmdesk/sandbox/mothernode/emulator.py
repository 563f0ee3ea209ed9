"""The Mothernode emulator: HTTP Basic with an access key and API password, and its errors.

Decisions where the docs are silent (DESIGN.md 'API decisions' and API-NOTES section 1):
401 answers a missing or unknown key pair; 403 answers a valid read-only key that tries to
write (the docs give 401 and 403 the same words, so the emulator gives 403 the one meaning a
client can act on). Errors are `{"error": <reason>, "message": <text>}`. Unknown filter
fields and unknown or read-only fields in a write are 400s.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from crmdesk.sandbox.emulator import Emulator, is_admin_path
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS
from crmdesk.sandbox.mothernode.routes import WRITE_METHODS, Failure, MothernodeRoutes
from crmdesk.sandbox.mothernode.store import AccountStore

DEFAULT_CREDENTIALS = {"access_key": "MN-SANDBOX-4F2A9C", "api_password": "sandbox-api-password"}
READ_ONLY_CREDENTIALS = {"access_key": "MN-READONLY-77B1", "api_password": "read-only-password"}
_WRONG_TYPES = {
    "customers": {"customer_id": 42},
    "contacts": "none",
    "leads": 7,
    "notes": [1, 2, 3],
    "invoices": [{"header": "10000"}],
    "customer": ["not", "an", "object"],
    "contact": 12,
    "lead": None,
    "note": "text",
    "invoice": {"header": 5, "detail": "lines"},
}


def error_body(status: int, message: str) -> web.Response:
    reason = _REASONS.get(status, "Error")
    return web.json_response({"error": reason, "message": message}, status=status)


_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def _basic(request: web.Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    key, sep, password = decoded.partition(":")
    return (key, password) if sep else None


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class MothernodeEmulator(Emulator):
    """Mothernode CRM as the docs and DESIGN.md's decisions describe it."""

    kind = "mothernode"
    label = "Mothernode sandbox"

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        credentials: Mapping[str, str] | None = None,
        read_only_credentials: Mapping[str, str] | None = None,
        hang_seconds: float = DEFAULT_HANG_SECONDS,
        request_log_size: int = 1000,
    ) -> None:
        super().__init__(
            seed=seed,
            records_per_entity=records_per_entity,
            hang_seconds=hang_seconds,
            request_log_size=request_log_size,
        )
        self._credentials = dict(DEFAULT_CREDENTIALS if credentials is None else credentials)
        self._read_only = dict(
            READ_ONLY_CREDENTIALS if read_only_credentials is None else read_only_credentials
        )
        for given in (self._credentials, self._read_only):
            if set(given) != set(DEFAULT_CREDENTIALS):
                raise ValueError("credentials need exactly the keys access_key and api_password")
        self.store = AccountStore(seed, records_per_entity)
        self.routes = MothernodeRoutes(self.store)

    @property
    def base_path(self) -> str:
        return ""

    def credentials(self) -> dict[str, str]:
        return dict(self._credentials)

    def read_only_credentials(self) -> dict[str, str]:
        """A key pair that may read but not write (its writes answer 403)."""
        return dict(self._read_only)

    def add_routes(self, app: web.Application) -> None:
        self.routes.register(app)

    def api_middlewares(self) -> list[Middleware]:
        return [self._guard]

    # -- how this API answers faults --------------------------------------------------------

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        return error_body(status, message)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        # The docs name no rate limit; when a proxy throttles, Retry-After is what it sends.
        response = error_body(429, "Too many requests.")
        response.headers["Retry-After"] = str(reset_in)
        return response

    def token_expired_response(self, request: web.Request) -> web.Response:
        # Basic auth has no token: a key revoked mid-session is what "expired" means here.
        return error_body(401, "Your API key is missing or invalid.")

    def wrong_types_payload(self, request: web.Request) -> object:
        return _WRONG_TYPES

    # -- authentication, before any route ---------------------------------------------------

    def _access(self, request: web.Request) -> str | None:
        """'full' or 'read' for a known key pair, None otherwise."""
        given = _basic(request)
        if given is None:
            return None
        key, password = given
        for access, pair in (("full", self._credentials), ("read", self._read_only)):
            if _same(key, pair["access_key"]) and _same(password, pair["api_password"]):
                return access
        return None

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if is_admin_path(request.path):
            return await handler(request)
        access = self._access(request)
        if access is None:
            response = error_body(401, "Your API key is missing or invalid.")
            response.headers["WWW-Authenticate"] = 'Basic realm="Mothernode API"'
            return response
        if access == "read" and request.method in WRITE_METHODS:
            return error_body(403, "This API key may read but not change records.")
        try:
            return await handler(request)
        except Failure as failure:
            return error_body(failure.status, failure.message)
        except web.HTTPMethodNotAllowed as exc:
            response = error_body(405, f"{request.method} is not allowed here.")
            response.headers["Allow"] = exc.headers.get("Allow", "")
            return response
        except web.HTTPException as exc:
            return error_body(exc.status, exc.reason)
        except Exception:
            # A bug in the emulator still answers the way the API does; the log keeps it.
            request.app.logger.exception("Mothernode emulator failed on %s", request.path)
            return error_body(500, "The server encountered an error.")
