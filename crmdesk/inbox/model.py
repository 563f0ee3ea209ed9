"""What the inbox holds and how it is asked: stored messages, queries, changes, retention."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from crmdesk.inbox.protocol import RecordLink

STORED_COLUMNS = (
    "id, connection_id, connection_name, protocol, type, data, summary, received_at, "
    "last_received_at, repeat_count, read, entity, record_id, meta"
)


@dataclass(frozen=True, slots=True)
class StoredMessage:
    """One stored notification. `repeat_count` is how many times the same message came again
    after the first (0 for one heard once); `last_received_at` the latest of those."""

    id: int
    connection_id: str
    connection_name: str
    protocol: str
    type: str
    data_json: str
    summary: str
    received_at: float
    last_received_at: float
    repeat_count: int
    read: bool
    link: RecordLink | None
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Any:
        """The message's data as received: a string or JSON structure."""
        return json.loads(self.data_json)

    @property
    def cursor(self) -> tuple[float, int]:
        """Pass as `before=` to get the page after this message."""
        return (self.received_at, self.id)


def stored_from_row(row: tuple[Any, ...]) -> StoredMessage:
    entity, record_id = row[11], row[12]
    try:
        meta = json.loads(row[13])
    except ValueError:
        meta = {}
    return StoredMessage(
        id=row[0],
        connection_id=row[1],
        connection_name=row[2],
        protocol=row[3],
        type=row[4],
        data_json=row[5],
        summary=row[6],
        received_at=row[7],
        last_received_at=row[8],
        repeat_count=row[9],
        read=bool(row[10]),
        link=RecordLink(entity, record_id) if entity and record_id else None,
        meta=meta if isinstance(meta, dict) else {},
    )


@dataclass(frozen=True, slots=True)
class InboxQuery:
    """Which messages: every given condition must hold. `text` is found, case-insensitively
    for ASCII letters, in the summary, the data or the connection's name."""

    connection_id: str | None = None
    type: str | None = None
    text: str = ""
    unread_only: bool = False

    def where(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL condition and its parameters."""
        clauses = ["1"]
        params: list[Any] = []
        if self.connection_id is not None:
            clauses.append("connection_id = ?")
            params.append(self.connection_id)
        if self.type is not None:
            clauses.append("type = ?")
            params.append(self.type)
        if self.unread_only:
            clauses.append("read = 0")
        text = self.text.strip()
        if text:
            pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            clauses.append(
                "(summary LIKE ? ESCAPE '\\' OR data LIKE ? ESCAPE '\\' "
                "OR connection_name LIKE ? ESCAPE '\\')"
            )
            params.extend([pattern] * 3)
        return " AND ".join(clauses), tuple(params)


@dataclass(frozen=True, slots=True)
class InboxChange:
    """What one commit changed, for a live view: ids added, ids repeated (their repeat count
    and last time changed), ids whose read flag changed, ids removed; and the unread count
    after it."""

    added: tuple[int, ...] = ()
    repeated: tuple[int, ...] = ()
    read_changed: tuple[int, ...] = ()
    removed: tuple[int, ...] = ()
    unread: int = 0


@dataclass(frozen=True, slots=True)
class Retention:
    """How long messages are kept: at most `max_age_days` old and the newest `max_count`.
    None for either means no limit of that kind."""

    max_age_days: float | None = 90.0
    max_count: int | None = 100_000

    def __post_init__(self) -> None:
        if self.max_age_days is not None and self.max_age_days <= 0:
            raise ValueError("retention age must be more than 0 days (or no limit)")
        if self.max_count is not None and self.max_count < 1:
            raise ValueError("retention count must be at least 1 (or no limit)")
