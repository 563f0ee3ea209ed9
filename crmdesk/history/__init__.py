"""crmdesk's exchange history: stored, searchable, kept within limits; and sharing exchanges
as curl, HTTPie, PowerShell and HAR, reading HAR and curl back, and comparing two exchanges;
`matches` tells whether an exchange not stored yet is one a query finds.

No Qt. This module is the public face; the modules behind it are free to change. The Desk
wires it up, and takes it down in the reverse order:

    store = SqliteExchangeStore()  # data_dir()/history.sqlite3
    await store.start()
    retention = await asyncio.to_thread(Retention.load)  # config_dir()/history.json
    recorder = HistoryRecorder(exchange_log, store, retention=retention)
    await recorder.start()
    ...
    await recorder.aclose()  # stops listening, writes what is queued (10 s at most)
    await store.aclose()
"""

from typing import TYPE_CHECKING

from crmdesk import lazy_face

# Loaded with the face: `compare` is also a module's name here, and importing that module
# (from anywhere) would make `crmdesk.history.compare` the module rather than the function.
from crmdesk.history.compare import compare

if TYPE_CHECKING:
    from crmdesk.history.compare import (
        BodyComparison,
        Change,
        Comparison,
        HeaderDifference,
        JsonDifference,
    )
    from crmdesk.history.curl_import import parse_curl
    from crmdesk.history.har import as_har
    from crmdesk.history.har_import import read_har
    from crmdesk.history.imported import ImportedEntry
    from crmdesk.history.matching import matches
    from crmdesk.history.recorder import HistoryRecorder
    from crmdesk.history.retention import MIN_AGE_DAYS, MIN_EXCHANGES, MIN_MEGABYTES, Retention
    from crmdesk.history.share import as_curl, as_httpie, as_powershell, replay_request, request_of
    from crmdesk.history.sqlite_store import SqliteExchangeStore
    from crmdesk.history.store import (
        ExchangeStore,
        ExchangeSummary,
        HistoryError,
        HistoryPage,
        HistoryQuery,
        HistoryStats,
        HistoryUnavailable,
        StatusClass,
    )

__all__ = [
    "MIN_AGE_DAYS",
    "MIN_EXCHANGES",
    "MIN_MEGABYTES",
    "BodyComparison",
    "Change",
    "Comparison",
    "ExchangeStore",
    "ExchangeSummary",
    "HeaderDifference",
    "HistoryError",
    "HistoryPage",
    "HistoryQuery",
    "HistoryRecorder",
    "HistoryStats",
    "HistoryUnavailable",
    "ImportedEntry",
    "JsonDifference",
    "Retention",
    "SqliteExchangeStore",
    "StatusClass",
    "as_curl",
    "as_har",
    "as_httpie",
    "as_powershell",
    "compare",
    "matches",
    "parse_curl",
    "read_har",
    "replay_request",
    "request_of",
]

__getattr__ = lazy_face(
    __name__,
    {
        ".compare": (
            "BodyComparison",
            "Change",
            "Comparison",
            "HeaderDifference",
            "JsonDifference",
        ),
        ".curl_import": ("parse_curl",),
        ".har": ("as_har",),
        ".har_import": ("read_har",),
        ".imported": ("ImportedEntry",),
        ".matching": ("matches",),
        ".recorder": ("HistoryRecorder",),
        ".retention": ("MIN_AGE_DAYS", "MIN_EXCHANGES", "MIN_MEGABYTES", "Retention"),
        ".share": ("as_curl", "as_httpie", "as_powershell", "replay_request", "request_of"),
        ".sqlite_store": ("SqliteExchangeStore",),
        ".store": (
            "ExchangeStore",
            "ExchangeSummary",
            "HistoryError",
            "HistoryPage",
            "HistoryQuery",
            "HistoryStats",
            "HistoryUnavailable",
            "StatusClass",
        ),
    },
)
