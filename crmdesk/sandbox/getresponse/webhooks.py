"""GetResponse webhooks as the account sends them (API-NOTES §4): a JSON POST with
`X-Webhook-Type`, `X-Webhook-ID` (the same on every retry) and `X-Request-ID` (new each
try), acknowledged only by a 2xx whose body is `{"status": "OK"}`; 3 more tries at growing
intervals on a 2xx without that body, 429, 5xx or a timeout (5 s), none on other 4xx.

Decisions where the docs are silent: a refused connection is retried like a timeout; the
intervals are 60 s, 5 min and 30 min unless set (tests set them short); redirects are not
followed (3xx is not retried). Content-Type is set per request, so `headers` carry it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import uuid
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from crmdesk.sandbox.getresponse.data import API_ROOT
from crmdesk.sandbox.getresponse.store import ResourceStore
from crmdesk.sandbox.httppost import PostClient
from crmdesk.sandbox.pushadmin import number
from crmdesk.sandbox.pushqueue import PushQueue, Retry

EVENTS = (
    "contact_opened_message",
    "contact_clicked_message_link",
    "contact_subscribed",
    "contact_unsubscribed",
)
DEFAULT_INTERVALS = (60.0, 300.0, 1800.0)
_SUBJECTS = ("Spring sale starts now", "Your weekly digest", "Last chance: 20% off", "Welcome!")
_OUTCOMES_KEPT = 10_000


@dataclass(slots=True)
class Webhook:
    """One event to tell, with its id for all its tries."""

    id: str
    type: str
    payload: dict[str, Any]
    tries: int = 0


@dataclass(slots=True)
class WebhookStats:
    tries: int = 0
    delivered: int = 0
    retried: int = 0
    given_up: int = 0
    last_error: str = ""
    outcomes: OrderedDict[str, str] = field(default_factory=OrderedDict)


class WebhookPush:
    """The account's webhook sender. Started and stopped with its emulator."""

    def __init__(self, store: ResourceStore, *, seed: int = 1) -> None:
        self._store = store
        self._rng = random.Random(f"getresponse-webhooks:{seed}")
        self.url: str | None = None
        self.retry_intervals: tuple[float, ...] = DEFAULT_INTERVALS
        self.timeout = 5.0
        self.stats = WebhookStats()
        self.queue: PushQueue[Webhook] = PushQueue(self._send, concurrency=4, name="webhooks")
        self._client: PostClient | None = None
        self._periodic: asyncio.Task[None] | None = None

    # -- settings -------------------------------------------------------------------------------

    def register(self, url: str | None) -> None:
        """The webhook URL set in the account (None: no webhook)."""
        self.url = url

    def configure(
        self,
        *,
        retry_intervals: Sequence[float] | None = None,
        timeout: float | None = None,
        concurrency: int | None = None,
    ) -> None:
        if retry_intervals is not None:
            self.retry_intervals = tuple(float(s) for s in retry_intervals)
        if timeout is not None:
            self.timeout = timeout
        self.queue.configure(concurrency=concurrency)

    def set_rate(self, rate: float | None) -> None:
        self.queue.set_rate(rate)

    def apply(self, settings: Mapping[str, Any]) -> None:
        """Admin settings: url, rate, concurrency, timeout, retry_intervals (seconds)."""
        unknown = set(settings) - {"url", "rate", "concurrency", "timeout", "retry_intervals"}
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        intervals = settings.get("retry_intervals")
        if intervals is not None and (
            not isinstance(intervals, list)
            or not all(isinstance(s, int | float) and s > 0 for s in intervals)
        ):
            raise ValueError("retry_intervals must be a list of positive numbers")
        url = settings.get("url", self.url)
        if url is not None and not isinstance(url, str):
            raise ValueError("url must be text or null")
        concurrency = number(settings, "concurrency", whole=True)
        self.configure(
            retry_intervals=intervals,
            timeout=number(settings, "timeout"),
            concurrency=None if concurrency is None else int(concurrency),
        )
        if "rate" in settings:
            self.set_rate(number(settings, "rate"))
        self.register(url)

    def describe(self) -> dict[str, Any]:
        state = self.queue.state
        stats = dataclasses.asdict(self.stats)
        stats.pop("outcomes")
        return {
            "url": self.url,
            "retry_intervals": list(self.retry_intervals),
            "rate": self.queue.rate,
            "concurrency": self.queue.concurrency,
            "waiting": state.waiting,
            "in_flight": state.in_flight,
            "periodic": self._periodic is not None,
            "stats": stats,
        }

    # -- what to push ---------------------------------------------------------------------------

    def event(self, kind: str | None = None) -> Webhook:
        """A new webhook about one of the account's contacts."""
        rng = self._rng
        kind = kind or rng.choice(EVENTS)
        contacts = self._store.all("contacts")
        contact: dict[str, Any] = (
            rng.choice(contacts) if contacts else {"contactId": "0", "email": "", "name": ""}
        )
        reference = {
            "contactId": contact["contactId"],
            "email": contact.get("email", ""),
            "name": contact.get("name", ""),
            "href": contact.get("href", f"{API_ROOT}/contacts/{contact['contactId']}"),
        }
        if "campaign" in contact:
            reference["campaign"] = dict(contact["campaign"])
        payload: dict[str, Any] = {
            "type": kind,
            "contact": reference,
            "account": {"accountId": "sandbox"},
            "event": {"occurredAt": datetime.now(UTC).isoformat(timespec="seconds")},
        }
        if kind in ("contact_opened_message", "contact_clicked_message_link"):
            message_id = f"m{rng.randrange(10_000, 99_999)}"
            payload["message"] = {
                "messageId": message_id,
                "name": rng.choice(_SUBJECTS),
                "subject": rng.choice(_SUBJECTS),
                "href": f"{API_ROOT}/newsletters/{message_id}",
            }
        if kind == "contact_clicked_message_link":
            payload["clickTrack"] = {"url": f"https://shop.example/offer/{rng.randrange(1, 99)}"}
        return Webhook(uuid.uuid4().hex, kind, payload)

    def send(self, webhooks: list[Webhook]) -> None:
        self.queue.put(webhooks)

    def burst(self, count: int) -> list[dict[str, Any]]:
        """Make `count` webhooks and queue them; returns their payloads."""
        made = [self.event() for _ in range(count)]
        self.queue.put(made)
        return [hook.payload for hook in made]

    def start_periodic(self, every: float = 4.0) -> None:
        self.stop_periodic()
        self._periodic = asyncio.get_running_loop().create_task(self._every(every))

    def stop_periodic(self) -> None:
        if self._periodic is not None:
            self._periodic.cancel()
            self._periodic = None

    async def drain(self, timeout: float | None = None) -> bool:
        """Wait until every webhook was delivered or given up on."""
        return await self.queue.drain(timeout)

    async def _every(self, every: float) -> None:
        while True:
            await asyncio.sleep(every * self._rng.uniform(0.6, 1.4))
            self.burst(1)

    # -- life -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self.queue.start()

    async def close(self) -> None:
        self.stop_periodic()
        await self.queue.stop()
        if self._client is not None:
            await self._client.close()
            self._client = None

    # -- one try ----------------------------------------------------------------------------------

    async def _send(self, batch: list[Webhook]) -> Retry[Webhook]:
        again: list[tuple[Webhook, float]] = []
        for hook in batch:
            retry = await self._try(hook)
            if retry is not None:
                again.append((hook, retry))
        return again

    async def _try(self, hook: Webhook) -> float | None:
        """Seconds until the next try, or None when this one settled it."""
        if self.url is None:
            return 1.0  # no webhook set: held until there is one
        hook.tries += 1
        self.stats.tries += 1
        headers = {
            "Content-Type": "application/json",
            "X-Webhook-Type": hook.type,
            "X-Webhook-ID": hook.id,
            "X-Request-ID": uuid.uuid4().hex,
        }
        client = self._client
        if client is None or client.url != self.url or client.timeout != self.timeout:
            if client is not None:
                await client.close()
            client = self._client = PostClient(self.url, timeout=self.timeout)
        try:
            status, body = await client.post(json.dumps(hook.payload).encode(), headers)
        except (TimeoutError, OSError) as exc:
            return self._failed(hook, f"{type(exc).__name__}: {exc}", retry=True)
        if 200 <= status < 300 and _says_ok(body):
            self.stats.delivered += 1
            self._outcome(hook, f"delivered on try {hook.tries}")
            return None
        retry = 200 <= status < 300 or status == 429 or status >= 500
        return self._failed(hook, f"HTTP {status}", retry=retry)

    def _failed(self, hook: Webhook, why: str, *, retry: bool) -> float | None:
        self.stats.last_error = why
        if retry and hook.tries <= len(self.retry_intervals):
            self.stats.retried += 1
            return self.retry_intervals[hook.tries - 1]
        self.stats.given_up += 1
        self._outcome(hook, f"given up after {hook.tries} tries: {why}")
        return None

    def _outcome(self, hook: Webhook, words: str) -> None:
        outcomes = self.stats.outcomes
        outcomes[hook.id] = words
        while len(outcomes) > _OUTCOMES_KEPT:
            outcomes.popitem(last=False)


def _says_ok(body: bytes) -> bool:
    try:
        reply = json.loads(body)
    except ValueError:
        return False
    return isinstance(reply, dict) and reply.get("status") == "OK"
