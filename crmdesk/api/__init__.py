"""crmdesk's client layer: one async Backend per API kind, on httpx, with no Qt.

This module is the public face; the modules behind it are free to change.
"""

from crmdesk.api.backends.base import Backend
from crmdesk.api.backends.registry import (
    CredentialField,
    KindInfo,
    NotificationProtocol,
    OptionField,
    kind_info,
    kinds,
    open_backend,
)
from crmdesk.api.errors import ApiError, ErrorKind
from crmdesk.api.exchange import Exchange, ExchangeLog
from crmdesk.api.model import (
    ActionResult,
    ActionSpec,
    Capabilities,
    EntityInfo,
    FieldSpec,
    FieldType,
    Page,
    Query,
    Record,
    SortKey,
)
from crmdesk.api.ratelimit import RateLimitGovernor, RateLimitState
from crmdesk.api.redact import REDACTED, Redactor

__all__ = [
    "REDACTED",
    "ActionResult",
    "ActionSpec",
    "ApiError",
    "Backend",
    "Capabilities",
    "CredentialField",
    "EntityInfo",
    "ErrorKind",
    "Exchange",
    "ExchangeLog",
    "FieldSpec",
    "FieldType",
    "KindInfo",
    "NotificationProtocol",
    "OptionField",
    "Page",
    "Query",
    "RateLimitGovernor",
    "RateLimitState",
    "Record",
    "Redactor",
    "SortKey",
    "kind_info",
    "kinds",
    "open_backend",
]
