"""The kinds of API crmdesk speaks, what each needs to connect, and `open_backend()`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from crmdesk.api.backends.base import Backend
from crmdesk.api.exchange import ExchangeLog
from crmdesk.api.ratelimit import RateLimitGovernor
from crmdesk.api.redact import Redactor

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True, slots=True)
class CredentialField:
    """One credential a kind needs. Secret ones go to the keyring and are redacted everywhere."""

    name: str
    label: str
    secret: bool = True


@dataclass(frozen=True, slots=True)
class OptionField:
    """One non-secret connection option, with its default."""

    name: str
    label: str
    default: Any = None
    help: str = ""


class NotificationProtocol(StrEnum):
    """How a kind's server pushes notifications to the app, if it does."""

    AICORE_PUSH = "aicore-push"  # seed 004: authenticate and delivery requests
    GETRESPONSE_WEBHOOK = "getresponse-webhook"  # webhooks with X-Webhook-ID


@dataclass(frozen=True, slots=True)
class KindInfo:
    """Everything the rest of crmdesk needs to know about a kind before connecting.

    `notifications` names the protocol its server pushes notifications with (None: it has
    none); the listener speaks it, and the connection form offers its settings.
    `notification_login` names the two credentials (login id, password) the listener answers
    the server's `authenticate` with, for protocols that authenticate.
    """

    kind: str
    label: str
    credentials: tuple[CredentialField, ...]
    options: tuple[OptionField, ...]
    default_base_url: str
    base_url_help: str
    backend: Callable[..., Backend]
    governor: Callable[[], RateLimitGovernor] = RateLimitGovernor
    notifications: NotificationProtocol | None = None
    notification_login: tuple[str, str] | None = None


def _declared() -> dict[str, KindInfo]:
    # Imported here: the declarations (crmdesk.api.backends.kinds) need this module's classes.
    from crmdesk.api.backends.kinds import KINDS

    return KINDS


def kinds() -> tuple[str, ...]:
    """The kinds, in the order they are offered."""
    return tuple(_declared())


def kind_info(kind: str) -> KindInfo:
    try:
        return _declared()[kind]
    except KeyError:
        raise ValueError(
            f"Unknown kind of API {kind!r}; crmdesk speaks {', '.join(kinds())}."
        ) from None


def open_backend(
    kind: str,
    base_url: str,
    credentials: Mapping[str, str],
    *,
    connection: str | None = None,
    connection_id: str = "",
    log: ExchangeLog | None = None,
    read_only: bool = False,
    timeout: httpx.Timeout | None = None,
    governor: RateLimitGovernor | None = None,
    http_transport: httpx.AsyncBaseTransport | None = None,
    **options: Any,
) -> Backend:
    """Open a connection of `kind`. Use the result as `async with` so its client is closed.

    `credentials` holds exactly the secrets the kind names in `kind_info(kind).credentials`;
    `options` the kind's options. `connection` is the name exchanges show, `connection_id`
    the profile id they are stored under. `governor` replaces the kind's own rate-limit
    governor (tests give one that records its waits). `http_transport` is for tests (an
    `httpx.MockTransport`).
    """
    info = kind_info(kind)
    wanted = {field.name for field in info.credentials}
    missing = sorted(wanted - {name for name, value in credentials.items() if value})
    if missing:
        raise ValueError(f"{info.label} needs {', '.join(missing)} to connect.")
    unknown = sorted(set(credentials) - wanted)
    if unknown:
        raise ValueError(f"{info.label} takes no credential {', '.join(unknown)}.")
    known_options = {option.name: option.default for option in info.options}
    bad_options = sorted(set(options) - set(known_options))
    if bad_options:
        raise ValueError(f"{info.label} has no option {', '.join(bad_options)}.")
    base_url = base_url or info.default_base_url
    if not base_url:
        raise ValueError(f"{info.label} needs the API's address (base URL) to connect.")
    # httpx loads here, when the first connection opens, not when the app starts.
    from crmdesk.api.transport import DEFAULT_TIMEOUT, Transport

    secret_names = {field.name for field in info.credentials if field.secret}
    redactor = Redactor(
        secrets=[value for name, value in credentials.items() if name in secret_names],
        extra_names=secret_names,
    )
    transport = Transport(
        base_url,
        connection=connection or info.label,
        connection_id=connection_id,
        log=log if log is not None else ExchangeLog(),
        redactor=redactor,
        governor=governor or info.governor(),
        timeout=timeout or DEFAULT_TIMEOUT,
        transport=http_transport,
    )
    return info.backend(
        transport,
        credentials=dict(credentials),
        read_only=read_only,
        **{**known_options, **options},
    )
