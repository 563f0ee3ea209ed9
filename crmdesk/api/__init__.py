"""crmdesk's client layer: one async Backend per API kind, on httpx, with no Qt.

This module is the public face; the modules behind it are free to change.
"""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

if TYPE_CHECKING:
    from crmdesk.api.backends.base import Backend
    from crmdesk.api.backends.hooks import ResultListener
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
    from crmdesk.api.exchange import BODY_KEEP_BYTES, Exchange, ExchangeLog, new_exchange_id
    from crmdesk.api.exchange_text import (
        BodyKind,
        body_kind,
        facts_of,
        form_pairs,
        full_text,
        hex_dump,
        json_value,
        pretty_json,
        request_text,
        response_text,
        size_text,
        title_of,
    )
    from crmdesk.api.model import (
        ActionPreview,
        ActionResult,
        ActionSpec,
        EntityInfo,
        FieldSpec,
        FieldType,
        Outcome,
        OutcomeCheck,
        Page,
        PlannedWrite,
        Query,
        RawRequest,
        Record,
        SortKey,
        WriteAttempt,
    )
    from crmdesk.api.numbers import read_count, read_number
    from crmdesk.api.ratelimit import RateLimitGovernor, RateLimitState
    from crmdesk.api.redact import REDACTED, Redactor
    from crmdesk.api.sameness import read_moment, same_value
    from crmdesk.api.words import yes_no

__all__ = [
    "BODY_KEEP_BYTES",
    "REDACTED",
    "ActionPreview",
    "ActionResult",
    "ActionSpec",
    "ApiError",
    "Backend",
    "BodyKind",
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
    "Outcome",
    "OutcomeCheck",
    "Page",
    "PlannedWrite",
    "Query",
    "RateLimitGovernor",
    "RateLimitState",
    "RawRequest",
    "Record",
    "Redactor",
    "ResultListener",
    "SortKey",
    "WriteAttempt",
    "body_kind",
    "facts_of",
    "form_pairs",
    "full_text",
    "hex_dump",
    "json_value",
    "kind_info",
    "kinds",
    "new_exchange_id",
    "open_backend",
    "pretty_json",
    "read_count",
    "read_moment",
    "read_number",
    "request_text",
    "response_text",
    "same_value",
    "size_text",
    "title_of",
    "yes_no",
]

__getattr__ = lazy_face(
    __name__,
    {
        ".backends.base": ("Backend",),
        ".backends.hooks": ("ResultListener",),
        ".backends.registry": (
            "CredentialField",
            "KindInfo",
            "NotificationProtocol",
            "OptionField",
            "kind_info",
            "kinds",
            "open_backend",
        ),
        ".errors": ("ApiError", "ErrorKind"),
        ".exchange": ("BODY_KEEP_BYTES", "Exchange", "ExchangeLog", "new_exchange_id"),
        ".exchange_text": (
            "BodyKind",
            "body_kind",
            "facts_of",
            "form_pairs",
            "full_text",
            "hex_dump",
            "json_value",
            "pretty_json",
            "request_text",
            "response_text",
            "size_text",
            "title_of",
        ),
        ".model": (
            "ActionPreview",
            "ActionResult",
            "ActionSpec",
            "EntityInfo",
            "FieldSpec",
            "FieldType",
            "Outcome",
            "OutcomeCheck",
            "Page",
            "PlannedWrite",
            "Query",
            "RawRequest",
            "Record",
            "SortKey",
            "WriteAttempt",
        ),
        ".numbers": ("read_count", "read_number"),
        ".ratelimit": ("RateLimitGovernor", "RateLimitState"),
        ".redact": ("REDACTED", "Redactor"),
        ".sameness": ("read_moment", "same_value"),
        ".words": ("yes_no",),
    },
)
