"""NotificationListener: one aiohttp.web server on the app's loop, one port for every
connection, one random token path per connection, and the push protocols behind them.

It acknowledges only what the store has made durable, and nothing it receives can raise out
of a handler: every request ends in a JSON reply, `{"status": "OK"}` or a reply that is not
OK (`{"status": "ERROR", "error": ...}`) with a 4xx or 5xx status, so the server sends again.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web

from crmdesk.api import NotificationProtocol
from crmdesk.inbox.http import (
    BODY_SECONDS,
    LINGER_SECONDS,
    MAX_BODY,
    HttpLog,
    Refused,
    charset_of,
    not_ok,
    ok,
    read_body,
    url_host,
)
from crmdesk.inbox.protocol import (
    AnswerMode,
    NewMessage,
    ProtocolError,
    authenticate_answer,
    read_aicore,
    read_webhook,
)
from crmdesk.inbox.routes import (
    ROUTE_PREFIX,
    ListenerEvent,
    Route,
    RouteStatus,
    route_path,
    token_hint,
)
from crmdesk.inbox.store import InboxStore, StoreError

log = logging.getLogger(__name__)
# Every message received is logged here at DEBUG: `crmdesk listen` turns it on as its record
# of what it took; in the app, at hundreds a second, it would only churn the log file.
received_log = logging.getLogger("crmdesk.inbox.received")

_SHUTDOWN_SECONDS = 3.0
_EVENTS_KEPT = 200


class NotificationListener:
    """The app's notification listener. `start()`, then `add_route()` per connection.

    `store` is not closed by `aclose()`: its owner closes it after the listener. Bound to
    127.0.0.1 unless `host` says otherwise; `port=0` takes any free port. `public_base_url`
    (e.g. a tunnel's address) replaces the bound address in `url_for`.
    """

    def __init__(
        self,
        store: InboxStore,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        public_base_url: str = "",
        max_body: int = MAX_BODY,
        body_seconds: float = BODY_SECONDS,
        confirm_delay: float = 0.5,
    ) -> None:
        self.store = store
        self.host = host
        self._port = port
        self.public_base_url = public_base_url.rstrip("/")
        self.max_body = max_body
        self.body_seconds = body_seconds
        # The confirmation waits a moment so the server has read the passive answer first.
        self.confirm_delay = confirm_delay
        self._routes: dict[str, Route] = {}
        self._status: dict[str, RouteStatus] = {}
        self._confirming: dict[str, asyncio.Task[None]] = {}
        self._events: deque[ListenerEvent] = deque(maxlen=_EVENTS_KEPT)
        self._subscribers: list[Callable[[ListenerEvent], None]] = []
        self._runner: web.ServerRunner | None = None
        self.unknown_requests = 0

    # -- life ---------------------------------------------------------------------------------

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the listener is already running")
        # The low-level server: one path pattern needs no router or middlewares, and each
        # costs CPU on every request.
        server = web.Server(
            self._handle,
            access_log=None,
            lingering_time=LINGER_SECONDS,
            logger=HttpLog(logging.getLogger("crmdesk.inbox.http"), {}),
        )
        # handle_signals=False: the app (Qt, or the headless command) owns the process.
        runner = web.ServerRunner(server, handle_signals=False, shutdown_timeout=_SHUTDOWN_SECONDS)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = runner.addresses[0][1]
        log.info("notification listener on %s:%d", self.host, self._port)

    async def aclose(self) -> None:
        for task in list(self._confirming.values()):
            task.cancel()
        for task in list(self._confirming.values()):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            log.info("notification listener stopped")

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def port(self) -> int:
        return self._port

    # -- routes -------------------------------------------------------------------------------

    def add_route(self, route: Route) -> None:
        """Listen on `route.path` (replacing any route with the same token)."""
        self._routes[route.token] = route
        self._status.setdefault(route.token, RouteStatus())

    def remove_route(self, token: str) -> None:
        self._routes.pop(token, None)
        self._status.pop(token, None)
        task = self._confirming.pop(token, None)
        if task is not None:
            task.cancel()

    @property
    def routes(self) -> tuple[Route, ...]:
        return tuple(self._routes.values())

    def url_for(self, route: Route | str) -> str:
        """The full URL to register with the connection's server."""
        token = route.token if isinstance(route, Route) else route
        base = self.public_base_url or f"http://{url_host(self.host)}:{self._port}"
        return base + route_path(token)

    def status(self, token: str) -> RouteStatus:
        """A copy of what the listener last saw on this route."""
        return dataclasses.replace(self._status.get(token) or RouteStatus())

    # -- events -------------------------------------------------------------------------------

    @property
    def events(self) -> list[ListenerEvent]:
        """The latest events, oldest first."""
        return list(self._events)

    def subscribe(self, subscriber: Callable[[ListenerEvent], None]) -> Callable[[], None]:
        """Call `subscriber` on the loop with every new event; returns the unsubscriber."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                self._subscribers.remove(subscriber)

        return unsubscribe

    def _event(self, route: Route, kind: str, text: str) -> None:
        event = ListenerEvent(time.time(), route.connection_id, route.connection_name, kind, text)
        self._events.append(event)
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                log.exception("a listener event subscriber failed")

    # -- requests -----------------------------------------------------------------------------

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        route = (
            self._routes.get(path[len(ROUTE_PREFIX) :]) if path.startswith(ROUTE_PREFIX) else None
        )
        if route is None:
            self.unknown_requests += 1
            return not_ok(404, "There is no notification address here.")
        status = self._status.setdefault(route.token, RouteStatus())
        try:
            if request.method != "POST":
                raise Refused(405, "Notifications are sent with POST.")
            body = await read_body(request, self.max_body, self.body_seconds)
            if route.protocol is NotificationProtocol.AICORE_PUSH:
                return await self._aicore(route, status, body, charset_of(request))
            return await self._webhook(route, status, request, body)
        except Refused as refused:
            self._rejected(route, status, refused.words)
            headers = {"Allow": "POST"} if refused.status == 405 else {}
            return not_ok(refused.status, refused.words, **headers)
        except Exception:
            # A bug here must cost one request, never the listener or the app.
            log.exception(
                "the notification listener failed on a request for %s", route.connection_name
            )
            return not_ok(500, "crmdesk failed on this request; send it again.")

    def _rejected(self, route: Route, status: RouteStatus, words: str) -> None:
        status.rejected += 1
        status.last_rejection = words
        status.last_rejection_at = time.time()
        log.warning("refused a request for %s: %s", route.connection_name, words)
        self._event(route, "rejected", words)

    # -- aicore push ----------------------------------------------------------------------------

    async def _aicore(
        self, route: Route, status: RouteStatus, body: bytes, charset: str | None
    ) -> web.Response:
        try:
            request = read_aicore(body, charset)
        except ProtocolError as exc:
            raise Refused(400, f"Not a notification request: {exc}.") from None
        if request.request == "authenticate":
            return self._authenticate(route, status, request.key)
        return await self._store(route, status, request.messages)

    def _authenticate(self, route: Route, status: RouteStatus, key: str | None) -> web.Response:
        status.last_authenticate_at = time.time()
        try:
            answer, used = authenticate_answer(route.mode, route.login_id, route.password, key)
            if used is not AnswerMode.PASSIVE and not (route.login_id and route.password):
                raise ProtocolError(f"crmdesk has no API login for {route.connection_name}")
        except ProtocolError as exc:
            status.last_answer = None
            status.last_authenticate_problem = str(exc)
            self._event(route, "authenticate", f"Refused: {exc}.")
            log.warning("authenticate for %s refused: %s", route.connection_name, exc)
            raise Refused(400, f"Cannot authenticate: {exc}.") from None
        status.last_answer = used
        status.last_authenticate_problem = ""
        if used is AnswerMode.PLAIN:
            log.warning(
                "answered authenticate for %s with the plain password, as chosen for it",
                route.connection_name,
            )
        words = {
            AnswerMode.KEY: "Answered with the MD5 of login, password and key.",
            AnswerMode.PLAIN: "Answered with the plain password (plain mode was chosen).",
            AnswerMode.PASSIVE: "Answered OK; confirming with authenticate_notifications.",
        }[used]
        self._event(route, "authenticate", words)
        if used is AnswerMode.PASSIVE:
            self._start_confirm(route, status)
        return web.json_response(answer)

    def _start_confirm(self, route: Route, status: RouteStatus) -> None:
        if route.confirm is None:
            status.confirm = "not possible: no connection to confirm with"
            self._event(route, "confirm", "Cannot confirm: the connection is not open.")
            return
        running = self._confirming.get(route.token)
        if running is not None and not running.done():
            return  # one confirmation at a time; the running one answers this too
        status.confirm = "pending"
        task = asyncio.get_running_loop().create_task(
            self._confirm(route, status), name=f"confirm notifications {token_hint(route.token)}"
        )
        self._confirming[route.token] = task
        task.add_done_callback(lambda done: self._confirming.pop(route.token, None))

    async def _confirm(self, route: Route, status: RouteStatus) -> None:
        assert route.confirm is not None
        try:
            await asyncio.sleep(self.confirm_delay)
            await route.confirm()
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            status.confirm = f"failed: {exc}"
            log.warning("confirming notifications for %s failed: %s", route.connection_name, exc)
            self._event(route, "confirm", f"Confirmation failed: {exc}")
        else:
            status.confirm = "confirmed"
            self._event(route, "confirm", "Notifications confirmed (authenticate_notifications).")
        status.confirm_at = time.time()

    # -- storing --------------------------------------------------------------------------------

    async def _store(
        self, route: Route, status: RouteStatus, messages: tuple[NewMessage, ...]
    ) -> web.Response:
        if messages:
            try:
                result = await self.store.add(
                    route.connection_id, route.connection_name, route.protocol, messages
                )
            except StoreError as exc:
                log.error("could not store a delivery for %s: %s", route.connection_name, exc)
                self._event(route, "store-failed", str(exc))
                return not_ok(503, "crmdesk could not store the delivery; send it again.")
            status.messages += result.new
            status.repeats += result.repeats
            if received_log.isEnabledFor(logging.DEBUG):
                for message in messages:
                    received_log.debug(
                        "%s from %s: %s", message.type, route.connection_name, message.summary
                    )
        status.deliveries += 1
        status.last_delivery_at = time.time()
        return ok()

    # -- GetResponse webhooks -----------------------------------------------------------------

    async def _webhook(
        self, route: Route, status: RouteStatus, request: web.BaseRequest, body: bytes
    ) -> web.Response:
        try:
            message = read_webhook(body, request.headers, charset_of(request))
        except ProtocolError as exc:
            raise Refused(400, f"Not a webhook: {exc}.") from None
        return await self._store(route, status, (message,))
