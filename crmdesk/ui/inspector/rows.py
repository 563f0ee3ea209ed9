"""One line of the inspector's list: an exchange's summary, where it came from, and its cells
in words (made when a row is on screen: the list model keeps the ones it showed last)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from crmdesk.api import size_text
from crmdesk.history import ExchangeSummary


class Origin(Enum):
    """Where a row came from: this session's calls, the stored history, or outside."""

    LIVE = "live"
    STORED = "stored"
    IMPORTED = "imported"


class Column(Enum):
    TIME = "Time"
    CONNECTION = "Connection"
    METHOD = "Method"
    URL = "URL"
    STATUS = "Status"
    DURATION = "Took"
    SENT = "Sent"
    RECEIVED = "Received"
    NOTE = "Note"


COLUMNS = tuple(Column)
NUMERIC = frozenset({Column.DURATION, Column.SENT, Column.RECEIVED})


@dataclass(frozen=True, slots=True)
class Row:
    """`key` orders the list (newest first); an imported row sorts by when it was imported."""

    summary: ExchangeSummary
    origin: Origin
    key: tuple[float, str]
    source: str = ""  # for an imported row: where it came from, in words
    replay_of: str = ""  # the row this one replayed, when it was sent from here
    replay_words: str = ""  # that row named in a few words

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def note(self) -> str:
        return note_text(self.summary, self.origin, self.source, self.replay_words)

    @property
    def cells(self) -> tuple[str, ...]:
        """The row's cells in words, in the order of `COLUMNS`."""
        summary, origin = self.summary, self.origin
        return (
            when_text(summary.started_at)
            if origin is not Origin.IMPORTED or summary.started_at
            else "",
            "Imported" if origin is Origin.IMPORTED else summary.connection,
            summary.method,
            path_of(summary.url),
            status_text(summary, origin),
            f"{summary.elapsed_ms:,.0f} ms" if summary.elapsed_ms is not None else "",
            size_text(summary.request_size),
            size_text(summary.response_size) if summary.status is not None else "",
            self.note,
        )

    @property
    def failed(self) -> bool:
        """An error status, or no reply at all (an imported request was simply not sent)."""
        status = self.summary.status
        if status is None:
            return self.origin is not Origin.IMPORTED
        return status >= 400


def row_of(
    summary: ExchangeSummary,
    origin: Origin,
    *,
    source: str = "",
    replay_of: str = "",
    replay_words: str = "",
    seen_at: float | None = None,
) -> Row:
    """A row; `replay_words` names the original of a replay."""
    key = (seen_at if seen_at is not None else summary.started_at, summary.id)
    return Row(summary, origin, key, source, replay_of, replay_words)


def when_text(started_at: float, today: dt.date | None = None) -> str:
    """Only the time for today's calls; the date and minute for older ones (the details
    have the rest)."""
    when = dt.datetime.fromtimestamp(started_at)
    if when.date() == (today or dt.date.today()):
        return when.strftime("%H:%M:%S")
    return when.strftime("%Y-%m-%d %H:%M")


def exact_time(started_at: float) -> str:
    """The moment to the millisecond, for comparing two calls."""
    return dt.datetime.fromtimestamp(started_at).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def path_of(url: str) -> str:
    """The path and query: the connection column already says which server."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def status_text(summary: ExchangeSummary, origin: Origin) -> str:
    if summary.status is not None:
        return f"{summary.status} {summary.reason}".strip()
    if origin is Origin.IMPORTED:
        return "not sent"
    return f"✘ {summary.error or 'no reply'}"


def note_text(summary: ExchangeSummary, origin: Origin, source: str, replay_words: str) -> str:
    """What makes a call special, in words: a sign-in, a retry, a replay, an import."""
    words = []
    if origin is Origin.IMPORTED:
        words.append(f"imported ({source})" if source else "imported")
    if summary.auth:
        words.append("sign-in")
    if summary.attempt > 1:
        words.append(f"attempt {summary.attempt}")
    if replay_words:
        words.append(f"replay of {replay_words}")
    note = summary.note
    said = (origin is Origin.IMPORTED and note.startswith("imported")) or (
        replay_words and note == "replay"
    )
    if note and not said:
        words.append(note)
    return " · ".join(words)


def short_name(summary: ExchangeSummary) -> str:
    """A call named in a few words, for notes and titles: "10:42:04 PUT /lead/ZXC7V8B9"."""
    when = when_text(summary.started_at) if summary.started_at else "imported"
    return f"{when} {summary.method} {path_of(summary.url)}"
