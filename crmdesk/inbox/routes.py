"""What the listener is told and what it tells: a Route per connection (its token path and
how to answer), the status of each route and a short log of listener events.

No aiohttp here, so a settings form can show a connection's path without loading a server.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from crmdesk.api import NotificationProtocol
from crmdesk.inbox.protocol import AnswerMode

ROUTE_PREFIX = "/n/"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")

Confirm = Callable[[], Awaitable[object]]


def new_token() -> str:
    """A fresh random path token: 32 random bytes, URL-safe."""
    return secrets.token_urlsafe(32)


def route_path(token: str) -> str:
    """The URL path a connection's server posts to."""
    return ROUTE_PREFIX + token


def token_hint(token: str) -> str:
    """The token as it may appear in logs: it is a capability, never written out in full."""
    return token[:4] + "…"


def check_token(token: str) -> str:
    if not _TOKEN.match(token):
        raise ValueError("a route token is 16 to 128 characters of A-Z, a-z, 0-9, _ and -")
    return token


@dataclass(frozen=True, slots=True)
class Route:
    """One connection's notification address. The password is in memory only: never logged,
    stored or shown (it is left out of repr).

    `confirm` is called after a passive answer: the Desk wires it to the connection's
    notification confirmation command (aicore's authenticate_notifications).
    """

    token: str
    connection_id: str
    connection_name: str
    protocol: NotificationProtocol
    mode: AnswerMode = AnswerMode.KEY
    login_id: str = ""
    password: str = field(default="", repr=False)
    confirm: Confirm | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_token(self.token)
        object.__setattr__(self, "protocol", NotificationProtocol(self.protocol))
        object.__setattr__(self, "mode", AnswerMode(self.mode))

    @property
    def path(self) -> str:
        return route_path(self.token)


@dataclass(slots=True)
class RouteStatus:
    """What the listener last saw on one route, for the UI to show."""

    last_authenticate_at: float | None = None
    # How the last authenticate was answered (key, plain or passive), None if it was refused.
    last_answer: AnswerMode | None = None
    last_authenticate_problem: str = ""
    # "", "pending", "confirmed", or "failed: <why>" / "not possible: <why>".
    confirm: str = ""
    confirm_at: float | None = None
    deliveries: int = 0
    messages: int = 0
    repeats: int = 0
    last_delivery_at: float | None = None
    rejected: int = 0
    last_rejection: str = ""
    last_rejection_at: float | None = None


@dataclass(frozen=True, slots=True)
class ListenerEvent:
    """One thing worth telling the user: an authenticate and how it was answered, a
    confirmation's outcome, a refused request, a delivery that could not be stored."""

    at: float
    connection_id: str
    connection_name: str
    kind: str  # "authenticate", "confirm", "rejected", "store-failed"
    text: str
