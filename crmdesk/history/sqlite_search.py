"""A HistoryQuery as SQL over the history file: the filters, the words, the page cursor.

Words go to the FTS5 index when SQLite has one; without it they are matched with LIKE over
the same stored text (slower, and case-insensitive only for ASCII), and record ids with a
token test registered as an SQL function, so both ways find the same exchanges.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from crmdesk.history.store import HistoryQuery

_WORD = re.compile(r"[^\W_]")  # a letter or digit: what the unicode61 tokenizer keeps
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")

TOKEN_FUNCTION = "crmdesk_has_token"


def where_of(query: HistoryQuery, *, full_text: bool) -> tuple[list[str], list[Any], str | None]:
    """SQL conditions on `e` (the exchanges table) and their parameters, to be joined by
    AND; and the FTS5 expression among them, if any (the caller plans around it)."""
    clauses: list[str] = []
    params: list[Any] = []
    if query.connection_id is not None:
        clauses.append("e.connection_id = ?")
        params.append(query.connection_id)
    if query.method:
        clauses.append("e.method = ?")
        params.append(query.method)
    if query.status is not None:
        clauses.append("e.status = ?")
        params.append(query.status)
    if query.status_class is not None:
        bounds = query.status_class.status_range()
        if bounds is None:
            clauses.append("e.status IS NULL")
        else:
            clauses.append("e.status >= ? AND e.status < ?")
            params.extend(bounds)
    if query.since is not None:
        clauses.append("e.started_at >= ?")
        params.append(query.since)
    if query.until is not None:
        clauses.append("e.started_at < ?")
        params.append(query.until)
    if query.auth_only:
        clauses.append("e.auth = 1")
    record_id = (query.record_id or "").strip()
    expression = None
    if full_text:
        expression = fts_expression(query.text, record_id)
        if expression is not None:
            clauses.append("e.rowid IN (SELECT rowid FROM exchange_fts WHERE exchange_fts MATCH ?)")
            params.append(expression)
        elif record_id:
            clauses.append("0")  # an id with no letters or digits is in no URL or body
    else:
        text_clauses, text_params = _like_conditions(query.text, record_id)
        if text_clauses:
            inner = " AND ".join(text_clauses)
            clauses.append(f"e.rowid IN (SELECT rowid FROM exchange_text t WHERE {inner})")
            params.extend(text_params)
    return clauses, params, expression


def fts_expression(text: str, record_id: str = "") -> str | None:
    """An FTS5 MATCH expression: every word must occur; None when there is nothing to find."""
    phrases = []
    for term in text.split():
        prefix = term.endswith("*")
        core = term.rstrip("*")
        if _WORD.search(core):
            phrases.append(_quoted(core) + ("*" if prefix else ""))
    if record_id and _WORD.search(record_id):
        phrases.append(_quoted(record_id))
    return " AND ".join(phrases) if phrases else None


def _quoted(term: str) -> str:
    # Inside double quotes FTS5 takes everything literally and splits it into the same
    # tokens as the indexed text: "lead/convert" becomes the phrase "lead convert".
    return '"' + term.replace('"', '""') + '"'


def _like_conditions(text: str, record_id: str) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for term in text.split():
        # Quotes and other marks around a word are not part of it, as in the FTS5 search.
        core = _EDGES.sub("", term)
        if not core:
            continue
        pattern = "%" + _escape_like(core) + "%"
        clauses.append(
            "(t.url LIKE ? ESCAPE '\\' OR t.request LIKE ? ESCAPE '\\'"
            " OR t.response LIKE ? ESCAPE '\\')"
        )
        params.extend([pattern] * 3)
    if record_id:
        clauses.append(
            f"({TOKEN_FUNCTION}(t.url, ?) OR {TOKEN_FUNCTION}(t.request, ?)"
            f" OR {TOKEN_FUNCTION}(t.response, ?))"
        )
        params.extend([record_id] * 3)
    return clauses, params


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def register_token_function(connection: sqlite3.Connection) -> None:
    """The record-id test the LIKE search uses: the id with no letter or digit beside it."""
    patterns: dict[str, re.Pattern[str]] = {}

    def has_token(text: str | None, token: str | None) -> int:
        if not text or not token:
            return 0
        pattern = patterns.get(token)
        if pattern is None:
            if len(patterns) > 64:
                patterns.clear()
            pattern = re.compile(r"(?<![^\W_])" + re.escape(token) + r"(?![^\W_])", re.I)
            patterns[token] = pattern
        return 1 if pattern.search(text) else 0

    connection.create_function(TOKEN_FUNCTION, 2, has_token, deterministic=True)


# -- page cursors ---------------------------------------------------------------------------


def cursor_for(started_at: float, exchange_id: str) -> str:
    return f"{started_at!r}|{exchange_id}"


def after_cursor(cursor: str) -> tuple[str, list[Any]]:
    """The condition for rows after `cursor` in newest-first order."""
    started_text, sep, exchange_id = cursor.partition("|")
    try:
        started_at = float(started_text)
    except ValueError:
        started_at = float("nan")
    if not sep or not exchange_id or started_at != started_at:  # NaN: not a number
        raise ValueError("That page cursor was not made by this history.")
    return (
        "(e.started_at < ? OR (e.started_at = ? AND e.id < ?))",
        [started_at, started_at, exchange_id],
    )
