"""What each kind of API needs before connecting (its `KindInfo`), without loading it.

The five declarations live here rather than beside their backends so that asking about a kind
(its label, its credentials, whether its server pushes notifications) loads only this module:
a backend's module brings httpx and its reply readers with it, about 0.1 s of start-up the
first window does not need. `backend` loads the backend's module when a connection opens.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.registry import (
    CredentialField,
    KindInfo,
    NotificationProtocol,
    OptionField,
)
from crmdesk.api.ratelimit import RateLimitGovernor


def _loaded(kind: str, name: str) -> Callable[..., Backend]:
    """The backend class `name` of crmdesk.api.backends.`kind`, imported on first call."""

    def make(*args: Any, **kwargs: Any) -> Backend:
        backend: Callable[..., Backend] = getattr(
            importlib.import_module(f"crmdesk.api.backends.{kind}"), name
        )
        return backend(*args, **kwargs)

    return make


_CMDATAMANAGER = KindInfo(
    kind="cmdatamanager",
    label="CMDataManager",
    credentials=(
        CredentialField("client_id", "Client ID", secret=False),
        CredentialField("client_secret", "Client secret"),
        CredentialField("username", "Username", secret=False),
        CredentialField("password", "Password"),
    ),
    options=(
        OptionField(
            "custom_entities",
            "Custom entities",
            (),
            "Names of your tenant's custom entities, as they appear in API paths.",
        ),
    ),
    default_base_url="",
    base_url_help="Your tenant's API address including the version, e.g. https://…/api/v1",
    backend=_loaded("cmdatamanager", "CmDataManager"),
)

_MOTHERNODE = KindInfo(
    kind="mothernode",
    label="Mothernode",
    credentials=(
        CredentialField("access_key", "Access key"),
        CredentialField("api_password", "API password"),
    ),
    options=(
        OptionField(
            "list_cache_seconds",
            "Reuse a fetched list for (seconds)",
            30.0,
            "Mothernode sends whole lists; later pages reuse the fetch page 1 made.",
        ),
    ),
    default_base_url="https://api.mothernode.com",
    base_url_help="The API's address; https://api.mothernode.com unless told otherwise.",
    backend=_loaded("mothernode", "Mothernode"),
)

_NDCHOST = KindInfo(
    kind="ndchost",
    label="NDCHost",
    credentials=(CredentialField("apikey", "API key"),),
    options=(),
    default_base_url="https://customer.ndchost.com/index.php",
    base_url_help=(
        "The portal's index.php: https://customer.ndchost.com/index.php (the wiki's examples "
        "use …/whmcs/index.php)."
    ),
    backend=_loaded("ndchost", "NdcHost"),
)

_GETRESPONSE = KindInfo(
    kind="getresponse",
    label="GetResponse",
    credentials=(CredentialField("api_key", "API key"),),
    options=(
        OptionField(
            "domain",
            "Domain (MAX accounts)",
            "",
            "GetResponse MAX only: your domain without https://, sent as X-Domain.",
        ),
        OptionField(
            "time_zone",
            "Time zone",
            "",
            "A tz database name such as Europe/Warsaw for the dates in replies (default UTC).",
        ),
    ),
    default_base_url="https://api.getresponse.com/v3",
    base_url_help="https://api.getresponse.com/v3, or api3.getresponse360.com/v3 (.pl) for MAX",
    backend=_loaded("getresponse", "GetResponse"),
    governor=lambda: RateLimitGovernor(max_in_flight=10, per_second=80),
    notifications=NotificationProtocol.GETRESPONSE_WEBHOOK,
)

_AICORE = KindInfo(
    kind="aicore",
    label="API Service (/service)",
    credentials=(
        CredentialField("login_id", "API login ID", secret=False),
        CredentialField("login_password", "API password"),
    ),
    options=(),
    default_base_url="",
    base_url_help="The site's service address, e.g. https://www.example-dealer.com/service",
    backend=_loaded("aicore", "AiCore"),
    notifications=NotificationProtocol.AICORE_PUSH,
    notification_login=("login_id", "login_password"),
)

KINDS: dict[str, KindInfo] = {
    "cmdatamanager": _CMDATAMANAGER,
    "mothernode": _MOTHERNODE,
    "ndchost": _NDCHOST,
    "getresponse": _GETRESPONSE,
    "aicore": _AICORE,
}
