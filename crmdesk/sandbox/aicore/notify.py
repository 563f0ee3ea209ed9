"""The site's side of notifications (seed 004): `authenticate`, then `delivery` requests to
the URL registered, messages sent again until a delivery is answered `{"status": "OK"}`.

Decisions where the docs are silent: the URL and the key-authentication switch are site
settings (`register`, or the admin endpoint); the site authenticates before its first
delivery and again after `register`; the key is random for every authenticate; a reply with
`ai_login_id` and `ai_login_password` is checked against the API login (the MD5 of login id,
password and key with key authentication on, else the password itself); `{"status": "OK"}`
is the passive answer, and deliveries start only once the `authenticate_notifications`
command came from the API login. "Ignore Confirmation" is off: nothing is dropped unanswered.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import hmac
import json
import logging
import random
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from crmdesk.sandbox.aicore.notices import KINDS, Notice, SiteNotices
from crmdesk.sandbox.aicore.store import SiteStore
from crmdesk.sandbox.httppost import PostClient
from crmdesk.sandbox.pushadmin import number
from crmdesk.sandbox.pushqueue import PushQueue, Retry

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PushStats:
    """What the pusher did so far."""

    sent: int = 0  # delivery requests sent
    acknowledged: int = 0  # delivery requests answered {"status": "OK"}
    messages_acknowledged: int = 0
    not_acknowledged: int = 0  # deliveries answered otherwise, or not at all: sent again
    authentications: int = 0
    last_error: str = ""
    first_sent_at: float | None = None
    last_acknowledged_at: float | None = None


class AiCorePush:
    """The emulated site's notification sender. Started and stopped with its emulator."""

    def __init__(self, store: SiteStore, credentials: Mapping[str, str], *, seed: int = 1) -> None:
        self._store = store
        self._login_id = credentials["login_id"]
        self._password = credentials["login_password"]
        self.notices = SiteNotices(store, seed)
        self.url: str | None = None
        self.key_auth = True
        self.authenticate_first = True
        self.retry_delay = 1.0
        self.timeout = 5.0
        # How long a passive answer waits for the authenticate_notifications command.
        self.confirm_wait = 10.0
        self.state = "unregistered"
        self.auth_log: list[str] = []
        self.stats = PushStats()
        self.queue: PushQueue[Notice] = PushQueue(self._deliver, name="aicore push")
        self._client: PostClient | None = None
        self._auth_lock: asyncio.Lock | None = None
        self._confirmed: asyncio.Event | None = None
        self._periodic: asyncio.Task[None] | None = None
        self._rng = random.Random(f"aicore-push:{seed}")
        store.on_notifications_authenticated(self._command_confirmed)

    # -- settings -------------------------------------------------------------------------------

    def register(self, url: str | None, *, key_auth: bool | None = None) -> None:
        """The site's notification settings: where to push (None: nowhere), and whether the
        authenticate request carries a key. The site authenticates again before it delivers."""
        self.url = url
        if key_auth is not None:
            self.key_auth = key_auth
        self.state = "unauthenticated" if url else "unregistered"

    def configure(
        self,
        *,
        concurrency: int | None = None,
        batch_size: int | None = None,
        retry_delay: float | None = None,
        timeout: float | None = None,
        confirm_wait: float | None = None,
        authenticate_first: bool | None = None,
    ) -> None:
        """How it pushes: deliveries in flight at once, messages in one delivery, seconds
        before a message not acknowledged goes again, a request's timeout, how long a passive
        answer waits for authenticate_notifications. The rate is `set_rate()`."""
        self.queue.configure(concurrency=concurrency, batch_size=batch_size)
        if retry_delay is not None:
            self.retry_delay = retry_delay
        if timeout is not None:
            self.timeout = timeout
        if confirm_wait is not None:
            self.confirm_wait = confirm_wait
        if authenticate_first is not None:
            self.authenticate_first = authenticate_first

    def set_rate(self, rate: float | None) -> None:
        """Deliveries a second at most (None: as fast as the receiver answers)."""
        self.queue.set_rate(rate)

    def apply(self, settings: Mapping[str, Any]) -> None:
        """Settings as the admin endpoint takes them: url, key_auth, rate, concurrency,
        batch_size, retry_delay, timeout, confirm_wait. ValueError says what is wrong."""
        unknown = set(settings) - {
            "url", "key_auth", "rate", "concurrency", "batch_size", "retry_delay", "timeout",
            "confirm_wait",
        }  # fmt: skip
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        url, key_auth = settings.get("url", self.url), settings.get("key_auth", self.key_auth)
        if url is not None and not isinstance(url, str):
            raise ValueError("url must be text or null")
        if not isinstance(key_auth, bool):
            raise ValueError("key_auth must be true or false")
        concurrency, batch = (
            number(settings, "concurrency", whole=True),
            number(settings, "batch_size", whole=True),
        )
        self.configure(
            concurrency=None if concurrency is None else int(concurrency),
            batch_size=None if batch is None else int(batch),
            retry_delay=number(settings, "retry_delay"),
            timeout=number(settings, "timeout"),
            confirm_wait=number(settings, "confirm_wait"),
        )
        if "rate" in settings:
            self.set_rate(number(settings, "rate"))
        if "url" in settings or "key_auth" in settings:
            self.register(url, key_auth=key_auth)

    def describe(self) -> dict[str, Any]:
        state = self.queue.state
        return {
            "url": self.url,
            "key_auth": self.key_auth,
            "state": self.state,
            "rate": self.queue.rate,
            "concurrency": self.queue.concurrency,
            "batch_size": self.queue.batch_size,
            "waiting": state.waiting,
            "in_flight": state.in_flight,
            "periodic": self._periodic is not None,
            "authentication": self.auth_log[-5:],
            "stats": dataclasses.asdict(self.stats),
        }

    # -- what to push ---------------------------------------------------------------------------

    def send(self, notices: list[Notice]) -> None:
        """Queue these messages (thread-safe)."""
        self.queue.put(notices)

    def burst(self, count: int, kinds: tuple[str, ...] = KINDS) -> list[Notice]:
        """Make `count` new messages and queue them; returns them."""
        made = self.notices.make(count, kinds)
        self.queue.put(made)
        return made

    def start_periodic(self, every: float = 4.0) -> None:
        """A message or three every `every` seconds or so, until `stop_periodic()` (call on the
        emulator's loop)."""
        self.stop_periodic()
        self._periodic = asyncio.get_running_loop().create_task(
            self._every(every), name="aicore periodic notices"
        )

    def stop_periodic(self) -> None:
        if self._periodic is not None:
            self._periodic.cancel()
            self._periodic = None

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued message was acknowledged; False if `timeout` came first."""
        return await self.queue.drain(timeout)

    async def _every(self, every: float) -> None:
        while True:
            await asyncio.sleep(every * self._rng.uniform(0.6, 1.4))
            self.burst(self._rng.choice((1, 1, 1, 2, 3)))

    # -- life -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self._auth_lock = asyncio.Lock()
        self._confirmed = asyncio.Event()
        self.queue.start()

    async def close(self) -> None:
        self.stop_periodic()
        await self.queue.stop()
        if self._client is not None:
            await self._client.close()
            self._client = None

    # -- the protocol ---------------------------------------------------------------------------

    def _command_confirmed(self) -> None:
        # authenticate_notifications arrived on /service (the login was checked there).
        if self._confirmed is not None:
            self._confirmed.set()

    async def _post(self, body: dict[str, Any]) -> Any:
        """The reply's JSON (None if it is not JSON); OSError or TimeoutError if none came."""
        assert self.url is not None
        client = self._client
        if client is None or client.url != self.url or client.timeout != self.timeout:
            if client is not None:
                await client.close()
            client = self._client = PostClient(self.url, timeout=self.timeout)
        _, text = await client.post(json.dumps(body).encode(), {"Content-Type": "application/json"})
        try:
            return json.loads(text)
        except ValueError:
            return None

    async def _open(self) -> bool:
        if not self.authenticate_first and self.url:
            return True
        assert self._auth_lock is not None
        assert self._confirmed is not None
        async with self._auth_lock:
            if self.state == "open":
                return True
            if self.state != "awaiting-confirmation":
                await self._authenticate()
            if self.state == "awaiting-confirmation":
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._confirmed.wait(), self.confirm_wait)
                if self._confirmed.is_set():
                    self._auth("confirmed by authenticate_notifications")
                    self.state = "open"
                else:
                    self._auth("no authenticate_notifications came")
                    self.state = "unauthenticated"
            return self.state == "open"

    async def _authenticate(self) -> None:
        assert self._confirmed is not None
        self._confirmed.clear()
        self.stats.authentications += 1
        key = secrets.token_hex(8) if self.key_auth else None
        body: dict[str, Any] = {"request": "authenticate"}
        if key is not None:
            body["key"] = key
        self.state = "authenticating"
        try:
            reply = await self._post(body)
        except (TimeoutError, OSError) as exc:
            self.state = "unauthenticated"
            self.stats.last_error = f"authenticate: {type(exc).__name__}: {exc}"
            return
        if isinstance(reply, dict) and "ai_login_password" in reply:
            given_id = str(reply.get("ai_login_id", ""))
            given = str(reply.get("ai_login_password", ""))
            expected = self._password
            if key is not None:
                expected = hashlib.md5((self._login_id + self._password + key).encode()).hexdigest()
            if given_id == self._login_id and hmac.compare_digest(
                given.encode(), expected.encode()
            ):
                self._auth("key accepted" if key else "plain password accepted")
                self.state = "open"
            else:
                self._auth("login refused")
                self.state = "refused"
        elif isinstance(reply, dict) and reply.get("status") == "OK":
            self._auth("passive answer: waiting for authenticate_notifications")
            self.state = "awaiting-confirmation"
        else:
            self._auth(f"not an answer: {str(reply)[:80]}")
            self.state = "refused"

    def _auth(self, words: str) -> None:
        self.auth_log.append(words)
        del self.auth_log[:-50]

    async def _deliver(self, batch: list[Notice]) -> Retry[Notice]:
        again = [(notice, self.retry_delay) for notice in batch]
        if self.url is None or not await self._open():
            return again
        stats = self.stats
        stats.sent += 1
        if stats.first_sent_at is None:
            stats.first_sent_at = time.monotonic()
        try:
            reply = await self._post({"request": "delivery", "messages": batch})
        except (TimeoutError, OSError) as exc:
            stats.not_acknowledged += 1
            stats.last_error = f"delivery: {type(exc).__name__}: {exc}"
            return again
        if isinstance(reply, dict) and reply.get("status") == "OK":
            stats.acknowledged += 1
            stats.messages_acknowledged += len(batch)
            stats.last_acknowledged_at = time.monotonic()
            return []
        # Not OK: the messages are enqueued again for another attempt (seed 004).
        stats.not_acknowledged += 1
        stats.last_error = f"delivery answered {str(reply)[:80]}"
        return again
