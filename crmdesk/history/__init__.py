"""crmdesk's exchange history: stored, searchable, kept within limits; and sharing exchanges
as curl, HTTPie, PowerShell and HAR, reading HAR and curl back, and comparing two exchanges.

No Qt. This module is the public face; the modules behind it are free to change.
"""

from crmdesk.history.recorder import HistoryRecorder
from crmdesk.history.retention import Retention
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
    "ExchangeStore",
    "ExchangeSummary",
    "HistoryError",
    "HistoryPage",
    "HistoryQuery",
    "HistoryRecorder",
    "HistoryStats",
    "HistoryUnavailable",
    "Retention",
    "SqliteExchangeStore",
    "StatusClass",
]
