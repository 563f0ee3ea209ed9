"""The `/service` emulator: one form-POST URL, a login on every call, and its way of failing.

Every command is a POST of form fields to `/service` (also `/service.php`, as some sites name
it) carrying `ai_login_id`, `ai_login_password` and `ai_command`. A bad login or an unknown
command answers HTTP 200 with a non-zero `status`, as the PHP platform does; HTTP errors only
come from the fault injector. A GET shows the documentation page, as the real sites do.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Mapping

from aiohttp import web

from crmdesk.sandbox.aicore.commands import SiteCommands, answer_params
from crmdesk.sandbox.aicore.notify import AiCorePush
from crmdesk.sandbox.aicore.store import SiteStore
from crmdesk.sandbox.aicore.wire import (
    STATUS_BAD_COMMAND,
    STATUS_BAD_LOGIN,
    STATUS_FAILED,
    CommandError,
    json_answer,
    missing,
    pairs_response,
)
from crmdesk.sandbox.emulator import Emulator
from crmdesk.sandbox.faults import DEFAULT_HANG_SECONDS
from crmdesk.sandbox.pushadmin import add_push_routes

BASE_PATH = "/service"
DEFAULT_CREDENTIALS = {"login_id": "sandbox-api", "login_password": "sandbox-api-password"}
BAD_LOGIN = "Invalid API login ID or password"
_DOC_PAGE = (
    "<!DOCTYPE html><html><head><title>API Service Documentation</title></head><body>"
    "<h1>API Service Documentation</h1><p>All API requests to the server are made as a POST "
    "request to this URL.</p></body></html>"
)
_WRONG_TYPES = {
    "status": 0,
    "status_message": "Success",
    "lead_id": {"id": 1001},
    "event_id": ["7"],
    "user_id": {"value": 3},
    "num_results": [2],
    "total_results": {"value": 3},
    "leads": {"lead_id": "1001"},
    "users": "none",
    "events": 42,
}


class AiCoreEmulator(Emulator):
    """One dealer site's `/service` API, as API-NOTES.md section 5 and DESIGN.md describe it.

    `commands` limits the commands the site knows (the set varies per site); None knows all.
    """

    kind = "aicore"
    label = "API Service (/service) sandbox"

    def __init__(
        self,
        *,
        seed: int = 1,
        records_per_entity: int | None = None,
        credentials: Mapping[str, str] | None = None,
        commands: Iterable[str] | None = None,
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
        if set(self._credentials) != set(DEFAULT_CREDENTIALS):
            raise ValueError(f"credentials need exactly the keys {', '.join(DEFAULT_CREDENTIALS)}")
        self.store = SiteStore(seed, records_per_entity)
        self.commands = SiteCommands(self.store)
        self.known_commands = None if commands is None else frozenset(commands)
        # The site's notification sender: `push.register(url)`, then `push.burst(n)` etc.
        self.push = AiCorePush(self.store, self._credentials, seed=seed)

    @property
    def base_path(self) -> str:
        return BASE_PATH

    def credentials(self) -> dict[str, str]:
        return dict(self._credentials)

    def add_routes(self, app: web.Application) -> None:
        for path in (BASE_PATH, BASE_PATH + ".php"):
            app.router.add_route("POST", path, self._service)
            app.router.add_route("GET", path, self._documentation)
        add_push_routes(app, self.push)
        app.on_startup.append(self._start_push)

    async def _start_push(self, app: web.Application) -> None:
        await self.push.start()

    async def close(self) -> None:
        await super().close()
        await self.push.close()

    # -- how this API answers faults ----------------------------------------------------------

    def error_response(self, request: web.Request, status: int, message: str) -> web.Response:
        return pairs_response({"status": STATUS_FAILED, "status_message": message}, status)

    def rate_limited_response(self, request: web.Request, reset_in: int) -> web.Response:
        response = self.error_response(request, 429, "Too many requests; slow down.")
        response.headers["Retry-After"] = str(reset_in)
        return response

    def token_expired_response(self, request: web.Request) -> web.Response:
        # No tokens here: a login the server stops accepting looks like a bad login.
        return pairs_response({"status": STATUS_BAD_LOGIN, "status_message": BAD_LOGIN})

    def wrong_types_payload(self, request: web.Request) -> object:
        return _WRONG_TYPES

    # -- the one URL ---------------------------------------------------------------------------

    async def _documentation(self, request: web.Request) -> web.Response:
        return web.Response(text=_DOC_PAGE, content_type="text/html")

    async def _service(self, request: web.Request) -> web.Response:
        posted = await request.post()
        form: dict[str, str] = {}
        for name, value in posted.items():
            if isinstance(value, str):
                form.setdefault(name, value)
        try:
            return self._answer(form)
        except CommandError as error:
            return pairs_response(error.answer())
        except Exception:
            request.app.logger.exception("aicore emulator failed on %s", form.get("ai_command"))
            answer = {"status": STATUS_FAILED, "status_message": "An unexpected error has occurred"}
            return pairs_response(answer, 500)

    def _answer(self, form: Mapping[str, str]) -> web.Response:
        if not self._login_ok(form):
            raise CommandError(STATUS_BAD_LOGIN, BAD_LOGIN)
        command = form.get("ai_command", "").strip()
        if not command:
            raise missing("ai_command")
        if self.known_commands is not None and command not in self.known_commands:
            raise CommandError(STATUS_BAD_COMMAND, f"Invalid command: {command}")
        answer, answer_format = self.commands.run(command, answer_params(form))
        if answer_format == "json":
            return json_answer(answer)
        if answer_format == "json-as-html":
            return json_answer(answer, content_type="text/html")
        assert isinstance(answer, dict)
        return pairs_response(answer)

    def _login_ok(self, form: Mapping[str, str]) -> bool:
        given_id = form.get("ai_login_id", "").encode()
        given_password = form.get("ai_login_password", "").encode()
        id_ok = hmac.compare_digest(given_id, self._credentials["login_id"].encode())
        password_ok = hmac.compare_digest(
            given_password, self._credentials["login_password"].encode()
        )
        return id_ok and password_ok
